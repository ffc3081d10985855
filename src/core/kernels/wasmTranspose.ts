// Replaces TF.js-wasm's Transpose kernel, for the patterns transposeArray.ts handles, by a JS transpose working on
// the WASM heap directly (no copies in or out). Other patterns and dtypes go to the original kernel. Measured in a
// mini4 training step on WASM: Transpose was 13% of the step. Installed by installKernelsFor('wasm') (installKernels.ts).
import * as tf from '@tensorflow/tfjs';
import { handlesTranspose, transposeInto } from './transposeArray';

interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

let original: tf.KernelConfig | undefined;

const fastTranspose: tf.KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const x = (inputs as { x: tf.TensorInfo }).x;
  const perm = (attrs as unknown as { perm: number[] }).perm;
  const typed = x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool';
  if (!typed || !handlesTranspose(x.shape, perm)) return original!.kernelFunc(args);
  const b = backend as WasmBackend;
  const out = b.makeOutput(perm.map((a) => x.shape[a]!), x.dtype);
  // views after makeOutput: allocating can grow the heap, which replaces its buffer
  transposeInto(b.typedArrayFromHeap(x), x.shape, perm, b.typedArrayFromHeap(out));
  return out;
};

/**
 * Makes the WASM backend use the JS transpose for the patterns it handles. Idempotent. Returns whether it is in place
 * (false while '@tensorflow/tfjs-backend-wasm' has not been imported: no 'wasm' kernels registered yet).
 */
export function installWasmFastTranspose(): boolean {
  const current = tf.getKernel('Transpose', 'wasm');
  if (!current) return false;
  if (current.kernelFunc === fastTranspose) return true;
  original = current;
  tf.unregisterKernel('Transpose', 'wasm');
  tf.registerKernel({ ...current, kernelFunc: fastTranspose });
  return true;
}
