// `qglab run --threads 2` (the runner with nodeRunThreads) trains and evaluates as one thread does with the same
// micro-batches: a teacher and a distilled student (every loss term, dropout on), losses within 1e-4 at every step,
// the same generated questions, and the workers' pools closed after.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleItems } from '../../core/data/sampleDataset';
import { tokenizerFor } from '../../core/data/testing/itemsTokenizer';
import { readEval, readHistory } from '../../core/experiment/checkpoints';
import type { LabEvent } from '../../core/experiment/events';
import type { Recipe } from '../../core/experiment/recipe';
import { ExperimentRunner } from '../../core/experiment/runner';
import type { RunThreads } from '../../core/experiment/runThreads';
import { MemoryStorage } from '../../core/experiment/storage';
import { useBackend } from '../../core/kernels/useBackend';
import { nodeRunThreads } from './runThreads';

const items = sampleItems();
const train = items.slice(0, 24);
const test = items.slice(200, 204);
const tok = tokenizerFor(items);
const STAGE = { epochs: 1, batchSize: 8, learningRate: 1e-3, hiddenDropout: 0.1, attentionDropout: 0.1, seed: 3 };

const recipe = (microBatchSize: number): Recipe => ({
  version: 1,
  data: { maxSeqLen: 64, maxQuestionLen: 12, policy: 'window', validationItems: 0 },
  eval: { beamSize: 2, limit: 4, batchSize: 4, samples: 0, sampleEverySteps: 0, timingRepeats: 1 },
  nodes: [
    { id: 'teacher', parent: null, stage: 'teacher', config: { init: { preset: 'tiny', layers: 2, hidden: 16, heads: 2, intermediate: 32 }, ...STAGE, microBatchSize } },
    { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
    { id: 'distill', parent: 'student', stage: 'distill', config: { ...STAGE, microBatchSize, distill: { schedule: 'all', layerMap: 'study' } } },
  ],
});

async function runWith(r: Recipe, threads?: RunThreads) {
  const storage = new MemoryStorage();
  const events: LabEvent[] = [];
  const summary = await new ExperimentRunner({ storage, train, test, tokenizer: tok, onEvent: (e) => events.push(e), backend: 'wasm', threads }).run(r);
  const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
  if (summary.nodes.some((n) => n.status !== 'done')) throw new Error(`run failed: ${JSON.stringify(summary.nodes)}\n${logs.join('\n')}`);
  const out: Record<string, { losses: number[]; questions: string[] }> = {};
  for (const id of ['teacher', 'distill']) {
    const ev = await readEval(storage, id);
    out[id] = { losses: (await readHistory(storage, id)).map((p) => p.loss), questions: ev!.questions.map((q) => q.generated) };
  }
  return { summary, logs, out };
}

beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('qglab run --threads 2 (runner with nodeRunThreads)', () => {
  it('gives the losses and questions of one thread with the same micro-batches', async () => {
    const one = await runWith(recipe(4));
    const pools = nodeRunThreads({ threads: 2, backend: 'wasm', tokenizer: tok });
    const used = { steps: 0, evaluations: 0 };
    const threads: RunThreads = {
      ...pools,
      gradientsOf: (inp) => (used.steps++, pools.gradientsOf(inp)),
      generatorFor: (model) => (used.evaluations++, pools.generatorFor(model)),
    };
    let two;
    try {
      two = await runWith(recipe(0), threads);
    } finally {
      await pools.close();
    }
    // batch 8 over 2 threads: micro-batches of 4, one per thread; one thread with microBatchSize 4 is the same update
    expect(two.summary.nodes.map((n) => n.status)).toEqual(['done', 'done', 'done']);
    // every step's gradients and every evaluation (teacher, cut student, distilled student) ran on the pools
    const steps = two.out.teacher!.losses.length + two.out.distill!.losses.length;
    expect(used).toEqual({ steps, evaluations: 3 });
    expect(two.logs).toContain("node 'teacher': training steps on 2 threads (micro-batches of 4 rows)");
    for (const id of ['teacher', 'distill']) {
      const a = two.out[id]!;
      const b = one.out[id]!;
      expect(a.losses.length).toBeGreaterThan(1);
      expect(a.losses).toHaveLength(b.losses.length);
      for (let i = 0; i < a.losses.length; i++) expect(Math.abs(a.losses[i]! - b.losses[i]!)).toBeLessThan(1e-4);
      expect(a.questions).toEqual(b.questions);
    }
  }, 120_000);
});
