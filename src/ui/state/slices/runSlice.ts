// Running recipes: the run state, the live series / samples / log, and the one resume path. Each batch of events
// the worker sends (it batches them, ~150 ms) is applied as it arrives, by the pure reducer, in one setState.
import type { LabEvent } from '../../../core/experiment/events';
import type { HistoryPoint } from '../../../core/lab/history';
import type { Recipe, RunOutcome, Sample } from '../../../../workers/labApi';
import { reduceEvents, runFinished, runStarted, type LogLine, type RunState } from '../reduceEvents';
import { resumeRecipe, stoppedNodeOf } from '../recipes';
import { errText, type Slice } from './types';

export interface RunSlice {
  run: RunState | null;
  series: Record<string, HistoryPoint[]>;
  liveSamples: Record<string, Sample[]>;
  logs: LogLine[];

  startRun(recipe: Recipe): Promise<void>;
  cancelRun(): Promise<void>;
  /** Runs an interrupted node again: finished ancestors are kept, it continues from its last checkpoint. */
  resumeNode(id: string): Promise<void>;
  /** Resumes the last run where it stopped (its first node that is not done), the same way as resumeNode. */
  resumeRun(): Promise<void>;
  /** Applies one batch of worker events. */
  applyEvents(events: LabEvent[]): void;
}

export const createRunSlice: Slice<RunSlice> = (deps) => (set, get) => ({
  run: null,
  series: {},
  liveSamples: {},
  logs: [],

  async startRun(recipe) {
    if (get().run?.active) return;
    set({ run: runStarted(recipe, Date.now()), logs: [] });
    get().go('live');
    const onEvents = deps.proxy((events: LabEvent[]) => get().applyEvents(events));
    let outcome: RunOutcome;
    try {
      outcome = await deps.lab().runRecipe(recipe, onEvents);
    } catch (e) {
      outcome = { status: 'failed', error: errText(e) };
    }
    set((s) => ({ run: runFinished(s.run, outcome), forkFrom: null }));
    await get().refreshNodes();
    void get().refreshStorage();
    if (outcome.status === 'failed') get().toast(`Run failed: ${outcome.error ?? 'unknown error'}`, 'bad');
  },

  async cancelRun() {
    await deps.lab().cancel();
  },

  async resumeNode(id) {
    if (get().run?.active) return;
    let recipe: Recipe;
    try {
      recipe = resumeRecipe(id, get().nodes);
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

  applyEvents(events) {
    if (!events.length) return;
    set((s) => reduceEvents(s, events, Date.now()));
    // the node panel's detail (loss history, evaluated questions) follows the selected node's record
    const sel = get().selectedId;
    if (sel && events.some((e) => e.type === 'record' && e.record.id === sel)) void get().refreshDetail();
  },
});
