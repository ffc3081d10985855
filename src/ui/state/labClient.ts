// The page's handle on the lab worker (comlink). The worker starts on the first call; one per store (one per page).
// A worker that dies (its 'error' event: an uncaught failure, the worker gone) is terminated and its proxy released;
// listeners hear it (the store ends a run in progress as failed) and the next call starts a new worker.
import * as Comlink from 'comlink';
import type { LabApi } from '../../../workers/labApi';
import type { LabDeps } from './slices/types';

export function connectLab(): LabDeps {
  let api: Comlink.Remote<LabApi> | null = null;
  let worker: Worker | null = null;
  const listeners = new Set<(reason: string) => void>();

  const died = (w: Worker, reason: string) => {
    if (w !== worker) return; // an older worker, already replaced
    w.terminate();
    api?.[Comlink.releaseProxy]();
    api = null;
    worker = null;
    for (const l of [...listeners]) l(reason);
  };

  return {
    lab() {
      if (!api) {
        const w = new Worker(new URL('../../../workers/labWorker.ts', import.meta.url), { type: 'module', name: 'lab' });
        w.addEventListener('error', (e: ErrorEvent) => died(w, e.message || 'the worker failed'));
        worker = w;
        api = Comlink.wrap<LabApi>(w);
      }
      return api;
    },
    proxy: Comlink.proxy,
    transfer: Comlink.transfer,
    onWorkerDied(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
