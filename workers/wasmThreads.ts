// Starting TF.js's threaded WASM build inside the lab's bundled worker (and the benchmark page).
//
// tfjs-backend-wasm 4.x hands emscripten, as the script its pthread workers load, a Blob of
// `var WasmBackendModuleThreadedSimd = ` + factory.toString(): the factory's text as it stands in *our* bundle. The
// production minifier rewrites the factory's `typeof _scriptDir !== "undefined" && _scriptDir` to `e !== void 0 && e`
// (it knows `_scriptDir` is declared in the enclosing closure, which the Blob does not have), so each pthread dies on
// start with "e is not defined", and the main thread then blocks for ever in pthreadpool_create. The fix: the
// factory's toString returns the untouched source from the package file (imported as text). Before tfjs starts the
// threaded build for real, probeThreads starts the same source in a throw-away worker, so a pthread that cannot start
// costs a timeout and a fallback to the single-threaded SIMD build, never a hung lab worker.
import threadedFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedSource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { wasmWorkerContents } from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
import { threadedFactoryExpression } from './backendChoice';

const factoryExpression = threadedFactoryExpression(threadedSource);

/** Makes tfjs hand its pthreads the factory's untouched source; false when that source was not found. */
export function useUntouchedFactorySource(): boolean {
  if (!factoryExpression) return false;
  // the one hand-written shim: tfjs reads the pthread script from factory.toString() and offers no other hook
  Object.defineProperty(threadedFactory, 'toString', { value: () => factoryExpression, configurable: true });
  return true;
}

/**
 * tfjs-backend-wasm caps its thread pool at navigator.hardwareConcurrency / 2 (its C++ side assumes two hardware
 * threads per core), whatever setThreadsCount asks; on a 2-core machine that is one thread. Reporting 2·threads
 * while the module initialises lets setThreadsCount(threads) decide. Returns the function that restores the value.
 */
export function reportCoresFor(threads: number): () => void {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav) return () => undefined;
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => 2 * threads });
  return () => void delete (nav as unknown as { hardwareConcurrency?: number }).hardwareConcurrency;
}

// A classic worker: loads the factory source the pthreads will load, starts the threaded module with `threads`
// threads (pthreadpool_create returns only once every pthread runs) and answers how many threads it got.
const PROBE = `self.onmessage = (e) => {
  const d = e.data;
  const fail = (m) => postMessage({ error: String((m && m.message) || m) });
  Object.defineProperty(self.navigator, 'hardwareConcurrency', { configurable: true, get: () => 2 * d.threads });
  try {
    importScripts(d.factory);
    WasmBackendModuleThreadedSimd({
      mainScriptUrlOrBlob: d.factory,
      locateFile: (p) => (p.endsWith('.worker.js') ? d.pthread : d.wasm),
      onAbort: fail,
    }).then((m) => {
      m._init_with_threads_count(d.threads);
      postMessage({ threads: m._get_threads_count() });
    }, fail);
  } catch (err) {
    fail(err);
  }
};`;

const blobUrl = (text: string) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));

/**
 * Starts the threaded build with `threads` threads in a throw-away worker: the thread count it got, or why it could
 * not (an error, or no answer within `timeoutMs`).
 */
export function probeThreads(threads: number, wasmUrl: string, timeoutMs: number): Promise<{ threads: number } | { error: string }> {
  if (!factoryExpression) return Promise.resolve({ error: "the threaded factory's source was not found in tfjs-backend-wasm" });
  const urls = [
    blobUrl(`var WasmBackendModuleThreadedSimd = ${factoryExpression};`),
    // as tfjs does (backend_wasm.js): the worker source keeps its "\n" escapes
    blobUrl(wasmWorkerContents.replace(/\n/g, '\\n')),
    blobUrl(PROBE),
  ];
  const [factory, pthread, probe] = urls as [string, string, string];
  return new Promise((resolve) => {
    let worker: Worker | undefined;
    const done = (r: { threads: number } | { error: string }) => {
      clearTimeout(timer);
      worker?.terminate(); // its pthread workers go with it
      for (const u of urls) URL.revokeObjectURL(u);
      resolve(r);
    };
    const timer = setTimeout(() => done({ error: `its threads did not start within ${timeoutMs / 1000} s` }), timeoutMs);
    try {
      worker = new Worker(probe);
      worker.onmessage = (e: MessageEvent<{ threads?: number; error?: string }>) =>
        done(e.data.error !== undefined ? { error: e.data.error } : { threads: e.data.threads ?? 0 });
      worker.onerror = (e) => {
        e.preventDefault();
        done({ error: e.message || 'the probe worker failed' });
      };
      worker.postMessage({ factory, pthread, wasm: new URL(wasmUrl, globalThis.location?.href).href, threads });
    } catch (e) {
      done({ error: e instanceof Error ? e.message : String(e) });
    }
  });
}
