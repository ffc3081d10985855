// Backend selection for every entry point (CLI, Node adapters, benchmarks, the worker, tests that check a patch):
// tf.setBackend, tf.ready, then that backend's kernel patches (installKernels.ts). Pure core: the backend's package
// (e.g. '@tensorflow/tfjs-backend-wasm', whose loading differs between Node and the browser bundle: wasm paths,
// threads) is imported by the caller before this.
import * as tf from '@tensorflow/tfjs';
import { installKernelsFor } from './installKernels';

/**
 * Selects TF.js backend `name`, waits until it is ready and installs its kernel patches. Resolves false when the
 * backend fails to initialise (as tf.setBackend; nothing is installed then); throws, as tf.setBackend does, when no
 * backend of that name is registered.
 */
export async function useBackend(name: string): Promise<boolean> {
  if (!(await tf.setBackend(name))) return false;
  await tf.ready();
  installKernelsFor(name);
  return true;
}
