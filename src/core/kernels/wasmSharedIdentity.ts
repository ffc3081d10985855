// TF.js keeps every tensor a gradient needs by cloning it (engine.saveTensorsForBackwardMode → Identity). The WASM
// backend's Identity copies the data, so in training every saved activation and every weight matrix a matmul saves
// existed twice on WASM's 4 GB heap (bert-base at batch 8 ran out of it). The CPU, WebGL and WebGPU backends share
// the data by reference count instead; this gives WASM the same Identity. Tensors are immutable, so sharing is safe.
// Installed by installKernelsFor('wasm') (installKernels.ts) when the backend is selected.
import * as tf from '@tensorflow/tfjs';

type WasmBackend = tf.KernelBackend & { incRef(dataId: object): void };

const sharedIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = (inputs as { x: tf.TensorInfo }).x;
  (backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/**
 * Makes the WASM backend's Identity share data instead of copying it. Idempotent. Returns whether it is in place
 * (false while '@tensorflow/tfjs-backend-wasm' has not been imported: no 'wasm' kernels registered yet).
 */
export function installWasmSharedIdentity(): boolean {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current) return false;
  if (current.kernelFunc === sharedIdentity) return true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ ...current, kernelFunc: sharedIdentity });
  return true;
}
