// The runner's one result line per node it finished in this run (runMessages.ts describeNodeResult), and the
// vocabulary size in the record's model facts (the charts say the soft term's scale with it).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleItems } from '../data/sampleDataset';
import { readState } from './checkpoints';
import type { LabEvent } from './events';
import type { Recipe } from './recipe';
import { ExperimentRunner } from './runner';
import { MemoryStorage } from './storage';
import { tokenizerFor } from '../data/testing/itemsTokenizer';

const items = sampleItems();
const tok = tokenizerFor(items);
const TRAIN = { epochs: 1, batchSize: 16, learningRate: 1e-3 };
const recipe: Recipe = {
  version: 1,
  data: { maxSeqLen: 48, policy: 'window' },
  eval: { beamSize: 2, limit: 2, batchSize: 2, samples: 0 },
  nodes: [
    { id: 'teacher', parent: null, stage: 'teacher', config: { ...TRAIN, init: { preset: 'tiny', layers: 2, hidden: 16, heads: 2, intermediate: 32 } } },
    { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
    { id: 'distill', parent: 'student', stage: 'distill', config: { ...TRAIN, trainFraction: 0.5 } },
  ],
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runner: one result line per finished node', () => {
  it('each node run says its time, avg_score, % of the teacher and last loss once; a second run keeps them and says nothing', async () => {
    const storage = new MemoryStorage();
    const events: LabEvent[] = [];
    const run = () => new ExperimentRunner({ storage, train: items.slice(0, 6), test: items.slice(200, 202), tokenizer: tok, onEvent: (e) => events.push(e) }).run(recipe);
    await run();
    const lines = events.flatMap((e) => (e.type === 'log' && / done (in|\()/.test(e.message) ? [e.message] : []));
    expect(lines).toHaveLength(3);
    const t = (await readState(storage, 'teacher'))!;
    const d = (await readState(storage, 'distill'))!;
    expect(lines[0]).toMatch(/^node 'teacher' \(Teacher[^)]*\) done in [\d.]+ s, \d+ steps: avg_score \d+\.\d\d, last loss [\d.]+$/);
    expect(lines[1]).toMatch(/^node 'student' \(.+\) done in [\d.]+ s \(no training\): avg_score \d+\.\d\d( \([\d.]+ % of teacher 'teacher'\))?$/);
    expect(lines[2]).toContain(`avg_score ${(d.scores!.avg_score * 100).toFixed(2)}`);
    if (t.scores!.avg_score > 0) expect(lines[2]).toContain(`(${((d.scores!.avg_score / t.scores!.avg_score) * 100).toFixed(1)} % of teacher 'teacher')`);
    expect(lines[2]).toContain(`last loss ${Number(d.lastLoss!.toPrecision(3))}`);
    // the model facts carry the vocabulary size
    expect(t.model?.vocabSize).toBe(tok.vocabSize);
    expect(d.model?.vocabSize).toBe(tok.vocabSize);

    events.length = 0;
    await run();
    expect(events.some((e) => e.type === 'log' && / done (in|\()/.test(e.message))).toBe(false);
  });
});
