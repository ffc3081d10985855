// The browser benchmark's work, in a module Web Worker as the lab trains (workers/labWorker.ts): the WASM backend's
// threads block there as they do in the lab (a page's main thread may not block, so emscripten spins it instead).
// Started by scripts/bench/browser/main.ts with the page's query; posts { log } lines and the final state.
import type { BackendName } from '../../../workers/labApi';
import { selectBackend, setWasmThreads } from '../../../workers/backend';
import { benchShapes, trainLosses } from '../shapes';
import type { BrowserBenchState } from './main';

const state: BrowserBenchState = { done: false, rows: {}, userAgent: navigator.userAgent };
const log = (m: string) => postMessage({ log: m });

/** The WebGL renderer string (e.g. SwiftShader), from a throw-away context. */
function glRenderer(): string | undefined {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  const ext = gl?.getExtension('WEBGL_debug_renderer_info');
  return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : undefined;
}

async function run(q: URLSearchParams): Promise<void> {
  const backend = (q.get('backend') ?? 'webgpu') as BackendName;
  const names = (q.get('shapes') ?? 'tiny2,tiny1').split(',').filter(Boolean);
  const reps = Number(q.get('reps') ?? 1);
  const generation = q.get('generation') !== '0';
  const threads = q.get('threads');
  if (threads && threads !== 'all') setWasmThreads(Number(threads));

  const info = (state.info = await selectBackend(backend));
  log(`backend ${info.backend} in ${info.initMs} ms${info.notes.length ? `: ${info.notes.join('; ')}` : ''}`);
  if (info.backend === 'webgl') {
    state.glRenderer = glRenderer();
    if (state.glRenderer) log(`WebGL renderer: ${state.glRenderer}`);
  }
  if (info.backend !== backend) {
    const why = info.reasons.find((r) => r.backend === backend)?.reason ?? 'unknown reason';
    state.skipped = `${backend} is not usable here (${why}); selectBackend fell back to ${info.backend}`;
    return;
  }
  let t0 = performance.now();
  if (info.backend === 'wasm') {
    state.losses = await trainLosses('tiny1');
    log(`tiny1 training losses: ${state.losses.join(', ')}`);
  }
  log(`shapes ${names.join(', ')} (reps ${reps})…`);
  state.rows.shapes = await benchShapes({ names, reps });
  log(`shapes: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (generation) {
    t0 = performance.now();
    log('generation (small)…');
    const { benchGeneration } = await import('../generation'); // its runIfMain does nothing in a worker
    state.rows.generate = await benchGeneration({ small: true });
    log(`generation: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

self.onmessage = (e: MessageEvent<{ search: string }>) => {
  const t0 = performance.now();
  run(new URLSearchParams(e.data.search))
    .catch((err: unknown) => {
      state.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    })
    .finally(() => {
      state.seconds = (performance.now() - t0) / 1000;
      state.done = true;
      postMessage({ state });
    });
};
