import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddingLookup } from './embeddingLookup';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void {
  expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!)).toBeLessThan(tol);
}

describe('embeddingLookup', () => {
  it('gathers rows; gradient sums duplicates and skips the padding row', () => {
    tf.tidy(() => {
      const table = tf.randomNormal([6, 3], 0, 1, 'float32', 1);
      const ids = tf.tensor2d([[0, 2, 2], [5, 0, 1]], undefined, 'int32');
      close(embeddingLookup(table as tf.Tensor2D, ids), tf.gather(table, ids.reshape([-1])));
      const w = tf.randomNormal([6, 3], 0, 1, 'float32', 2);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids, 0), w)))(table);
      const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids.reshape([-1])), w)))(table);
      const mask = tf.tensor2d([0, 1, 1, 1, 1, 1], [6, 1]);
      close(g, tf.mul(ref, mask));
      const gNoPad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids), w)))(table);
      close(gNoPad, ref);
    });
  });
});
