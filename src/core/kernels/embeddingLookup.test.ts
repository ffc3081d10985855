import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddingLookup } from './embeddingLookup';
import { useBackend } from './useBackend';

afterAll(async () => {
  await tf.setBackend('cpu');
});

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void {
  expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!)).toBeLessThan(tol);
}

describe('embeddingLookup', () => {
  // WASM takes the GatherNd path and has no UnsortedSegmentSum (tf.gather's gradient): the reference gradient is
  // computed on the CPU backend there.
  for (const backend of ['cpu', 'wasm'])
    it(`gathers rows; gradient sums duplicates and skips the padding row (${backend})`, async () => {
      const rows = [[0.1, 0.2, 0.3], [1, 2, 3], [-1, 0.5, 2], [4, 4, 4], [0, 0, 1], [7, 8, 9]];
      const ids = [[0, 2, 2], [5, 0, 1]];
      const weights = Array.from({ length: 18 }, (_, i) => ((i * 7) % 5) - 2);
      const run = () =>
        tf.tidy(() => {
          const table = tf.tensor2d(rows);
          const idT = tf.tensor2d(ids, undefined, 'int32');
          const w = tf.tensor2d(weights, [6, 3]);
          const loss = (pad: number) => (t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, idT, pad), w));
          return [embeddingLookup(table, idT), tf.grad(loss(0))(table), tf.grad(loss(-1))(table)].map((t) => t.arraySync());
        });
      await tf.setBackend('cpu');
      const ref = tf.tidy(() => {
        const table = tf.tensor2d(rows);
        const flat = tf.tensor1d(ids.flat(), 'int32');
        const w = tf.tensor2d(weights, [6, 3]);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, flat), w)))(table);
        const mask = tf.tensor2d([0, 1, 1, 1, 1, 1], [6, 1]);
        return [tf.gather(table, flat), tf.mul(g, mask), g];
      });
      await useBackend(backend);
      const got = run();
      await tf.setBackend('cpu');
      got.forEach((g, i) => close(tf.tensor(g), ref[i]!));
      tf.dispose(ref);
    });
});
