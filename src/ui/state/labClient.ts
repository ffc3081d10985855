// The page's handle on the lab worker (comlink). One worker per page.
import * as Comlink from 'comlink';
import type { LabApi } from '../../../workers/labApi';

let api: Comlink.Remote<LabApi> | null = null;

export function lab(): Comlink.Remote<LabApi> {
  if (!api) {
    const worker = new Worker(new URL('../../../workers/labWorker.ts', import.meta.url), { type: 'module', name: 'lab' });
    api = Comlink.wrap<LabApi>(worker);
  }
  return api;
}

export const proxy = Comlink.proxy;
