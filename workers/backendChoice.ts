// The 'auto' backend decision, as pure functions (workers/backend.ts probes the browser and times the backends;
// this file decides and words the decision, and is unit-tested in Node). The rules:
//   - a software GPU (WebGPU's fallback adapter, SwiftShader, llvmpipe, Microsoft Basic Render Driver, ...) is never
//     chosen while WASM works: it emulates the GPU on the CPU, ~100x slower than WASM for training;
//   - among the rest (real GPUs, WASM) the fastest on one timed step wins; CPU only when nothing else works;
//   - the badge says which backend is in use and why, with the timings when they decided it.
import type { BackendName } from './labApi';

export const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** Known software renderers, as adapter info or UNMASKED_RENDERER strings name them. */
const SOFTWARE_RENDERERS: [RegExp, string][] = [
  [/swift\s*shader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render/i, 'Microsoft Basic Render Driver'],
  [/\bwarp\b/i, 'WARP'],
  [/software (rasteri[sz]er|renderer|adapter)/i, 'a software renderer'],
];

/** The software renderer `text` names (e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...)"), if any. */
export function softwareRendererIn(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const [re, name] of SOFTWARE_RENDERERS) if (re.test(text)) return name;
  return undefined;
}

/** What probing a GPU backend found before initialising it. */
export interface GpuProbe {
  /** adapter info (vendor architecture device description) or the WebGL renderer string */
  description?: string;
  /** WebGPU's isFallbackAdapter */
  fallback?: boolean;
}

/** Why a GPU backend is software, in a few words ("its adapter is SwiftShader (software)"); undefined: hardware. */
export function softwareReason(backend: 'webgpu' | 'webgl', probe: GpuProbe): string | undefined {
  const name = softwareRendererIn(probe.description);
  const what = backend === 'webgpu' ? 'adapter' : 'renderer';
  if (name) return `${BACKEND_LABEL[backend]} ${what} is ${name} (software)`;
  if (probe.fallback) return `${BACKEND_LABEL[backend]} ${what} is a fallback (software) adapter${probe.description ? ` (${probe.description})` : ''}`;
  return undefined;
}

export interface BackendTiming {
  backend: BackendName;
  /** median milliseconds of the timed step; null: it did not finish within the time allowed */
  ms: number | null;
}

/** "WebGPU 2.1 ms · WASM 41 ms" (fastest first; one that did not finish in time last, as "> N s"). */
export function formatTimings(timings: readonly BackendTiming[], budgetMs: number): string {
  return [...timings]
    .sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity))
    .map((t) => `${BACKEND_LABEL[t.backend]} ${t.ms === null ? `> ${budgetMs / 1000} s` : `${t.ms < 10 ? t.ms.toFixed(1) : Math.round(t.ms)} ms`}`)
    .join(' · ');
}

/** The fastest timed backend (one that finished); undefined when none did. Ties keep `timings`' order. */
export function fastest(timings: readonly BackendTiming[]): BackendName | undefined {
  let best: BackendTiming | undefined;
  for (const t of timings) if (t.ms !== null && (!best || t.ms < best.ms!)) best = t;
  return best?.backend;
}

/**
 * Cached timings are reused only when they cover exactly the backends to compare now (the same browser session
 * with the same GPUs): otherwise the step is timed again.
 */
export function cachedTimingsFor(cached: readonly BackendTiming[] | undefined, candidates: readonly BackendName[]): BackendTiming[] | undefined {
  if (!cached || cached.length !== candidates.length) return undefined;
  const byName = new Map(cached.map((t) => [t.backend, t]));
  if (!candidates.every((c) => byName.has(c))) return undefined;
  return candidates.map((c) => byName.get(c)!);
}

/** A backend not used, and why; `usable`: it works here but was not chosen (software, or slower when timed). */
export interface NotUsed {
  backend: BackendName;
  reason: string;
  usable?: boolean;
  /** set for a software GPU: softwareReason's words */
  software?: string;
}

export interface GpuPrecheck {
  backend: 'webgpu' | 'webgl';
  /** why it cannot work here (no adapter, no context, ...) */
  unavailable?: string;
  probe?: GpuProbe;
}

export interface AutoPlan {
  /** backends to initialise and, when more than one starts, to time: hardware GPUs in order, then WASM */
  candidates: BackendName[];
  /** software GPUs, tried (in order) only when WASM does not work */
  fallbacks: BackendName[];
  notUsed: NotUsed[];
}

/** What 'auto' considers, from the GPU prechecks and whether WASM started (null) or why not. */
export function planAuto(gpus: readonly GpuPrecheck[], wasmFailure: string | null): AutoPlan {
  const candidates: BackendName[] = [];
  const fallbacks: BackendName[] = [];
  const notUsed: NotUsed[] = [];
  for (const g of gpus) {
    if (g.unavailable) {
      notUsed.push({ backend: g.backend, reason: g.unavailable });
      continue;
    }
    const soft = softwareReason(g.backend, g.probe ?? {});
    if (!soft) candidates.push(g.backend);
    else if (wasmFailure === null) {
      const name = softwareRendererIn(g.probe?.description) ?? 'a fallback adapter';
      notUsed.push({ backend: g.backend, reason: `software (${name}), far slower than WASM for training`, usable: true, software: soft });
    }
    else fallbacks.push(g.backend);
  }
  if (wasmFailure === null) candidates.push('wasm');
  else notUsed.push({ backend: 'wasm', reason: wasmFailure });
  return { candidates, fallbacks, notUsed };
}

/** The badge's one line on why `chosen` is in use. */
export function whyChosen(chosen: BackendName, o: { pref: string; notUsed: readonly NotUsed[]; timings?: readonly BackendTiming[]; budgetMs: number; probe?: GpuProbe }): string {
  if (o.pref !== 'auto') {
    if (o.pref === chosen) {
      const soft = (chosen === 'webgpu' || chosen === 'webgl') && softwareReason(chosen, o.probe ?? {});
      return soft ? `you chose it; ${soft}: WASM would be far faster` : 'you chose it';
    }
    const failed = o.notUsed.find((n) => n.backend === o.pref);
    return `you chose ${BACKEND_LABEL[o.pref as BackendName] ?? o.pref}, which did not start${failed ? ` (${failed.reason})` : ''}`;
  }
  if (o.timings && o.timings.length > 1) return `fastest on a timed step: ${formatTimings(o.timings, o.budgetMs)}`;
  const soft = o.notUsed.flatMap((n) => (n.software ? [n.software] : []));
  if (soft.length) return soft.join('; ');
  if (chosen === 'webgpu' || chosen === 'webgl') {
    const soft2 = softwareReason(chosen, o.probe ?? {});
    if (soft2) return `${soft2}, used because WASM did not start`;
  }
  return o.notUsed.length ? 'the fastest backend that starts here' : 'the first choice';
}

/** The most threads the WASM backend uses: tfjs-backend-wasm 4.x pre-creates 8 pthread workers and caps its pool at 8. */
export const MAX_WASM_THREADS = 8;

/** What decides whether the threaded WASM build can run here (read from the worker's globals). */
export interface WasmThreadsEnv {
  crossOriginIsolated?: boolean;
  sharedArrayBuffer: boolean;
  hardwareConcurrency?: number;
}

/**
 * The WASM build to start: the threaded SIMD build with `threads` threads (default navigator.hardwareConcurrency,
 * at most MAX_WASM_THREADS), or the single-threaded SIMD build and why.
 */
export function wasmThreadsPlan(env: WasmThreadsEnv, requested?: number): { threads: number } | { threads: 1; reason: string } {
  if (requested !== undefined && requested <= 1) return { threads: 1, reason: 'one thread was asked for' };
  if (!env.sharedArrayBuffer || env.crossOriginIsolated === false) {
    return {
      threads: 1,
      reason: env.crossOriginIsolated === false ? 'the page is not cross-origin isolated: no COOP/COEP headers' : 'SharedArrayBuffer is not available',
    };
  }
  const cores = Math.floor(env.hardwareConcurrency ?? 1);
  const threads = Math.min(requested ?? cores, MAX_WASM_THREADS);
  if (threads < 2) return { threads: 1, reason: `the browser reports ${cores} logical core${cores === 1 ? '' : 's'}` };
  return { threads };
}

/** The badge's note on the WASM build: its thread count, or why it runs on one thread. */
export function wasmThreadsNote(threads: number, reason?: string): string {
  return threads > 1 ? `threaded SIMD build, ${threads} threads` : `single-threaded SIMD build${reason ? ` (${reason})` : ''}`;
}

/**
 * The threaded factory's own source, as the pthread workers must load it: the expression after
 * `var WasmBackendModuleThreadedSimd = ` in tfjs-backend-wasm-threaded-simd.js (an arrow IIFE that returns the
 * factory), without the CommonJS/AMD export lines after it. Undefined when the file does not have that form.
 */
export function threadedFactoryExpression(source: string): string | undefined {
  const head = 'var WasmBackendModuleThreadedSimd = ';
  const start = source.indexOf(head);
  const end = source.lastIndexOf('})();');
  if (start < 0 || end < start) return undefined;
  const expr = source.slice(start + head.length, end + '})()'.length);
  return expr.startsWith('(() => {') ? expr : undefined;
}
