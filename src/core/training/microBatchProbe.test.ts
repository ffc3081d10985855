import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BertConfig } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { estimateStepMemory } from './memoryEstimate';
import { isOutOfMemoryError, probeMicroBatch } from './microBatchProbe';
import { resolveStageConfig } from './stageConfig';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONFIG: BertConfig = {
  vocabSize: 40, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 32, hiddenAct: 'gelu',
  hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1, maxPositionEmbeddings: 64, typeVocabSize: 2, layerNormEps: 1e-12,
  padTokenId: 0, initializerRange: 0.1,
};

describe('probeMicroBatch', () => {
  it('returns the largest size under the limit, with its peak memory and time, and leaks nothing', async () => {
    const teacher = BertForMaskedLM.create(CONFIG, 1);
    const student = teacher.withLayers([1]);
    const config = resolveStageConfig('distill', { batchSize: 4 });
    const est = (m: number) => estimateStepMemory(student.config, { seqLen: 48, microBatch: m, kind: 'distill', recompute: false, teacherConfig: CONFIG, accumulating: m < 4 });
    const limit = est(4).totalBytes - 1;
    expect(est(2).totalBytes).toBeLessThan(limit);
    const before = tf.memory().numTensors;
    const r = await probeMicroBatch({ kind: 'distill', student, teacher, config, seqLen: 48, skipAboveBytes: limit });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.tries.map((t) => [t.microBatch, t.outcome])).toEqual([[4, 'skipped'], [2, 'fits']]);
    expect(r.microBatch).toBe(2);
    expect(r.peakBytes).toBeGreaterThan(0);
    expect(r.secondsPerMicroBatch).toBeGreaterThan(0);
    student.dispose();
    teacher.dispose();
  });

  it('recognises out-of-memory errors', () => {
    expect(isOutOfMemoryError(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemoryError(new Error('RuntimeError: memory access out of bounds'))).toBe(true);
    expect(isOutOfMemoryError(new Error('shapes do not match'))).toBe(false);
  });
});

describe('estimateStepMemory', () => {
  it('grows with the micro-batch and shrinks with recompute; bert-base weights + moments + gradients are 16 bytes a parameter', () => {
    const base: BertConfig = { ...CONFIG, vocabSize: 21128, hiddenSize: 768, numHiddenLayers: 12, numAttentionHeads: 12, intermediateSize: 3072, maxPositionEmbeddings: 512 };
    const e = (microBatch: number, recompute: boolean) => estimateStepMemory(base, { seqLen: 512, microBatch, kind: 'teacher', recompute });
    expect(e(8, false).totalBytes).toBeGreaterThan(e(2, false).totalBytes);
    expect(e(8, true).totalBytes).toBeLessThan(e(8, false).totalBytes);
    const p = e(1, false).parts;
    expect((p.weights! + p.adamMoments! + p.gradients!) / 16).toBeCloseTo(102_290_312, -5); // bert-base-chinese MLM
  });
});
