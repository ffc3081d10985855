// The one place global kernel patches are registered: each backend's replacements of TF.js kernels, for speed or
// memory only (same numbers without them). useBackend.ts calls installKernelsFor when a backend is selected; the
// model's forward() installs nothing.
import { installWasmFastTranspose } from './wasmTranspose';
import { installWasmSharedIdentity } from './wasmSharedIdentity';

interface KernelPatch {
  /** Shown by installKernelsFor: the kernel replaced and why. */
  name: string;
  /** Registers the patch if the backend's kernels are registered; idempotent; whether it is in place. */
  install: () => boolean;
}

const PATCHES: Record<string, KernelPatch[]> = {
  wasm: [
    { name: 'Identity: shares data (wasmSharedIdentity.ts)', install: installWasmSharedIdentity },
    { name: 'Transpose: JS on the heap (wasmTranspose.ts)', install: installWasmFastTranspose },
  ],
};

/**
 * Registers the global kernel patches for `backendName` (idempotent: installing twice changes nothing). Backends
 * without patches are a no-op. Returns the names of that backend's patches now in place: one whose backend package
 * has not been imported yet (its kernels are not registered) is skipped, and a later call installs it.
 */
export function installKernelsFor(backendName: string): string[] {
  return (PATCHES[backendName] ?? []).filter((p) => p.install()).map((p) => p.name);
}
