import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { groupedConvMatMul } from './groupedConvMatMul';
import { useBackend } from './useBackend';

describe('groupedConvMatMul', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const backend of ['cpu', 'wasm'])
    it(`equals tf.matMul for attention-like and odd shapes (${backend}, tolerance 1e-4 abs)`, async () => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        for (const [G, M, K, N] of [[8, 32, 16, 32], [3, 5, 7, 2], [1, 1, 4, 3], [6, 9, 1, 4]] as const) {
          const a = tf.randomNormal([G, M, K], 0, 1, 'float32', G + M) as tf.Tensor3D;
          const b = tf.randomNormal([G, K, N], 0, 1, 'float32', K + N) as tf.Tensor3D;
          const got = groupedConvMatMul(a, b);
          expect(got.shape).toEqual([G, M, N]);
          expect(tf.max(tf.abs(tf.sub(got, tf.matMul(a, b)))).dataSync()[0]).toBeLessThan(1e-4);
        }
      });
      expect(tf.memory().numTensors).toBe(before);
    });

  it('rejects shapes that do not chain', () => {
    expect(() => groupedConvMatMul(tf.zeros([2, 3, 4]) as tf.Tensor3D, tf.zeros([2, 5, 6]) as tf.Tensor3D)).toThrow(/do not chain/);
  });
});
