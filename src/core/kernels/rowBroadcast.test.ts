import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { addRowVector, scaleShiftRows, sumRows } from './rowBroadcast';
import { useBackend } from './useBackend';

describe('rowBroadcast', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const backend of ['cpu', 'wasm'])
    it(`values and gradients equal TF.js autodiff of add/mul with broadcasting (${backend}, 1e-5)`, async () => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const close = (a: tf.Tensor, b: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
        const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 1);
        const g = tf.randomNormal([4], 0, 1, 'float32', 2) as tf.Tensor1D;
        const b = tf.randomNormal([4], 0, 1, 'float32', 3) as tf.Tensor1D;
        const w = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 4);
        close(sumRows(x), tf.sum(x, [0, 1]));
        const loss = (f: (...t: tf.Tensor[]) => tf.Tensor) => (...t: tf.Tensor[]) => tf.sum(tf.mul(f(...t), w));
        const ours = tf.grads(loss((xx, gg, bb) => scaleShiftRows(xx!, gg as tf.Tensor1D, bb as tf.Tensor1D)))([x, g, b]);
        const ref = tf.grads(loss((xx, gg, bb) => tf.add(tf.mul(xx!, gg!), bb!)))([x, g, b]);
        close(scaleShiftRows(x, g, b), tf.add(tf.mul(x, g), b));
        ours.forEach((t, i) => close(t, ref[i]!));
        const oursAdd = tf.grads(loss((xx, bb) => addRowVector(xx!, bb as tf.Tensor1D)))([x, b]);
        const refAdd = tf.grads(loss((xx, bb) => tf.add(xx!, bb!)))([x, b]);
        oursAdd.forEach((t, i) => close(t, refAdd[i]!));
      });
      expect(tf.memory().numTensors).toBe(before);
    });
});
