// installKernelsFor: idempotent, and speed/memory only: the model's numbers on WASM are the same without the patches.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { bertPresets } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { installKernelsFor } from './installKernels';

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Loss (logits at [MASK] rows, hidden states, attentions, with dropout) and its gradients, as flat arrays. */
function trainingNumbers(model: BertForMaskedLM): Float32Array[] {
  const inputIds = tf.tensor2d([[2, 5, 6, 3, 9, 0], [2, 7, 3, 8, 4, 1]], undefined, 'int32');
  const attentionMask = tf.tensor2d([[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]], undefined, 'int32');
  const pos = tf.tensor1d([4, 3], 'int32');
  const f = () => {
    const out = model.forward({ inputIds, attentionMask }, { training: true, seed: 3, outputHiddenStates: true, outputAttentions: true, headPositions: pos });
    let loss = tf.sum(tf.square(out.logits!));
    for (const t of [...out.hiddenStates, ...out.attentions]) loss = tf.add(loss, tf.mean(tf.square(t)));
    return loss as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(f, model.trainableVariables());
  const inference = tf.tidy(() => model.forward({ inputIds, attentionMask }).logits!);
  const numbers = [value, inference, ...Object.values(grads)].map((t) => t.dataSync().slice() as Float32Array);
  tf.dispose([value, inference, ...Object.values(grads), inputIds, attentionMask, pos]);
  return numbers;
}

function maxRelDiff(a: Float32Array[], b: Float32Array[]): number {
  expect(a.map((x) => x.length)).toEqual(b.map((x) => x.length));
  let m = 0;
  a.forEach((x, i) => x.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!) / Math.max(1, Math.abs(v))))));
  return m;
}

describe('installKernelsFor', () => {
  it('is a no-op for a backend without patches', () => {
    expect(installKernelsFor('cpu')).toEqual([]);
    expect(installKernelsFor('no-such-backend')).toEqual([]);
  });

  it('WASM: forward and gradients are the same without the patches as with them (1e-5), and installing twice is harmless', async () => {
    const cpuNumbers = await (async () => {
      await tf.setBackend('cpu');
      const m = BertForMaskedLM.create(bertPresets.tiny(40, 16), 9);
      const n = trainingNumbers(m);
      m.dispose();
      return n;
    })();

    await tf.setBackend('wasm'); // not through useBackend: no patches
    const kernels = () => ['Identity', 'Transpose'].map((k) => tf.getKernel(k, 'wasm')!.kernelFunc);
    const stock = kernels();
    const model = BertForMaskedLM.create(bertPresets.tiny(40, 16), 9);
    const start = tf.memory().numTensors;
    const plain = trainingNumbers(model);
    expect(kernels()).toEqual(stock); // forward() installed nothing

    const names = installKernelsFor('wasm');
    expect(names).toHaveLength(2);
    const patched = kernels();
    patched.forEach((k, i) => expect(k).not.toBe(stock[i]));
    expect(installKernelsFor('wasm')).toEqual(names); // twice: the same patches, not a patch of the patch
    expect(kernels()).toEqual(patched);

    const withPatches = trainingNumbers(model);
    expect(maxRelDiff(withPatches, plain)).toBeLessThan(1e-5);
    expect(maxRelDiff(withPatches, cpuNumbers)).toBeLessThan(1e-4);
    model.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(start);
  });
});
