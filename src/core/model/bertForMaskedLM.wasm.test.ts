// The model on the WASM backend, where it keeps the tied decoder's transpose between inference calls.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bertPresets } from './bertConfig';
import { BertForMaskedLM } from './bertForMaskedLM';
import { setMatMulStrategy, matMulStrategy } from '../kernels/fastMatMul';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('BertForMaskedLM on WASM: kept decoder transpose', () => {
  it('gives the logits of the plain path, follows weight changes, and is freed with the model', () => {
    const start = tf.memory().numTensors;
    const model = BertForMaskedLM.create(bertPresets.tiny(50, 16), 5);
    const ids = tf.tensor2d([[2, 5, 6, 3, 9], [2, 7, 3, 8, 4]], undefined, 'int32');
    const pos = tf.tensor1d([4, 3], 'int32');
    const before = tf.memory().numTensors;
    const logits = () => tf.tidy(() => model.forward({ inputIds: ids }, { headPositions: 'all' }).logits!.dataSync().slice() as Float32Array);
    const plain = () => {
      // the same forward with the backend's native transpose flag (no kept transpose)
      const saved = matMulStrategy('wasm');
      setMatMulStrategy('wasm', { ...saved, transpose: 'native' });
      try {
        return logits();
      } finally {
        setMatMulStrategy('wasm', saved);
      }
    };
    const first = logits();
    expect(tf.memory().numTensors).toBe(before + 1); // the kept transpose
    const maxDiff = (x: Float32Array, y: Float32Array) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);
    expect(maxDiff(first, plain())).toBeLessThan(1e-5);
    expect(maxDiff(logits(), first)).toBe(0);
    // new weights: the kept transpose is remade, not reused
    const E = model.trainableVariables().find((v) => v.name.endsWith('bert.embeddings.word_embeddings.weight'))!;
    const doubled = tf.mul(E, 2);
    E.assign(doubled);
    doubled.dispose();
    const after = logits();
    expect(maxDiff(after, first)).toBeGreaterThan(1e-3);
    expect(maxDiff(after, plain())).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before + 1);
    // rows at [MASK] positions only use it too
    tf.tidy(() => void model.forward({ inputIds: ids }, { headPositions: pos }));
    model.dispose();
    tf.dispose([ids, pos]);
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('WASM kernel replacements', () => {
  it('Transpose: every permutation of a rank-4 tensor equals the CPU backend (float32, int32, bool)', async () => {
    const { ensureWasmFastTranspose } = await import('../kernels/wasmTranspose');
    ensureWasmFastTranspose();
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
