import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matMul, matMulStrategy, matMulTransposeB, matMulTransposeBCached, setMatMulStrategy } from './fastMatMul';
import { addRowVector } from './rowBroadcast';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void {
  expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!)).toBeLessThan(tol);
}

describe('fastMatMul', () => {
  for (const transpose of ['explicit', 'native'] as const)
    for (const batched of ['native', 'loop', 'grouped-conv'] as const)
      it(`values and gradients equal TF.js autodiff (${transpose}, batched ${batched})`, () => {
        const saved = matMulStrategy('cpu');
        setMatMulStrategy('cpu', { transpose, batched, nativeTransposeBMaxRows: 2 });
        const before = tf.memory().numTensors;
        tf.tidy(() => {
          const cases: [tf.Tensor, tf.Tensor][] = [
            [tf.randomNormal([5, 3], 0, 1, 'float32', 1), tf.randomNormal([3, 4], 0, 1, 'float32', 2)],
            [tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3), tf.randomNormal([2, 3, 4], 0, 1, 'float32', 4)],
          ];
          for (const [a, b] of cases) {
            const w = tf.randomNormal([...a.shape.slice(0, -1), 4], 0, 1, 'float32', 5);
            const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), w));
            const ours = tf.grads(loss((x, y) => matMul(x as tf.Tensor2D, y as tf.Tensor2D)))([a, b]);
            const ref = tf.grads(loss((x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)))([a, b]);
            close(matMul(a as tf.Tensor2D, b as tf.Tensor2D), tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D));
            ours.forEach((g, i) => close(g, ref[i]!));
            // a · bᵀ with b given as [.., out, in]
            const bT = a.rank === 2 ? tf.transpose(b) : tf.transpose(b, [0, 2, 1]);
            const oursT = tf.grads(loss((x, y) => matMulTransposeB(x as tf.Tensor2D, y as tf.Tensor2D)))([a, bT]);
            const refT = tf.grads(loss((x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, false, true)))([a, bT]);
            oursT.forEach((g, i) => close(g, refT[i]!));
          }
          // few-row a·bᵀ (native path under 'explicit')
          const r = tf.randomNormal([2, 3], 0, 1, 'float32', 6);
          const e = tf.randomNormal([7, 3], 0, 1, 'float32', 7);
          close(matMulTransposeB(r as tf.Tensor2D, e as tf.Tensor2D), tf.matMul(r, e, false, true));
          close(addRowVector(matMul(r as tf.Tensor2D, tf.transpose(e) as tf.Tensor2D), tf.ones([7])), tf.add(tf.matMul(r, e, false, true), 1));
        });
        expect(tf.memory().numTensors).toBe(before);
        setMatMulStrategy('cpu', saved);
      });

  it('a·bᵀ from a kept bᵀ: values and gradients (to a and b) equal a·bᵀ', () => {
    tf.tidy(() => {
      const a = tf.randomNormal([5, 3], 0, 1, 'float32', 8) as tf.Tensor2D;
      const b = tf.randomNormal([7, 3], 0, 1, 'float32', 9) as tf.Tensor2D;
      const bT = tf.transpose(b) as tf.Tensor2D;
      const w = tf.randomNormal([5, 7], 0, 1, 'float32', 10);
      const loss = (f: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D), w));
      close(matMulTransposeBCached(a, b, bT), tf.matMul(a, b, false, true));
      const ours = tf.grads(loss((x, y) => matMulTransposeBCached(x, y, bT)))([a, b]);
      const ref = tf.grads(loss((x, y) => tf.matMul(x, y, false, true)))([a, b]);
      ours.forEach((g, i) => close(g, ref[i]!));
      expect(() => matMulTransposeBCached(a, b, b)).toThrow(/not the transpose/);
    });
  });

  it('rejects mismatched ranks', () => {
    expect(() => matMul(tf.zeros([2, 2]) as tf.Tensor2D, tf.zeros([1, 2, 2]) as unknown as tf.Tensor2D)).toThrow(/rank-2/);
  });
});
