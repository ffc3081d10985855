// LayerNorm over the last axis, as torch.nn.LayerNorm (biased variance, eps inside the sqrt).
import * as tf from '@tensorflow/tfjs';
import { scaleShiftRows } from '../kernels/rowBroadcast';

export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): T {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return scaleShiftRows(normed, gamma, beta) as T;
  });
}
