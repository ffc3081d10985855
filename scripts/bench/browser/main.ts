// Page side of the browser benchmark (`npm run bench:browser`, runner: scripts/benchBrowser.ts). Served by the vite
// dev server at /scripts/bench/browser/index.html?backend=webgpu&shapes=tiny2,tiny1&reps=1&generation=1, it selects
// the backend the way the lab worker does (workers/backend.ts), runs the fixed-shape benchmark (scripts/bench/shapes.ts)
// and the lab's generation loop (scripts/bench/generation.ts), and leaves the outcome in window.__bench for the runner.
// Progress goes to the console as lines starting with '[bench]'.
import type { BackendInfo, BackendName } from '../../../workers/labApi';
import { selectBackend } from '../../../workers/backend';
import { benchShapes } from '../shapes';
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
}

const state: BrowserBenchState = { done: false, rows: {}, userAgent: navigator.userAgent };
(window as unknown as { __bench: BrowserBenchState }).__bench = state;

const log = (m: string) => {
  console.log(`[bench] ${m}`);
  document.getElementById('out')!.textContent += `\n${m}`;
};

async function run(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const backend = (q.get('backend') ?? 'webgpu') as BackendName;
  const names = (q.get('shapes') ?? 'tiny2,tiny1').split(',').filter(Boolean);
  const reps = Number(q.get('reps') ?? 1);
  const generation = q.get('generation') !== '0';

  const info = (state.info = await selectBackend(backend));
  log(`backend ${info.backend} in ${info.initMs} ms${info.notes.length ? `: ${info.notes.join('; ')}` : ''}`);
  if (info.backend === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    state.glRenderer = gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : undefined;
    if (state.glRenderer) log(`WebGL renderer: ${state.glRenderer}`);
  }
  if (info.backend !== backend) {
    const why = info.reasons.find((r) => r.backend === backend)?.reason ?? 'unknown reason';
    state.skipped = `${backend} is not usable here (${why}); selectBackend fell back to ${info.backend}`;
    return;
  }
  let t0 = performance.now();
  log(`shapes ${names.join(', ')} (reps ${reps})…`);
  state.rows.shapes = await benchShapes({ names, reps });
  log(`shapes: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (generation) {
    t0 = performance.now();
    log('generation (small)…');
    const { benchGeneration } = await import('../generation'); // its runIfMain does nothing in a page
    state.rows.generate = await benchGeneration({ small: true });
    log(`generation: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

const t0 = performance.now();
run().then(
  () => undefined,
  (e: unknown) => {
    state.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  },
).finally(() => {
  state.seconds = (performance.now() - t0) / 1000;
  state.done = true;
  log(state.error ? `error: ${state.error}` : state.skipped ? `skipped: ${state.skipped}` : 'done');
});
