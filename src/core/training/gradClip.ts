import * as tf from '@tensorflow/tfjs';

/**
 * Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_(model.parameters(), args.max_grad_norm)` in
 * SQG_train.py / distil.py (max_grad_norm default 1.0):
 *   total_norm = ||concat(all grads)||_2 ; coef = max_norm / (total_norm + 1e-6) ; if coef < 1: grads *= coef
 * Missing (null) gradients are passed through, as torch skips parameters without `.grad`.
 * `maxNorm` <= 0 (or Infinity) disables clipping.
 */

/** L2 norm over all present gradients (scalar tensor; call inside tf.tidy). */
export function globalNorm(grads: readonly (tf.Tensor | null)[]): tf.Scalar {
  const present = grads.filter((g): g is tf.Tensor => g !== null);
  if (present.length === 0) return tf.scalar(0);
  return tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
}

/** torch's clip coefficient for a known norm: min(1, maxNorm / (norm + 1e-6)); 1 when clipping is off. */
export function clipCoefficient(norm: number, maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) return 1;
  return Math.min(1, maxNorm / (norm + 1e-6));
}

/** Clip on device (call inside tf.tidy). */
export function clipByGlobalNorm(
  grads: (tf.Tensor | null)[],
  maxNorm: number,
): { grads: (tf.Tensor | null)[]; norm: tf.Scalar } {
  const norm = globalNorm(grads);
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) return { grads, norm };
  const coef = tf.minimum(tf.div(tf.scalar(maxNorm), tf.add(norm, 1e-6)), 1);
  return { grads: grads.map((g) => (g === null ? null : tf.mul(g, coef))), norm };
}
