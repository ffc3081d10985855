// Page side of the browser benchmark (`npm run bench:browser`, runner: scripts/benchBrowser.ts). Served by the vite
// dev server at /scripts/bench/browser/index.html?backend=webgpu&shapes=tiny2,tiny1&reps=1&generation=1[&threads=1], it
// starts a module worker (bench.worker.ts, where the lab's work runs too) that selects the backend the way the lab
// worker does (workers/backend.ts; `threads`: the WASM backend's thread count, default all), runs the fixed-shape
// benchmark (scripts/bench/shapes.ts) and the lab's generation loop (scripts/bench/generation.ts); on WASM it also
// records the losses of a few seeded tiny training steps, which the runner compares between thread counts. The outcome
// is left in window.__bench for the runner; progress goes to the console as lines starting with '[bench]'.
import type { BackendInfo } from '../../../workers/labApi';
import type { BenchRow } from '../types';

export interface BrowserBenchState {
  done: boolean;
  /** rows per section ('shapes', 'generate'), as scripts/bench.ts prints them */
  rows: Record<string, BenchRow[]>;
  /** what selectBackend chose (its notes say e.g. whether WebGPU is SwiftShader's fallback adapter) */
  info?: BackendInfo;
  /** set when the requested backend could not be used (another one was selected): no figures then */
  skipped?: string;
  error?: string;
  userAgent: string;
  /** the WebGL renderer (e.g. SwiftShader), which selectBackend's notes do not give */
  glRenderer?: string;
  seconds?: number;
  /** WASM: the losses of trainLosses('tiny1') (compared between thread counts by the runner) */
  losses?: number[];
}

if (typeof window !== 'undefined') {
  const page = window as unknown as { __bench: BrowserBenchState };
  page.__bench = { done: false, rows: {}, userAgent: navigator.userAgent };
  const log = (m: string) => {
    console.log(`[bench] ${m}`);
    document.getElementById('out')!.textContent += `\n${m}`;
  };
  const fail = (why: string) => {
    page.__bench = { ...page.__bench, done: true, error: why };
    log(`error: ${why}`);
  };
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'bench' });
  worker.onmessage = (e: MessageEvent<{ log?: string; state?: BrowserBenchState }>) => {
    if (e.data.log) log(e.data.log);
    if (e.data.state) {
      page.__bench = e.data.state;
      const s = e.data.state;
      log(s.error ? `error: ${s.error}` : s.skipped ? `skipped: ${s.skipped}` : 'done');
    }
  };
  worker.onerror = (e) => fail(`the benchmark worker failed: ${e.message || 'no message'}`);
  worker.postMessage({ search: location.search });
}
