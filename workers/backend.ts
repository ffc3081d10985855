// TF.js backend selection for the lab worker. 'auto' never takes a software GPU (SwiftShader, llvmpipe, ...) while
// WASM works, and times one small step when several backends start (rules and wording: backendChoice.ts). Every
// backend that was not used gets a recorded reason, shown in the UI.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { useBackend } from '../src/core/kernels/useBackend';
import { cachedTimingsFor, fastest, formatTimings, planAuto, wasmThreadsNote, wasmThreadsPlan, whyChosen, type BackendTiming, type GpuPrecheck, type GpuProbe, type NotUsed } from './backendChoice';
import type { BackendChoice, BackendInfo, BackendName } from './labApi';
import { probeThreads, reportCoresFor, useUntouchedFactorySource } from './wasmThreads';

export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

let wasmPathsSet = false;
function prepareWasm(): void {
  if (wasmPathsSet) return;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  wasmPathsSet = true;
}

/** Threads for the WASM backend (undefined: navigator.hardwareConcurrency); set before it starts (the benchmark). */
let wasmThreadsWanted: number | undefined;
export function setWasmThreads(threads: number | undefined): void {
  wasmThreadsWanted = threads;
}

/** The WASM build that started: its thread count, or why it runs on one thread. */
let wasmStarted: { threads: number; reason?: string } | undefined;

/** Time the throw-away worker gets to start the threaded build (compile, 8 pthread workers, the pool). */
const THREADS_PROBE_MS = 8000;

/**
 * Starts the WASM backend: the threaded SIMD build when this page can run it (cross-origin isolated, with
 * SharedArrayBuffer) and a throw-away worker proved its threads start, else the single-threaded SIMD build.
 */
async function startWasm(): Promise<boolean> {
  prepareWasm();
  if (wasmStarted) {
    // started before (and maybe released since, then made again): the same build, on the same thread count
    const restore = wasmStarted.threads > 1 ? reportCoresFor(wasmStarted.threads) : () => undefined;
    try {
      const ok = await withTimeout(useBackend('wasm'), INIT_TIMEOUT_MS, 'initialising wasm');
      if (ok && wasmStarted.threads > 1) wasmStarted = { threads: getThreadsCount() };
      return ok;
    } finally {
      restore();
    }
  }
  const g = globalThis as unknown as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const plan = wasmThreadsPlan(
    { crossOriginIsolated: g.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined', hardwareConcurrency: g.navigator?.hardwareConcurrency },
    wasmThreadsWanted,
  );
  let reason = 'reason' in plan ? plan.reason : undefined;
  if (!reason && !(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))) reason = 'this browser has no WebAssembly threads';
  if (!reason && !useUntouchedFactorySource()) reason = "the threaded factory's source was not found";
  if (!reason) {
    const probe = await probeThreads(plan.threads, wasmThreadedSimd, THREADS_PROBE_MS);
    if ('error' in probe) reason = `the threaded build did not start: ${probe.error}`;
    else if (probe.threads < 2) reason = `the threaded build started ${probe.threads} thread`;
  }
  if (!reason) {
    setThreadsCount(plan.threads);
    const restore = reportCoresFor(plan.threads);
    try {
      if (await withTimeout(useBackend('wasm'), INIT_TIMEOUT_MS, 'initialising the threaded wasm build')) {
        wasmStarted = { threads: getThreadsCount() };
        return true;
      }
      reason = 'the threaded build failed to initialise';
    } catch (e) {
      reason = `the threaded build failed to initialise: ${describe(e)}`;
    } finally {
      restore();
    }
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const ok = await withTimeout(useBackend('wasm'), INIT_TIMEOUT_MS, 'initialising wasm');
  if (ok) wasmStarted = { threads: 1, reason };
  return ok;
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  // tfjs-backend-wasm rejects a failed start with a plain { message }
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  return String(e);
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; device?: string; description?: string };
  requestAdapterInfo?: () => Promise<{ vendor?: string; architecture?: string; device?: string; description?: string }>;
}

/** The WebGPU adapter's fallback flag and description ("google swiftshader"), without creating a device. */
async function probeWebgpu(adapter: AdapterLike): Promise<GpuProbe> {
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined));
  const description = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || undefined;
  return { fallback: adapter.isFallbackAdapter ?? adapter.info?.isFallbackAdapter ?? false, description };
}

/**
 * The WebGL renderer (UNMASKED_RENDERER_WEBGL, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))"), from a
 * throw-away context; a context refused with failIfMajorPerformanceCaveat counts as a fallback (software) renderer.
 */
function probeWebgl(): GpuProbe | string {
  const g = globalThis as unknown as { OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string, opts?: object): unknown } };
  if (typeof g.OffscreenCanvas === 'undefined') return 'OffscreenCanvas is not available in this worker';
  type Gl = {
    getExtension(n: string): { UNMASKED_RENDERER_WEBGL?: number; loseContext?: () => void } | null;
    getParameter(p: number): unknown;
    RENDERER: number;
  };
  const context = (opts?: object) => {
    const c = new g.OffscreenCanvas!(1, 1);
    return (c.getContext('webgl2', opts) ?? c.getContext('webgl', opts)) as Gl | null;
  };
  const gl = context();
  if (!gl) return 'this browser gives no WebGL context';
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const description = String(gl.getParameter(ext?.UNMASKED_RENDERER_WEBGL ?? gl.RENDERER) ?? '') || undefined;
  gl.getExtension('WEBGL_lose_context')?.loseContext?.();
  const strict = context({ failIfMajorPerformanceCaveat: true });
  strict?.getExtension('WEBGL_lose_context')?.loseContext?.();
  return { description, fallback: !strict };
}

/** Why a backend can't work here, found without trying to initialise it (cheap, precise messages), or its probe. */
async function precheck(name: BackendName): Promise<{ reason: string } | { probe?: GpuProbe }> {
  const g = globalThis as unknown as {
    navigator?: { gpu?: { requestAdapter(): Promise<unknown> } };
    isSecureContext?: boolean;
    WebAssembly?: unknown;
  };
  if (name === 'webgpu') {
    if (!g.navigator?.gpu) {
      return {
        reason:
          g.isSecureContext === false ? 'WebGPU needs a secure context (https or localhost)' : 'this browser exposes no WebGPU (navigator.gpu is missing)',
      };
    }
    const adapter = (await g.navigator.gpu.requestAdapter().catch(() => null)) as AdapterLike | null;
    if (!adapter) return { reason: 'no WebGPU adapter is available (GPU blocklisted or disabled)' };
    return { probe: await probeWebgpu(adapter) };
  }
  if (name === 'webgl') {
    try {
      const p = probeWebgl();
      return typeof p === 'string' ? { reason: p } : { probe: p };
    } catch (e) {
      return { reason: describe(e) };
    }
  }
  if (name === 'wasm') {
    if (typeof g.WebAssembly === 'undefined') return { reason: 'WebAssembly is not available' };
  }
  return {};
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

/** Initialises `name` and proves it computes (null), or says why it cannot be used. */
async function trySet(name: BackendName, pre?: { reason: string } | { probe?: GpuProbe }): Promise<string | null> {
  const checked = pre ?? (await precheck(name));
  if ('reason' in checked) return checked.reason;
  try {
    if (name === 'webgpu') patchWebgpuAddN();
    const ok = name === 'wasm' ? await startWasm() : await withTimeout(useBackend(name), INIT_TIMEOUT_MS, `initialising ${name}`);
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

/** Time allowed per backend for the timed step (first run, which compiles, included). */
export const TIMING_BUDGET_MS = 1500;

/**
 * Median ms of one small step (two [256×512]·[512×512] matmuls, a ReLU between, a sum) on the initialised backend
 * `name`, 3 runs after a first one that compiles; null when it does not finish within TIMING_BUDGET_MS.
 */
async function timeStep(name: BackendName): Promise<number | null> {
  await tf.setBackend(name);
  const a = tf.randomUniform([256, 512], -1, 1, 'float32', 1);
  const w1 = tf.randomUniform([512, 512], -0.05, 0.05, 'float32', 2);
  const w2 = tf.randomUniform([512, 512], -0.05, 0.05, 'float32', 3);
  const once = async () => {
    const y = tf.tidy(() => tf.sum(tf.matMul(tf.relu(tf.matMul(a, w1)), w2)));
    await y.data();
    y.dispose();
  };
  const deadline = performance.now() + TIMING_BUDGET_MS;
  const ms: number[] = [];
  try {
    await withTimeout(once(), TIMING_BUDGET_MS, `the timed step on ${name}`);
    for (let i = 0; i < 3 && performance.now() < deadline; i++) {
      const t0 = performance.now();
      await withTimeout(once(), Math.max(1, deadline - t0), `the timed step on ${name}`);
      ms.push(performance.now() - t0);
    }
  } catch {
    return null; // too slow (the step still running is left to finish; its tensors are not disposed)
  }
  tf.dispose([a, w1, w2]);
  if (!ms.length) return null;
  ms.sort((x, y) => x - y);
  return Math.round(ms[Math.floor(ms.length / 2)]! * 10) / 10;
}

/** Frees an initialised backend that is not used (its GPU device or context); tf.setBackend(name) makes it again. */
function releaseBackend(name: BackendName): void {
  if (name === tf.getBackend() || name === 'cpu') return;
  const engine = tf.engine() as unknown as { registry: Record<string, { dispose(): void; numDataIds(): number } | undefined> };
  const b = engine.registry[name];
  // one holding tensors (a timed step that ran out of time and is still computing) is left as it is
  if (!b || b.numDataIds() > 0) return;
  try {
    b.dispose();
  } catch {
    /* freeing is best effort */
  }
  delete engine.registry[name];
}

/** This worker's timings (a later init in the same worker reuses them, as it does the page's session copy). */
let sessionTimings: BackendTiming[] | undefined;

function notesFor(name: BackendName, probe: GpuProbe | undefined): string[] {
  const notes: string[] = [];
  if ((name === 'webgpu' || name === 'webgl') && probe?.description) notes.push(`${name === 'webgpu' ? 'adapter' : 'renderer'}: ${probe.description}`);
  if (name === 'wasm' && wasmStarted) notes.push(wasmThreadsNote(wasmStarted.threads, wasmStarted.reason));
  return notes;
}

/**
 * 'auto': never a software GPU while WASM works; among the hardware GPUs and WASM that start, the fastest on one
 * timed step (timed only when more than one starts; `cached` timings of this session are reused when they cover the
 * same backends); CPU only when nothing else works. Another preference: that backend, else 'auto's order.
 */
export async function selectBackend(pref: BackendChoice = 'auto', cached?: BackendTiming[]): Promise<BackendInfo> {
  const t0 = performance.now();
  const done = (backend: BackendName, notUsed: NotUsed[], probe: GpuProbe | undefined, timings?: BackendTiming[]): BackendInfo => {
    for (const b of BACKEND_ORDER) if (b !== backend) releaseBackend(b);
    return {
      backend,
      why: whyChosen(backend, { pref, notUsed, timings, budgetMs: TIMING_BUDGET_MS, probe }),
      reasons: notUsed.map((n) => ({ backend: n.backend, reason: n.reason, ...(n.usable ? { usable: true } : {}) })),
      notes: notesFor(backend, probe),
      ...(backend === 'wasm' && wasmStarted ? { threads: wasmStarted.threads } : {}),
      ...(timings ? { timings } : {}),
      initMs: Math.round(performance.now() - t0),
    };
  };

  if (pref !== 'auto') {
    const pre = await precheck(pref);
    const failure = await trySet(pref, pre);
    if (failure === null) {
      const probe = 'probe' in pre ? pre.probe : undefined;
      const notUsed = BACKEND_ORDER.filter((b) => b !== pref).map((b) => ({ backend: b, reason: `not tried: you chose ${pref}`, usable: true }));
      return done(pref, notUsed, probe);
    }
    const info = await selectBackend('auto', cached);
    const reasons = [{ backend: pref, reason: failure }, ...info.reasons.filter((r) => r.backend !== pref)];
    return { ...info, reasons, why: whyChosen(info.backend, { pref, notUsed: reasons, budgetMs: TIMING_BUDGET_MS }) };
  }

  const gpus: GpuPrecheck[] = [];
  const probes = new Map<BackendName, GpuProbe | undefined>();
  for (const b of ['webgpu', 'webgl'] as const) {
    const pre = await precheck(b);
    if ('reason' in pre) gpus.push({ backend: b, unavailable: pre.reason });
    else {
      gpus.push({ backend: b, probe: pre.probe });
      probes.set(b, pre.probe);
    }
  }
  const wasmFailure = await trySet('wasm');
  const plan = planAuto(gpus, wasmFailure);
  const notUsed = [...plan.notUsed];
  const started: BackendName[] = [];
  for (const b of plan.candidates) {
    const failure = b === 'wasm' ? null : await trySet(b, { probe: probes.get(b) });
    if (failure === null) started.push(b);
    else notUsed.push({ backend: b, reason: failure });
  }
  if (!started.length) {
    for (const b of [...plan.fallbacks, 'cpu' as const]) {
      const failure = await trySet(b, b === 'cpu' ? {} : { probe: probes.get(b) });
      if (failure === null) return done(b, notUsed.filter((n) => n.backend !== b), probes.get(b));
      notUsed.push({ backend: b, reason: failure });
    }
    throw new Error(`No TF.js backend works here: ${notUsed.map((t) => `${t.backend}: ${t.reason}`).join('; ')}`);
  }
  if (started.length === 1) {
    await useBackend(started[0]!);
    return done(started[0]!, notUsed, probes.get(started[0]!));
  }
  let timings = cachedTimingsFor(cached, started) ?? cachedTimingsFor(sessionTimings, started);
  if (!timings) {
    timings = [];
    for (const b of started) timings.push({ backend: b, ms: await timeStep(b) });
  }
  sessionTimings = timings;
  const chosen = fastest(timings) ?? started[0]!;
  for (const t of timings) {
    if (t.backend === chosen) continue;
    notUsed.push({ backend: t.backend, reason: `slower here on a timed step (${formatTimings([t], TIMING_BUDGET_MS)})`, usable: true });
  }
  if (!(await useBackend(chosen))) throw new Error(`${chosen} started, then could not be selected again`);
  return done(chosen, notUsed, probes.get(chosen), timings);
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

/** Backends other than the one in use that work here or were not tried (resume candidates after a failure). */
export function otherBackends(info: BackendInfo): BackendName[] {
  return BACKEND_ORDER.filter((b) => b !== info.backend && !info.reasons.some((r) => r.backend === b && !r.usable));
}
