// The page's handle on the lab worker (comlink). The worker starts on the first call; one per store (one per page).
import * as Comlink from 'comlink';
import type { LabApi } from '../../../workers/labApi';
import type { LabDeps } from './slices/types';

export function connectLab(): LabDeps {
  let api: Comlink.Remote<LabApi> | null = null;
  return {
    lab() {
      if (!api) {
        const worker = new Worker(new URL('../../../workers/labWorker.ts', import.meta.url), { type: 'module', name: 'lab' });
        api = Comlink.wrap<LabApi>(worker);
      }
      return api;
    },
    proxy: Comlink.proxy,
    transfer: Comlink.transfer,
  };
}
