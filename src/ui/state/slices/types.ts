// What every slice of the lab store sees: the whole state (slices read each other through get()) and the worker.
import type * as Comlink from 'comlink';
import type { StateCreator } from 'zustand';
import type { LabApi } from '../../../../workers/labApi';
import type { DataSlice } from './dataSlice';
import type { PlaygroundSlice } from './playgroundSlice';
import type { RunSlice } from './runSlice';
import type { SessionSlice } from './sessionSlice';
import type { SuggestSlice } from './suggestSlice';
import type { TreeSlice } from './treeSlice';
import type { WizardSlice } from './wizardSlice';

export type LabState = SessionSlice & DataSlice & WizardSlice & RunSlice & TreeSlice & SuggestSlice & PlaygroundSlice;

/** The store's handles on the outside world, passed in (tests can give fakes). */
export interface LabDeps {
  lab(): Comlink.Remote<LabApi>;
  proxy: typeof Comlink.proxy;
  transfer: typeof Comlink.transfer;
  /** Calls `listener` when the worker dies (the next lab() call starts a new one); returns the unsubscribe. */
  onWorkerDied?(listener: (reason: string) => void): () => void;
}

/** What a call rejects with when the worker died before it answered. */
export class WorkerGoneError extends Error {
  override name = 'WorkerGoneError';
  constructor(readonly reason: string) {
    super(`the lab's worker stopped${reason ? ` (${reason})` : ''}`);
  }
}

/**
 * A worker call that rejects with WorkerGoneError if the worker dies first (a call to a dead worker never answers).
 * A call that rejects because its proxy was released (the worker is gone) rejects the same way.
 */
export async function untilWorkerDies<T>(deps: LabDeps, call: () => Promise<T>): Promise<T> {
  let off: (() => void) | undefined;
  const gone = new Promise<never>((_, reject) => {
    off = deps.onWorkerDied?.((reason) => reject(new WorkerGoneError(reason)));
  });
  try {
    return await Promise.race([call(), gone]);
  } catch (e) {
    if (!(e instanceof WorkerGoneError) && /proxy has been released/i.test(errText(e))) throw new WorkerGoneError(errText(e));
    throw e;
  } finally {
    off?.();
  }
}

export type Slice<T> = (deps: LabDeps) => StateCreator<LabState, [], [], T>;

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
