import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm, clipCoefficient, globalNorm } from './gradClip';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('global-norm clipping (torch clip_grad_norm_)', () => {
  it('computes the norm over every gradient and scales by max/(norm+1e-6)', async () => {
    const g = [tf.tensor1d([3, 0]), null, tf.tensor2d([[0, 4]])];
    const { grads, norm } = clipByGlobalNorm(g, 1);
    expect(await norm.data()).toEqual(new Float32Array([5]));
    const k = 1 / (5 + 1e-6);
    expect(Array.from(await grads[0]!.data())).toEqual([expect.closeTo(3 * k, 6), 0]);
    expect(grads[1]).toBeNull();
    expect(Array.from(await grads[2]!.data())).toEqual([0, expect.closeTo(4 * k, 6)]);
    expect(clipCoefficient(5, 1)).toBeCloseTo(k, 12);
  });

  it('leaves gradients under the limit (and with clipping off) unchanged', async () => {
    const g = [tf.tensor1d([0.3, 0.4])];
    expect(Array.from(await clipByGlobalNorm(g, 1).grads[0]!.data())).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.4, 6)]);
    expect(clipCoefficient(0.5, 1)).toBe(1);
    expect(clipCoefficient(50, 0)).toBe(1);
    expect(await globalNorm([null]).data()).toEqual(new Float32Array([0]));
  });
});
