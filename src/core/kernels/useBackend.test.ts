import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { installKernelsFor } from './installKernels';
import { useBackend } from './useBackend';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('useBackend', () => {
  it('selects the backend, waits for it and installs its patches (twice: harmless)', async () => {
    expect(await useBackend('wasm')).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    const patched = tf.getKernel('Identity', 'wasm')!.kernelFunc;
    expect(installKernelsFor('wasm')).toHaveLength(2); // already in place
    expect(await useBackend('wasm')).toBe(true);
    expect(tf.getKernel('Identity', 'wasm')!.kernelFunc).toBe(patched);
    expect(await useBackend('cpu')).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('throws, as tf.setBackend, for a backend that is not registered', async () => {
    await expect(useBackend('no-such-backend')).rejects.toThrow(/not found/);
  });
});
