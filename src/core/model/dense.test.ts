import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense } from './dense';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dense', () => {
  it('is x·w + bias, and x·w without a bias (1e-5)', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
      const w = tf.randomNormal([3, 7], 0, 1, 'float32', 7) as tf.Tensor2D;
      const b = tf.randomNormal([7], 0, 1, 'float32', 8) as tf.Tensor1D;
      const maxDiff = (a: tf.Tensor, c: tf.Tensor) => tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]!;
      expect(maxDiff(dense(x, w, b), tf.add(tf.matMul(x, w), b))).toBeLessThan(1e-5);
      expect(maxDiff(dense(x, w), tf.matMul(x, w))).toBeLessThan(1e-5);
    });
  });
});
