// Trees stored by the lab before records were versioned (commit 772c5ab; fixtures/v1/README.md says how they were
// written) still open, resume and fork: a CLI run folder here, the browser's IndexedDB in
// workers/idbStorage.v1.test.ts.
import * as tf from '@tensorflow/tfjs';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labSplit, sampleItems } from '../../data/sampleDataset';
import type { LabEvent } from '../../experiment/events';
import { readEval, readState } from '../../experiment/checkpoints';
import { ExperimentRunner } from '../../experiment/runner';
import type { Recipe } from '../../experiment/recipe';
import { FsStorage } from '../../../node/fsStorage';
import { listNodeRecords } from '../nodeIndex';
import { resolveRunTokenizer } from '../runInputs';
import recipeJson from './fixtures/v1/run-v1.recipe.json';

const here = path.dirname(fileURLToPath(import.meta.url));
const recipe = recipeJson as unknown as Recipe;

describe('a CLI run folder written before versioned records (v1)', () => {
  let dir: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(path.join(tmpdir(), 'qglab-v1-'));
    cpSync(path.join(here, 'fixtures/v1/run-v1'), dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens: its records upgrade on read', async () => {
    const nodes = await listNodeRecords(new FsStorage(dir));
    expect(nodes.map((n) => [n.id, n.status, n.schemaVersion])).toEqual([
      ['teacher', 'done', 2],
      ['student', 'done', 2],
      ['distill', 'cancelled', 2],
    ]);
    const teacher = nodes[0]!;
    expect(teacher.label).toBe('Teacher · tiny 2L h32');
    expect(teacher.lastLoss).toBeGreaterThan(0); // v1's finalLoss
    expect(nodes[2]!.steps).toBe(2);
  });

  it('resumes the interrupted node from its checkpoint, keeps the finished ones, then forks', async () => {
    const storage = new FsStorage(dir);
    // the sample this run folder was made on (its version 1: the questions named their entities)
    const all = sampleItems('synthetic-1');
    const { train, test } = labSplit(all);
    const { tokenizer, how } = await resolveRunTokenizer({ recipe, storage, items: all });
    expect(how).toMatch(/saved with teacher 'teacher'/);
    const events: LabEvent[] = [];
    const runner = () => new ExperimentRunner({ storage, train, test, tokenizer, onEvent: (e) => events.push(e), backend: 'cpu' });
    const before = await readState(storage, 'teacher');
    const summary = await runner().run(recipe);
    expect(summary.nodes.map((n) => [n.id, n.status])).toEqual([
      ['teacher', 'done'],
      ['student', 'done'],
      ['distill', 'done'],
      ['selftrain', 'done'],
    ]);
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(logs).toContain("node 'distill': resuming distill from step 2 of 29");
    expect(logs.some((m) => /redoing/.test(m))).toBe(false);
    expect(events.some((e) => e.type === 'step' && e.nodeId === 'teacher')).toBe(false);
    const distill = (await readState(storage, 'distill'))!;
    expect([distill.status, distill.steps, distill.totalSteps, distill.resumes]).toEqual(['done', 29, 29, 1]);
    expect((await readState(storage, 'teacher'))!.finishedAt).toBe(before!.finishedAt);
    // a v1 evaluation reads as what it was (raw references, window around the answer); the nodes evaluated now
    // score as their teacher did, so the % of the teacher compares like with like
    // (v3: its one timed pass reads as one timing run)
    const teacherEval = (await readEval(storage, 'teacher'))!;
    expect(teacherEval).toMatchObject({ schemaVersion: 3, normalize: 'none', contextCut: { mode: 'answer-window' } });
    expect(teacherEval.genTiming.runs).toEqual([teacherEval.genTimeMs / teacherEval.n]);
    for (const id of ['distill', 'selftrain'])
      expect(await readEval(storage, id), id).toMatchObject({ normalize: 'none', contextCut: { mode: 'answer-window', prompts: 4 } });
    expect(logs).toContain("node 'distill': eval.normalize is not set; using 'none' as teacher 'teacher' was evaluated, so the two compare");

    // fork: a second self-train branch off the resumed distill node, with another dropout
    const fork: Recipe = {
      ...recipe,
      nodes: [...recipe.nodes, { id: 'selftrain-b', parent: 'distill', stage: 'selftrain', config: { epochs: 1, batchSize: 8, learningRate: 0.001, hiddenDropout: 0.2, attentionDropout: 0.2 } }],
    };
    events.length = 0;
    const s2 = await runner().run(fork);
    expect(s2.nodes.find((n) => n.id === 'selftrain-b')?.status).toBe('done');
    expect(events.filter((e) => e.type === 'step').every((e) => e.type === 'step' && e.nodeId === 'selftrain-b')).toBe(true);
  });
});
