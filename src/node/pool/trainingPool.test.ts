// A training pool of 2 threads gives the step of one thread with the same micro-batches (same dropout masks, same
// weighting), to 1e-5: the gradient of a teacher (hard CE) and of a distill step (hard + soft + hidden + attention
// terms), and the weights after whole stages through trainStage (clipping and AdamW in this thread).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayExampleSet } from '../../core/data/sqgExampleSet';
import type { SqgExample } from '../../core/data/sqgExamples';
import { useBackend } from '../../core/kernels/useBackend';
import type { BertConfig } from '../../core/model/bertConfig';
import { BertForMaskedLM } from '../../core/model/bertForMaskedLM';
import { resolveStageConfig, type StageKind } from '../../core/training/stageConfig';
import { computeGradients, lossPlan, type StepGradients } from '../../core/training/stepGradients';
import { trainStage } from '../../core/training/trainStage';
import { dealMicroBatches, poolMicroBatchSize, TrainingPool } from './trainingPool';

const CONFIG: BertConfig = {
  vocabSize: 40, hiddenSize: 16, numHiddenLayers: 4, numAttentionHeads: 2, intermediateSize: 32, hiddenAct: 'gelu',
  hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, maxPositionEmbeddings: 64, typeVocabSize: 2, layerNormEps: 1e-12,
  padTokenId: 0, initializerRange: 0.2,
};

/** n rows of lengths 9..12 (micro-batches pad to their own longest row) */
function rows(n: number): SqgExample[] {
  return Array.from({ length: n }, (_, r) => {
    const len = 9 + (r % 4);
    const inputIds = Array.from({ length: len }, (_, i) => (i === 0 ? 1 : i === len - 1 ? 3 : 5 + ((r * 11 + i * 7) % 35)));
    return { inputIds, tokenTypeIds: inputIds.map((_, i) => (i > len / 2 ? 1 : 0)), maskPos: len - 1, label: 5 + ((r * 13) % 35) };
  });
}

async function read(g: StepGradients): Promise<{ stats: number[]; grads: (number[] | null)[] }> {
  const out = { stats: Array.from(await g.stats.data()), grads: await Promise.all(g.grads.map(async (t) => (t ? Array.from(await t.data()) : null))) };
  tf.dispose([g.stats, ...g.grads.filter((t): t is tf.Tensor => t !== null)]);
  return out;
}

const maxDiff = (a: number[], b: number[]) => a.reduce((d, v, i) => Math.max(d, Math.abs(v - b[i]!)), 0);

describe('dealMicroBatches / poolMicroBatchSize', () => {
  it('deals consecutive runs, the first workers one longer; cuts a batch into one micro-batch per thread unless it has enough', () => {
    expect(dealMicroBatches(5, 2)).toEqual([[0, 1, 2], [3, 4]]);
    expect(dealMicroBatches(1, 2)).toEqual([[0], []]);
    expect(poolMicroBatchSize(8, 0, 2)).toBe(4);
    expect(poolMicroBatchSize(7, 0, 2)).toBe(4);
    expect(poolMicroBatchSize(8, 2, 2)).toBe(2);
    expect(poolMicroBatchSize(8, 8, 2)).toBe(4);
    expect(poolMicroBatchSize(8, 0, 1)).toBe(0);
    expect(poolMicroBatchSize(1, 0, 2)).toBe(1);
  });
});

describe('TrainingPool on 2 threads', () => {
  let pool: TrainingPool;
  beforeAll(async () => {
    await useBackend('wasm');
    pool = await TrainingPool.open({ threads: 2, backend: 'wasm' });
  });
  afterAll(() => pool?.close());

  for (const kind of ['teacher', 'distill'] as StageKind[])
    it(`one step's gradient equals one thread's with the same micro-batches (${kind}, dropout 0.1${kind === 'distill' ? ', every term, soft CE study' : ''})`, async () => {
      const teacher = BertForMaskedLM.create(CONFIG, 1);
      const student = kind === 'distill' ? teacher.withLayers([0, 2]) : teacher.clone();
      const t = kind === 'distill' ? teacher : undefined;
      const cfg = resolveStageConfig(kind, { batchSize: 8, distill: { schedule: 'all', softForm: 'study' } });
      const plan = lossPlan(kind, student, t, cfg, 1);
      const { terms } = plan.termsAt(0);
      if (kind === 'distill') expect(terms).toEqual(['logits', 'soft', 'hidden/0', 'hidden/1', 'attn/1', 'attn/2']);
      const vars = student.trainableVariables();
      try {
        for (const [n, microBatchSize] of [[8, poolMicroBatchSize(8, 0, 2)], [7, 2]] as const) {
          const inp = { model: student, teacher: t, vars, rows: rows(n), terms, plan, seed: 99, dropout: { hidden: 0.1, attention: 0.1 }, recompute: false, microBatchSize, softChunkRows: 5 };
          // the teacher keeps its decoder's transpose from its first use in this thread: made before counting
          const one = await read(computeGradients(inp));
          const before = tf.memory().numTensors;
          const two = await read(await pool.gradientsOf(inp));
          expect(tf.memory().numTensors).toBe(before);
          expect(two.stats.length).toBe(2 + terms.length);
          expect(maxDiff(two.stats, one.stats)).toBeLessThan(1e-5);
          expect(two.grads.map((g) => g === null)).toEqual(one.grads.map((g) => g === null));
          two.grads.forEach((g, i) => g && expect(maxDiff(g, one.grads[i]!)).toBeLessThan(1e-5));
          // dropout is on: a different seed gives a different gradient (the masks are the micro-batches' own)
          const other = await read(await pool.gradientsOf({ ...inp, seed: 100 }));
          expect(maxDiff(other.stats, one.stats)).toBeGreaterThan(1e-4);
        }
      } finally {
        student.dispose();
        teacher.dispose();
      }
    });

  it('whole stages through trainStage (teacher, then distill on the same pool): the same weights as one thread to 1e-5, without leaking in the workers', async () => {
    const base = BertForMaskedLM.create(CONFIG, 3);
    const data = arrayExampleSet(rows(10)); // batches of 4: 4, 4, 2
    const run = async (kind: StageKind, from: BertForMaskedLM, teacher: BertForMaskedLM | undefined, threads: 1 | 2) => {
      const student = kind === 'distill' ? from.withLayers([1, 3]) : from.clone();
      // the same micro-batches on one thread and on the pool: 2 rows (batch 4 over 2 threads); the short batch is one
      const config = resolveStageConfig(kind, {
        epochs: 2, batchSize: 4, microBatchSize: poolMicroBatchSize(4, 0, 2), trainFraction: 1, learningRate: 1e-3, hiddenDropout: 0.1, attentionDropout: 0.1,
        maxGradNorm: 0.5, distill: { schedule: 'all', softForm: 'study' },
      });
      const losses: number[] = [];
      await trainStage({ kind, student, teacher, examples: data, config, gradientsOf: threads === 2 ? pool.gradientsOf : undefined, onStep: (e) => void losses.push(e.loss) });
      return { student, losses, weights: await student.toStateDict() };
    };
    const t1 = await run('teacher', base, undefined, 1);
    const t2 = await run('teacher', base, undefined, 2);
    const afterTeacher = [...pool.workerTensors];
    const d1 = await run('distill', t1.student, t1.student, 1);
    const d2 = await run('distill', t1.student, t1.student, 2);
    const afterDistill = [...pool.workerTensors];
    const d2again = await run('distill', t1.student, t1.student, 2); // the same stage again: a new setup, nothing left behind
    try {
      for (const [a, b] of [[t1, t2], [d1, d2], [d1, d2again]]) {
        expect(b!.losses.length).toBe(6);
        expect(maxDiff(b!.losses, a!.losses)).toBeLessThan(1e-5);
        for (const [name, w] of a!.weights) expect(maxDiff(Array.from(b!.weights.get(name)!.data), Array.from(w.data)), name).toBeLessThan(1e-5);
      }
      // the weights moved (a real update, not two untouched copies)
      const emb = 'bert.embeddings.word_embeddings.weight';
      expect(maxDiff(Array.from(t1.weights.get(emb)!.data), Array.from((await base.toStateDict()).get(emb)!.data))).toBeGreaterThan(1e-4);
      // a worker holds its models and nothing else between steps: the same count after the same stage set up twice
      expect(afterTeacher.every((n) => Number.isFinite(n))).toBe(true);
      expect(pool.workerTensors).toEqual(afterDistill);
    } finally {
      for (const r of [t1, t2, d1, d2, d2again]) r.student.dispose();
      base.dispose();
    }
  }, 120_000);
});
