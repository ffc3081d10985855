// Linear layer on rows, with the fast matmul forms (fastMatMul.ts) and a bias whose gradient is one matmul
// (rowBroadcast.ts).
import type * as tf from '@tensorflow/tfjs';
import { matMul } from '../kernels/fastMatMul';
import { addRowVector } from '../kernels/rowBroadcast';

/** x[N,in] · w[in,out] + bias[out]. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  const y = matMul(x, w);
  return bias ? addRowVector(y, bias) : y;
}
