import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  attentionMse,
  computeLossTerms,
  hardCrossEntropy,
  hiddenStateMse,
  rowsAtPositions,
  softCrossEntropyAtMask,
  softCrossEntropyStudy,
} from './distillLosses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const val = async (t: tf.Tensor) => (await t.data())[0];

describe('hard cross-entropy at [MASK]', () => {
  it('matches hand-computed values', async () => {
    // row 0: -log(e^3 / (e + e^2 + e^3)) = log(1 + e^-1 + e^-2); row 1: log 3
    const want = (Math.log(1 + Math.exp(-1) + Math.exp(-2)) + Math.log(3)) / 2; // 0.7531091
    const loss = hardCrossEntropy(tf.tensor2d([[1, 2, 3], [0, 0, 0]]), tf.tensor1d([2, 1], 'int32'));
    expect(await val(loss)).toBeCloseTo(want, 6);
  });
});

describe("soft cross-entropy, form 'mask' (T^2-scaled, at the [MASK] row)", () => {
  it('matches hand-computed values at T = 2', async () => {
    // T^2 * sum_v -softmax([1.5, 1, .5]) * log_softmax([.5, 1, 1.5]) = 5.3613920 (float64 reference)
    const one = softCrossEntropyAtMask(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[3, 2, 1]]), 2);
    expect(await val(one)).toBeCloseTo(5.361392018226551, 5);
    // mean over rows: second row student [0,1,0], teacher uniform
    const two = softCrossEntropyAtMask(tf.tensor2d([[1, 2, 3], [0, 1, 0]]), tf.tensor2d([[3, 2, 1], [0, 0, 0]]), 2);
    expect(await val(two)).toBeCloseTo(4.936116214615229, 5);
  });

  it('of identical distributions equals the entropy (T = 1)', async () => {
    const logits = tf.tensor2d([[0.3, -1, 2, 0.5]]);
    const p = Array.from(await tf.softmax(logits).data());
    const entropy = -p.reduce((s, x) => s + x * Math.log(x), 0);
    expect(await val(softCrossEntropyAtMask(logits, logits, 1))).toBeCloseTo(entropy, 6);
  });
});

describe("soft cross-entropy, form 'study' (distil.py soft_cross_entropy)", () => {
  it('is the mean of -p_teacher * log p_student over every position and vocab entry', async () => {
    // [B=1, S=2, V=3]; divide the summed cross-entropy by B*S*V = 6
    const s = tf.tensor3d([[[1, 2, 3], [0, 0, 1]]]);
    const t = tf.tensor3d([[[3, 2, 1], [1, 1, 1]]]);
    expect(await val(softCrossEntropyStudy(s, t))).toBeCloseTo(0.5334879546079232, 6);
  });

  it('of identical distributions equals entropy / vocab (the mean runs over vocab entries too)', async () => {
    const logits = tf.tensor3d([[[0.3, -1, 2, 0.5]]]);
    const p = Array.from(await tf.softmax(logits).data());
    const entropy = -p.reduce((s, x) => s + x * Math.log(x), 0);
    expect(await val(softCrossEntropyStudy(logits, logits))).toBeCloseTo(entropy / 4, 6);
  });
});

describe('hidden / attention MSE (F.mse_loss, reduction mean)', () => {
  it('averages over every element, padding included', async () => {
    const s = tf.tensor3d([[[1, 2], [3, 4]]]);
    const t = tf.tensor3d([[[0, 2], [3, 6]]]);
    expect(await val(hiddenStateMse(s, t))).toBeCloseTo((1 + 0 + 0 + 4) / 4, 6);
    const a = tf.tensor4d([[[[0.5, 0.5], [1, 0]]]]);
    const b = tf.tensor4d([[[[1, 0], [1, 0]]]]);
    expect(await val(attentionMse(a, b))).toBeCloseTo((0.25 + 0.25) / 4, 6);
  });

  it('rejects mismatched shapes with a clear message', () => {
    expect(() => hiddenStateMse(tf.zeros([1, 2, 4]), tf.zeros([1, 2, 8]))).toThrow(/hidden sizes must match.*\[1,2,4\].*\[1,2,8\]/);
  });
});

describe('computeLossTerms', () => {
  it('names every term and reads mask rows out of full logits', async () => {
    const full = tf.tensor3d([[[9, 9, 9], [1, 2, 3]], [[0, 0, 0], [5, 5, 5]]]); // [2, 2, 3]
    const maskPositions = tf.tensor1d([1, 0], 'int32');
    expect(Array.from(await rowsAtPositions(full, maskPositions).data())).toEqual([1, 2, 3, 0, 0, 0]);
    const hs = [tf.ones([2, 2, 3]), tf.zeros([2, 2, 3])];
    const att = [tf.fill([2, 1, 2, 2], 0.5)];
    const terms = computeLossTerms({
      terms: ['logits', 'soft', 'hidden/1', 'attn/1'],
      labels: tf.tensor1d([2, 1], 'int32'),
      maskPositions,
      student: { logits: full, hiddenStates: hs, attentions: att },
      teacher: { logits: full, hiddenStates: [tf.zeros([2, 2, 3]), tf.ones([2, 2, 3])], attentions: [tf.fill([2, 1, 2, 2], 0.25)] },
      hiddenPairs: new Map([[1, 0]]),
      attnPairs: new Map([[1, 1]]),
      softForm: 'study',
    });
    expect([...terms.keys()]).toEqual(['logits', 'soft', 'hidden/1', 'attn/1']);
    expect(await val(terms.get('logits')!)).toBeCloseTo((Math.log(1 + Math.exp(-1) + Math.exp(-2)) + Math.log(3)) / 2, 6);
    expect(await val(terms.get('hidden/1')!)).toBeCloseTo(0, 6); // student hidden 1 (zeros) vs teacher hidden 0 (zeros)
    expect(await val(terms.get('attn/1')!)).toBeCloseTo(0.0625, 6);
    expect(() =>
      computeLossTerms({ terms: ['hidden/2'], labels: tf.tensor1d([0], 'int32'), maskPositions, student: { hiddenStates: [], attentions: [] }, teacher: { hiddenStates: [], attentions: [] }, hiddenPairs: new Map() }),
    ).toThrow(/no teacher layer/);
  });
});
