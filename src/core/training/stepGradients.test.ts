import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { arrayExampleSet } from '../data/sqgExampleSet';
import type { SqgExample } from '../data/sqgExamples';
import type { BertConfig } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { resolveStageConfig, type StageKind } from './stageConfig';
import { computeGradients, lossPlan, microBatchSeed } from './stepGradients';
import { trainStage } from './trainStage';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONFIG: BertConfig = {
  vocabSize: 40, hiddenSize: 16, numHiddenLayers: 4, numAttentionHeads: 2, intermediateSize: 32, hiddenAct: 'gelu',
  hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, maxPositionEmbeddings: 64, typeVocabSize: 2, layerNormEps: 1e-12,
  padTokenId: 0, initializerRange: 0.2,
};

/** n rows of the same length (so micro-batches pad as the full batch does). */
function rowsOfLength(n: number, len: number): SqgExample[] {
  return Array.from({ length: n }, (_, r) => {
    const inputIds = Array.from({ length: len }, (_, i) => (i === 0 ? 1 : i === len - 1 ? 3 : 5 + ((r * 11 + i * 7) % 35)));
    return { inputIds, tokenTypeIds: inputIds.map((_, i) => (i > len / 2 ? 1 : 0)), maskPos: len - 1, label: 5 + ((r * 13) % 35) };
  });
}

async function read(stats: tf.Tensor, grads: (tf.Tensor | null)[]): Promise<{ stats: number[]; grads: number[][] }> {
  return { stats: Array.from(await stats.data()), grads: await Promise.all(grads.map(async (g) => (g ? Array.from(await g.data()) : []))) };
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((x, i) => x.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i]![j]!)))));
  return d;
}

describe('gradient accumulation', () => {
  for (const kind of ['teacher', 'distill'] as StageKind[])
    it(`one batch of 8 equals four micro-batches of 2 (${kind}${kind === 'distill' ? ', every term, soft CE study' : ''}), without leaking`, async () => {
      const teacher = BertForMaskedLM.create(CONFIG, 1);
      const student = kind === 'distill' ? teacher.withLayers([0, 2]) : teacher.clone();
      const cfg = resolveStageConfig(kind, { batchSize: 8, hiddenDropout: 0, attentionDropout: 0, distill: { schedule: 'all', softForm: 'study' } });
      const plan = lossPlan(kind, student, kind === 'distill' ? teacher : undefined, cfg, 1);
      const { terms } = plan.termsAt(0);
      if (kind === 'distill') expect(terms).toEqual(['logits', 'soft', 'hidden/0', 'hidden/1', 'attn/1', 'attn/2']);
      const rows = rowsOfLength(8, 12);
      const vars = student.trainableVariables();
      const step = (microBatchSize: number) =>
        computeGradients({
          model: student, teacher: kind === 'distill' ? teacher : undefined, vars, rows, terms, plan, seed: 7,
          dropout: { hidden: 0, attention: 0 }, recompute: false, microBatchSize, softChunkRows: 5,
        });
      const warm = step(0); // warm-up (caches made on first use)
      tf.dispose([warm.stats, ...warm.grads.filter((g) => g !== null)]);
      const before = tf.memory().numTensors;
      const full = step(0);
      const acc = step(2);
      const a = await read(full.stats, full.grads);
      const b = await read(acc.stats, acc.grads);
      tf.dispose([full.stats, acc.stats, ...full.grads.filter((g) => g !== null), ...acc.grads.filter((g) => g !== null)]);
      expect(tf.memory().numTensors).toBe(before);
      expect(a.stats.length).toBe(2 + terms.length);
      a.stats.forEach((v, i) => expect(Math.abs(v - b.stats[i]!)).toBeLessThan(1e-5));
      expect(acc.grads.map((g) => g === null)).toEqual(full.grads.map((g) => g === null));
      expect(maxAbsDiff(a.grads, b.grads)).toBeLessThan(1e-5);
      expect(a.stats[1]).toBeGreaterThan(0);
      student.dispose();
      teacher.dispose();
    });

  it('trainStage: microBatchSize = batchSize is bit-identical to 0; micro-batches of 2 give the same step to 1e-5', async () => {
    const base = BertForMaskedLM.create(CONFIG, 3);
    const data = arrayExampleSet(rowsOfLength(8, 10));
    const run = async (microBatchSize: number, dropout = 0) => {
      const student = base.clone();
      const losses: number[] = [];
      const config = resolveStageConfig('teacher', { epochs: 1, batchSize: 8, microBatchSize, trainFraction: 1, learningRate: 1e-3, hiddenDropout: dropout, attentionDropout: dropout });
      await trainStage({ kind: 'teacher', student, examples: data, config, onStep: (e) => void losses.push(e.loss) });
      const w = await Promise.all(student.trainableVariables().map(async (v) => Array.from(await v.data())));
      student.dispose();
      return { losses, w };
    };
    const plain = await run(0, 0.2);
    expect(await run(8, 0.2)).toEqual(plain);
    const a = await run(0);
    const b = await run(2);
    expect(Math.abs(a.losses[0]! - b.losses[0]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(a.w, b.w)).toBeLessThan(1e-5);
    base.dispose();
  });

  it('micro-batch seeds: k = 0 is the step seed, others differ', () => {
    expect(microBatchSeed(123, 0)).toBe(123);
    expect(new Set([0, 1, 2, 3].map((k) => microBatchSeed(123, k))).size).toBe(4);
  });
});
