// The record's `resumes` counter over several interruptions: reported to read 1 after two resumes. The tree and
// model are runner.test.ts's tiny ones (cpu backend, seconds); the distill stage is cancelled through the
// AbortSignal twice and resumed from its checkpoint each time.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleItems } from '../data/sampleDataset';
import { readState } from './checkpoints';
import type { LabEvent } from './events';
import type { Recipe } from './recipe';
import { ExperimentRunner } from './runner';
import { MemoryStorage, type RunStorage } from './storage';
import { tokenizerFor } from '../data/testing/itemsTokenizer';

const items = sampleItems();
const train = items.slice(0, 6);
const test = items.slice(200, 202);
const tok = tokenizerFor(items);

const recipe: Recipe = {
  version: 1,
  data: { maxSeqLen: 48, policy: 'window' },
  eval: { beamSize: 1, limit: 2, batchSize: 2, samples: 0 },
  nodes: [
    {
      id: 'teacher',
      parent: null,
      stage: 'teacher',
      config: { init: { preset: 'tiny', layers: 2, hidden: 16, heads: 2, intermediate: 32 }, epochs: 1, batchSize: 16, learningRate: 1e-3 },
    },
    { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
    {
      id: 'distill',
      parent: 'student',
      stage: 'distill',
      // small batches: enough steps to stop twice; a checkpoint every step
      config: { epochs: 1, batchSize: 8, learningRate: 1e-3, checkpointEverySteps: 1, trainFraction: 0.5, distill: { schedule: 'all', layerMap: 'study' } },
    },
  ],
};

/** Runs the recipe once; aborts when the distill stage reports step `stopAt` (never, if undefined). */
async function runOnce(storage: RunStorage, stopAt?: number): Promise<{ cancelled: boolean; distillSteps: number[] }> {
  const ac = new AbortController();
  const distillSteps: number[] = [];
  const summary = await new ExperimentRunner({
    storage,
    train,
    test,
    tokenizer: tok,
    onEvent: (e: LabEvent) => {
      if (e.type !== 'step' || e.nodeId !== 'distill') return;
      distillSteps.push(e.step);
      if (e.step === stopAt) ac.abort();
    },
  }).run(recipe, ac.signal);
  return { cancelled: summary.cancelled, distillSteps };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resumes counter', () => {
  it('counts every resume: 0 on the first attempt, 1 after one resume, 2 after two', async () => {
    const storage = new MemoryStorage();

    const first = await runOnce(storage, 1);
    expect(first.cancelled).toBe(true);
    expect(first.distillSteps).toEqual([1]);
    let st = (await readState(storage, 'distill'))!;
    expect([st.status, st.steps, st.resumes ?? 0]).toEqual(['cancelled', 1, 0]);

    const second = await runOnce(storage, 2);
    expect(second.cancelled).toBe(true);
    expect(second.distillSteps).toEqual([2]); // resumed after the checkpoint of step 1
    st = (await readState(storage, 'distill'))!;
    expect([st.status, st.steps, st.resumes]).toEqual(['cancelled', 2, 1]);

    const third = await runOnce(storage);
    expect(third.cancelled).toBe(false);
    expect(third.distillSteps[0]).toBe(3); // resumed after the checkpoint of step 2
    st = (await readState(storage, 'distill'))!;
    expect(st.status).toBe('done');
    expect(st.resumes).toBe(2);
    expect(st.steps).toBe(st.totalSteps);
    // nodes that were never interrupted were never resumed
    expect((await readState(storage, 'teacher'))!.resumes ?? 0).toBe(0);
  });
});
