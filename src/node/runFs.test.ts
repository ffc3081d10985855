// The runner on a real folder: interrupted after the teacher, then re-run on the same folder.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleItems } from '../core/data/sampleDataset';
import type { LabEvent } from '../core/experiment/events';
import type { Recipe } from '../core/experiment/recipe';
import { ExperimentRunner } from '../core/experiment/runner';
import { FsStorage } from './fsStorage';
import { tokenizerFor } from '../core/data/testing/itemsTokenizer';

const items = sampleItems();
const tok = tokenizerFor(items);
const TRAIN = { epochs: 1, batchSize: 16, learningRate: 1e-3 };
const recipe: Recipe = {
  version: 1,
  data: { maxSeqLen: 48, policy: 'window' },
  eval: { beamSize: 2, limit: 2, samples: 0 },
  nodes: [
    { id: 'teacher', parent: null, stage: 'teacher', config: { init: { preset: 'tiny', hidden: 16, heads: 2, intermediate: 32 }, ...TRAIN } },
    { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
    { id: 'distill', parent: 'student', stage: 'distill', config: { ...TRAIN, distill: { schedule: 'all' } } },
  ],
};

const root = mkdtempSync(path.join(tmpdir(), 'qglab-run-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesWithMtime(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (statSync(p).isFile()) out[f] = statSync(p).mtimeMs;
  }
  return out;
}

describe('ExperimentRunner + FsStorage', () => {
  it('an interrupted run resumes on the same folder without touching the finished teacher', async () => {
    const make = (events: LabEvent[], onEvent?: (e: LabEvent) => void) =>
      new ExperimentRunner({
        storage: new FsStorage(root),
        train: items.slice(0, 5),
        test: items.slice(250, 252),
        tokenizer: tok,
        onEvent: (e) => {
          events.push(e);
          onEvent?.(e);
        },
      });
    const ac = new AbortController();
    const first: LabEvent[] = [];
    const s1 = await make(first, (e) => e.type === 'eval' && e.nodeId === 'teacher' && ac.abort()).run(recipe, ac.signal);
    expect(s1.cancelled).toBe(true);
    const teacherDir = path.join(root, 'nodes', 'teacher');
    const before = filesWithMtime(teacherDir);
    expect(Object.keys(before).sort()).toEqual(
      ['eval.json', 'history.json', 'model.complete.json', 'model/config.json', 'model/model.safetensors', 'model/vocab.txt', 'state.json'].sort(),
    );

    const second: LabEvent[] = [];
    const s2 = await make(second).run(recipe);
    expect(s2.nodes.map((n) => n.status)).toEqual(['done', 'done', 'done']);
    expect(second.some((e) => 'nodeId' in e && e.nodeId === 'teacher')).toBe(false);
    expect(filesWithMtime(teacherDir)).toEqual(before);
    // no temporary files are left behind
    expect((readdirSync(root, { recursive: true }) as string[]).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
