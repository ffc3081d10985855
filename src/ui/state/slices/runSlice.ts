// Running recipes: the run state, the live series / samples / log, and the one resume path. Each batch of events
// the worker sends (it batches them, ~150 ms) is applied as it arrives, by the pure reducer, in one setState.
import type { LabEvent } from '../../../core/experiment/events';
import type { HistoryPoint, ValidationPoint } from '../../../core/lab/history';
import type { BackendChoice, Recipe, RunOutcome, Sample } from '../../../../workers/labApi';
import { reduceEvents, runFinished, runStarted, type LogLine, type RunState } from '../reduceEvents';
import { storageTouched, workerDiedOutcome } from '../plan';
import { resumeRecipe, stoppedNodeOf } from '../recipes';
import { errText, untilWorkerDies, WorkerGoneError, type Slice } from './types';

export interface RunSlice {
  run: RunState | null;
  series: Record<string, HistoryPoint[]>;
  validation: Record<string, ValidationPoint[]>;
  liveSamples: Record<string, Sample[]>;
  logs: LogLine[];

  startRun(recipe: Recipe): Promise<void>;
  cancelRun(): Promise<void>;
  /** Runs an interrupted node again: finished ancestors are kept, it continues from its last checkpoint.
   *  `override`: config fields to set on that node (a failure hint's micro-batch). */
  resumeNode(id: string, override?: Record<string, unknown>): Promise<void>;
  /** Resumes the last run where it stopped (its first node that is not done), the same way as resumeNode. */
  resumeRun(): Promise<void>;
  /** A failure hint's "Resume on <backend>": switches the backend (the one switch), then resumeRun. */
  resumeOnBackend(backend: string): Promise<void>;
  /**
   * A failure hint's "Resume with micro-batch N": the one resume path, with the stopped node's config
   * microBatchSize set to N (the same node id: micro-batches accumulate to the same batch, so the lab core keeps
   * its checkpoint).
   */
  resumeWithMicroBatch(n: number): Promise<void>;
  /** Applies one batch of worker events. */
  applyEvents(events: LabEvent[]): void;
}

export const createRunSlice: Slice<RunSlice> = (deps) => (set, get) => ({
  run: null,
  series: {},
  validation: {},
  liveSamples: {},
  logs: [],

  async startRun(recipe) {
    if (get().run?.active) return;
    set({ run: runStarted(recipe, Date.now()), logs: [] });
    get().go('live');
    const onEvents = deps.proxy((events: LabEvent[]) => get().applyEvents(events));
    const backend = get().backend;
    let outcome: RunOutcome;
    try {
      outcome = await untilWorkerDies(deps, () => deps.lab().runRecipe(recipe, onEvents));
    } catch (e) {
      if (e instanceof WorkerGoneError) {
        const r = get().run;
        const id = r?.currentNodeId ?? (r ? stoppedNodeOf(r.nodeIds, get().nodes) : undefined);
        outcome = workerDiedOutcome(e.reason, id ? get().nodes[id] : undefined, backend);
      } else outcome = { status: 'failed', error: errText(e) };
    }
    set((s) => ({ run: runFinished(s.run, outcome), forkFrom: null }));
    await get().refreshNodes();
    void get().refreshStorage();
    if (outcome.status === 'failed') get().toast(`Run failed: ${outcome.hint?.message ?? outcome.error ?? 'unknown error'}`, 'bad');
  },

  async cancelRun() {
    await deps.lab().cancel();
  },

  async resumeNode(id, override?: Record<string, unknown>) {
    if (get().run?.active) return;
    let recipe: Recipe;
    try {
      recipe = resumeRecipe(id, get().nodes, override);
    } catch (e) {
      get().toast(`Cannot resume: ${errText(e)}`, 'bad');
      return;
    }
    await get().startRun(recipe);
  },

  async resumeRun() {
    const run = get().run;
    const id = run && stoppedNodeOf(run.nodeIds, get().nodes);
    if (!id) {
      get().toast('Nothing to resume: every node of the run is done', 'bad');
      return;
    }
    await get().resumeNode(id);
  },

  async resumeOnBackend(backend) {
    if (get().run?.active) return;
    await get().setBackendPref(backend as BackendChoice);
    const err = get().backendError;
    if (err || get().backend?.backend !== backend) {
      get().toast(`Cannot resume on ${backend}: ${err ?? 'the backend did not start'}`, 'bad');
      return;
    }
    await get().resumeRun();
  },

  async resumeWithMicroBatch(n) {
    const run = get().run;
    const id = run && stoppedNodeOf(run.nodeIds, get().nodes);
    if (!id) {
      get().toast('Nothing to resume: every node of the run is done', 'bad');
      return;
    }
    await get().resumeNode(id, { microBatchSize: n });
  },

  applyEvents(events) {
    if (!events.length) return;
    const before = get().nodes;
    set((s) => reduceEvents(s, events, Date.now()));
    // a checkpoint written, a node finished: the storage meter follows (throttled)
    if (storageTouched(before, events)) get().refreshStorageSoon();
    // the node panel's detail (loss history, evaluated questions) follows the selected node's record
    const sel = get().selectedId;
    if (sel && events.some((e) => e.type === 'record' && e.record.id === sel)) void get().refreshDetail();
  },
});
