// Exact (erf) GELU, Hugging Face's `hidden_act: "gelu"`: 0.5·x·(1 + erf(x/√2)). TF.js has no erf-exact gelu op, but
// every backend has Erf (with a gradient).
import * as tf from '@tensorflow/tfjs';

export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T);
}
