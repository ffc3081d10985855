// Batched matmul [G,M,K]·[G,K,N] → [G,M,N] written as one depthwise convolution. TF.js-wasm runs a 3-D BatchMatMul
// in a naive loop (~3 GFLOP/s here) but its depthwise convolution through XNNPACK, which with a channel multiplier
// > 1 is a grouped GEMM: ~11 GFLOP/s for the attention products (scripts/bench/matmul.ts). No library offers a
// faster batched product on this backend, hence this rewrite.
//
// With x[1, M, K, G] (height M, width K, G channels) and filter[1, K, G, N] (window 1×K, multiplier N), a 'valid'
// depthwise convolution gives out[0, i, 0, g·N + n] = Σ_k x[0, i, k, g] · filter[0, k, g, n] — the G products.
import * as tf from '@tensorflow/tfjs';

export function groupedConvMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [G, M, K] = a.shape;
  const [Gb, Kb, N] = b.shape;
  if (G !== Gb || K !== Kb) throw new Error(`groupedConvMatMul: shapes [${a.shape}] and [${b.shape}] do not chain`);
  return tf.tidy(() => {
    const x = tf.reshape(tf.transpose(a, [1, 2, 0]), [1, M, K, G]) as tf.Tensor4D;
    const filter = tf.reshape(tf.transpose(b, [1, 0, 2]), [1, K, G, N]) as tf.Tensor4D;
    const y = tf.depthwiseConv2d(x, filter, 1, 'valid'); // [1, M, 1, G·N]
    return tf.transpose(tf.reshape(y, [M, G, N]), [1, 0, 2]) as tf.Tensor3D;
  });
}
