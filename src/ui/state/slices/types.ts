// What every slice of the lab store sees: the whole state (slices read each other through get()) and the worker.
import type * as Comlink from 'comlink';
import type { StateCreator } from 'zustand';
import type { LabApi } from '../../../../workers/labApi';
import type { DataSlice } from './dataSlice';
import type { RunSlice } from './runSlice';
import type { SessionSlice } from './sessionSlice';
import type { TreeSlice } from './treeSlice';
import type { WizardSlice } from './wizardSlice';

export type LabState = SessionSlice & DataSlice & WizardSlice & RunSlice & TreeSlice;

/** The store's handles on the outside world, passed in (tests can give fakes). */
export interface LabDeps {
  lab(): Comlink.Remote<LabApi>;
  proxy: typeof Comlink.proxy;
  transfer: typeof Comlink.transfer;
}

export type Slice<T> = (deps: LabDeps) => StateCreator<LabState, [], [], T>;

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
