// TF.js backend selection for the lab worker: WebGPU → WebGL → WASM → CPU.
// Every faster backend that was not used gets a recorded reason, shown in the UI.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { useBackend } from '../src/core/kernels/useBackend';
import type { BackendChoice, BackendInfo, BackendName } from './labApi';

export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

let wasmPathsSet = false;
function prepareWasm(): void {
  if (wasmPathsSet) return;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  // The threaded build starts its pthread workers from the script that loaded it; inside a bundled module worker
  // that script is this whole (minified) worker bundle and the pthreads die on start ("e is not defined"), so the
  // initialisation never finishes. Use the single-threaded SIMD build, which is the fast form anyway
  // (see ../shared/notes/performance.md).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasmPathsSet = true;
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Why a backend can't work here, found without trying to initialise it (cheap, precise messages). */
async function precheck(name: BackendName): Promise<string | null> {
  const g = globalThis as unknown as {
    navigator?: { gpu?: { requestAdapter(): Promise<unknown> } };
    isSecureContext?: boolean;
    OffscreenCanvas?: unknown;
    WebAssembly?: unknown;
  };
  if (name === 'webgpu') {
    if (!g.navigator?.gpu) {
      return g.isSecureContext === false
        ? 'WebGPU needs a secure context (https or localhost)'
        : 'this browser exposes no WebGPU (navigator.gpu is missing)';
    }
    const adapter = (await g.navigator.gpu.requestAdapter().catch(() => null)) as
      | { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } }
      | null;
    if (!adapter) return 'no WebGPU adapter is available (GPU blocklisted or disabled)';
    return null;
  }
  if (name === 'webgl') {
    if (typeof g.OffscreenCanvas === 'undefined') return 'OffscreenCanvas is not available in this worker';
    return null;
  }
  if (name === 'wasm') {
    if (typeof g.WebAssembly === 'undefined') return 'WebAssembly is not available';
    return null;
  }
  return null;
}

/** Is the WebGPU adapter a software fallback (e.g. SwiftShader)? Reported as a note, not a failure. */
async function webgpuNote(): Promise<string | undefined> {
  const gpu = (globalThis as unknown as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return undefined;
  const a = (await gpu.requestAdapter().catch(() => null)) as
    | { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string } }
    | null;
  if (!a) return undefined;
  const fallback = a.isFallbackAdapter ?? a.info?.isFallbackAdapter;
  const desc = [a.info?.vendor, a.info?.architecture, a.info?.description].filter(Boolean).join(' ');
  if (fallback) return `software WebGPU adapter${desc ? ` (${desc})` : ''}: works, but slower than a real GPU`;
  return desc ? `adapter: ${desc}` : undefined;
}

const INIT_TIMEOUT_MS = 20_000;

let addNPatched = false;
/**
 * TF.js's WebGPU AddN binds every input as a storage buffer in one shader; with more inputs than the device's
 * maxStorageBuffersPerShaderStage (8 on SwiftShader, often 8–10 on real GPUs) the pipeline is invalid, the result
 * is garbage and the device is lost soon after (e.g. a global gradient norm over 40+ parameters). This wraps the
 * kernel so it adds in chunks that fit the limit.
 */
function patchWebgpuAddN(): void {
  if (addNPatched) return;
  const orig = tf.getKernel('AddN', 'webgpu');
  if (!orig) return;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({
    kernelName: 'AddN',
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const tensors = args.inputs as unknown as tf.TensorInfo[];
      const backend = args.backend as unknown as {
        device?: { limits?: { maxStorageBuffersPerShaderStage?: number } };
        disposeData(id: object): void;
      };
      const limit = Math.max(2, (backend.device?.limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
      const run = (inputs: tf.TensorInfo[]) =>
        orig.kernelFunc({ ...args, inputs: inputs as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
      if (tensors.length <= limit) return run(tensors);
      let level = tensors;
      const temps: tf.TensorInfo[] = [];
      while (level.length > limit) {
        const next: tf.TensorInfo[] = [];
        for (let i = 0; i < level.length; i += limit) {
          const chunk = level.slice(i, i + limit);
          if (chunk.length === 1) next.push(chunk[0]);
          else {
            const r = run(chunk);
            temps.push(r);
            next.push(r);
          }
        }
        level = next;
      }
      const out = run(level);
      for (const t of temps) backend.disposeData(t.dataId);
      return out;
    },
  });
  addNPatched = true;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

async function trySet(name: BackendName): Promise<string | null> {
  const pre = await precheck(name);
  if (pre) return pre;
  try {
    if (name === 'wasm') prepareWasm();
    if (name === 'webgpu') patchWebgpuAddN();
    const ok = await withTimeout(useBackend(name), INIT_TIMEOUT_MS, `initialising ${name}`);
    if (!ok) return `tf.setBackend('${name}') failed to initialise`;
    // A tiny computation proves the backend actually runs kernels (some fail only on first use).
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const y = tf.matMul(x, x);
    const v = await y.data();
    x.dispose();
    y.dispose();
    if (Math.abs(v[0] - 7) > 1e-3 || Math.abs(v[3] - 22) > 1e-3) return `${name} computed a wrong test matmul`;
    return null;
  } catch (e) {
    return describe(e);
  }
}

/**
 * Picks the fastest working backend. With a preference other than 'auto', that backend is tried first;
 * if it fails, the usual order follows. `reasons` lists every faster backend that was not used, and why.
 */
export async function selectBackend(pref: BackendChoice = 'auto'): Promise<BackendInfo> {
  const order = pref === 'auto' ? BACKEND_ORDER : [pref, ...BACKEND_ORDER.filter((b) => b !== pref)];
  const tried: { backend: BackendName; reason: string }[] = [];
  for (const name of order) {
    const t0 = performance.now();
    const reason = await trySet(name);
    if (reason === null) {
      const reasons = [...tried];
      if (pref !== 'auto') {
        for (const b of BACKEND_ORDER) {
          if (b === name) break;
          if (!reasons.some((r) => r.backend === b)) reasons.push({ backend: b, reason: `not tried: you chose ${pref}` });
        }
      }
      const notes: string[] = [];
      if (name === 'webgpu') {
        const n = await webgpuNote();
        if (n) notes.push(n);
      }
      if (name === 'wasm') {
        notes.push('single-threaded SIMD build (the threaded build cannot start inside a bundled worker)');
      }
      return { backend: name, reasons, notes, initMs: Math.round(performance.now() - t0) };
    }
    tried.push({ backend: name, reason });
  }
  throw new Error(`No TF.js backend works here: ${tried.map((t) => `${t.backend}: ${t.reason}`).join('; ')}`);
}

/**
 * Calls `onLost` once if the WebGPU device behind the current backend is lost (driver reset, the GPU process dying,
 * too much memory). TF.js's WebGPU backend keeps its GPUDevice as `device`.
 */
export function watchWebgpuDevice(onLost: (detail: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  void device?.lost?.then((info) => onLost([info?.reason, info?.message].filter(Boolean).join(': ')));
}

/** Backends other than the one in use that initialised or were not tried (resume candidates after a failure). */
export function otherBackends(info: BackendInfo): BackendName[] {
  return BACKEND_ORDER.filter((b) => b !== info.backend && !info.reasons.some((r) => r.backend === b && !r.reason.startsWith('not tried')));
}
