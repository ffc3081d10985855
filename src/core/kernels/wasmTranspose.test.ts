// The WASM Transpose patch, installed as the lab installs it: through useBackend('wasm').
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './useBackend';

let unpatched: tf.KernelFunc | undefined;

beforeAll(async () => {
  unpatched = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
  expect(await useBackend('wasm')).toBe(true);
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('WASM Transpose patch', () => {
  it('is in place after useBackend', () => {
    expect(unpatched).toBeDefined();
    expect(tf.getKernel('Transpose', 'wasm')!.kernelFunc).not.toBe(unpatched);
  });

  it('every permutation of a rank-4 tensor equals the CPU backend (float32, int32, bool)', async () => {
    const shape = [2, 3, 4, 5];
    const n = 120;
    const perms: number[][] = [];
    const permute = (rest: number[], acc: number[]) =>
      rest.length === 0 ? perms.push(acc) : rest.forEach((a, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, a]));
    permute([0, 1, 2, 3], []);
    const values = Array.from({ length: n }, (_, i) => (i * 37) % 11);
    const results = (backend: string) => {
      const out: number[][] = [];
      for (const dtype of ['float32', 'int32', 'bool'] as const)
        for (const perm of perms)
          out.push(Array.from(tf.tidy(() => tf.transpose(tf.tensor(values.map((v) => (dtype === 'bool' ? v % 2 : v)), shape, dtype), perm).dataSync())));
      return { backend, out };
    };
    const wasm = results('wasm');
    await tf.setBackend('cpu');
    const cpu = results('cpu');
    await tf.setBackend('wasm');
    expect(wasm.out).toEqual(cpu.out);
  });
});
