import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gelu } from './gelu';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('gelu', () => {
  it('is the exact erf form (torch.nn.functional.gelu values, 1e-6)', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-3, -1, -0.5, 0, 0.5, 1, 3]);
      const want = [-0.0040496, -0.1586553, -0.1542687, 0, 0.3457313, 0.8413447, 2.9959502];
      const got = gelu(x).dataSync();
      want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-6));
    });
  });
});
