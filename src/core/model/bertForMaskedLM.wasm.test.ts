// The model on the WASM backend, where it keeps the tied decoder's transpose between inference calls.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bertPresets } from './bertConfig';
import { BertForMaskedLM } from './bertForMaskedLM';
import { setMatMulStrategy, matMulStrategy } from '../kernels/fastMatMul';
import { useBackend } from '../kernels/useBackend';

beforeAll(async () => {
  await useBackend('wasm');
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

  it('uses it at the few head rows of batch-1 generation too (greedy: 1 row, beam 3: 3 rows), with the same logits', () => {
    const start = tf.memory().numTensors;
    const model = BertForMaskedLM.create(bertPresets.tiny(50, 16), 5);
    const ids = tf.tensor2d([[2, 5, 6, 3, 9]], undefined, 'int32');
    const pos = tf.tensor1d([4], 'int32');
    const before = tf.memory().numTensors;
    const kept = tf.tidy(() => model.forward({ inputIds: ids }, { headPositions: pos }).logits!.dataSync().slice() as Float32Array);
    // the native a·bᵀ kernel took these rows before (11 ms vs 1.4 ms at vocab 21,128, hidden 256); now the transpose is kept
    expect(tf.memory().numTensors).toBe(before + 1);
    const saved = matMulStrategy('wasm');
    setMatMulStrategy('wasm', { ...saved, transpose: 'native' });
    let plain: Float32Array;
    try {
      plain = tf.tidy(() => model.forward({ inputIds: ids }, { headPositions: pos }).logits!.dataSync().slice() as Float32Array);
    } finally {
      setMatMulStrategy('wasm', saved);
    }
    expect(kept.reduce((m, v, i) => Math.max(m, Math.abs(v - plain[i]!)), 0)).toBeLessThan(1e-5);
    model.dispose();
    tf.dispose([ids, pos]);
    expect(tf.memory().numTensors).toBe(start);
  });
});
