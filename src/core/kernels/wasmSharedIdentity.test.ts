// The WASM Identity patch, installed as the lab installs it: through useBackend('wasm').
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from './useBackend';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('WASM shared Identity', () => {
  const identity = (x: tf.Tensor) => tf.engine().runKernel('Identity', { x }) as tf.Tensor;

  it('copies the data before the install and shares it after; values and disposal stay right', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const copy = identity(x);
    expect(copy.dataId).not.toBe(x.dataId);
    copy.dispose();

    expect(await useBackend('wasm')).toBe(true);
    const buffers = tf.memory().numDataBuffers;
    const y = identity(x);
    expect(y.dataId).toBe(x.dataId);
    expect(tf.memory().numDataBuffers).toBe(buffers); // no second copy of the data
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]); // still alive: y holds a reference
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(buffers - 1);
  });
});
