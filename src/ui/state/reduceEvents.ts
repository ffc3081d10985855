// The lab's event reducer: what a batch of runner events (src/core/experiment/events.ts) does to the UI state.
// Pure — no zustand, no worker, no clock (the caller passes `now`) — so it is tested on its own
// (reduceEvents.test.ts). The store applies each batch the worker sends with one call, in one setState.
import type { LabEvent } from '../../core/experiment/events';
import type { Recipe } from '../../core/experiment/recipe';
import { appendHistory, MAX_HISTORY_POINTS, type HistoryPoint } from '../../core/lab/history';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import type { RunOutcome, Sample } from '../../../workers/labApi';

/** Log lines kept (the oldest go first). */
export const MAX_LOG_LINES = 300;

export interface RunState {
  active: boolean;
  name: string;
  nodeIds: string[];
  /** the node training now (from 'node' running events and step events) */
  currentNodeId?: string;
  step?: number;
  totalSteps?: number;
  etaMs?: number;
  examplesPerSec?: number;
  startedAt: number;
  outcome?: RunOutcome;
}

export interface LogLine {
  t: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** The part of the UI state the runner's events change. */
export interface LiveState {
  /** every node record of the tree, by id (a 'record' event replaces its node) */
  nodes: Record<string, NodeRecord>;
  /** live loss history per node, thinned by the stored history's rule (so it matches the chart after a reload) */
  series: Record<string, HistoryPoint[]>;
  /** the latest generated questions per node */
  liveSamples: Record<string, Sample[]>;
  logs: LogLine[];
  run: RunState | null;
}

/** The run state of a recipe that starts now. */
export function runStarted(recipe: Recipe, now: number): RunState {
  return { active: true, name: recipe.name ?? 'run', nodeIds: recipe.nodes.map((n) => n.id), startedAt: now };
}

/** The run state once runRecipe has answered. */
export function runFinished(run: RunState | null, outcome: RunOutcome): RunState | null {
  return run ? { ...run, active: false, outcome } : null;
}

/**
 * Applies a batch of events. Returns a new state; parts no event touched keep their identity (components that
 * read them do not re-render). Node fields are only ever taken from 'record' events: 'node' events move the run's
 * progress and 'step' events feed the live series and the progress, but neither patches a node.
 */
export function reduceEvents(state: LiveState, events: readonly LabEvent[], now: number, maxPoints = MAX_HISTORY_POINTS): LiveState {
  if (!events.length) return state;
  let nodes = state.nodes;
  let series = state.series;
  let liveSamples = state.liveSamples;
  let logs = state.logs;
  let run = state.run;
  /** series arrays copied in this batch (appended to in place after that) */
  const copied = new Set<string>();
  const newLogs: LogLine[] = [];

  const editRun = (): RunState | null => {
    if (run && run === state.run) run = { ...run };
    return run;
  };

  for (const e of events) {
    switch (e.type) {
      case 'record':
        if (nodes === state.nodes) nodes = { ...nodes };
        nodes[e.record.id] = e.record;
        break;
      case 'step': {
        if (series === state.series) series = { ...series };
        if (!copied.has(e.nodeId)) {
          series[e.nodeId] = [...(series[e.nodeId] ?? [])];
          copied.add(e.nodeId);
        }
        appendHistory(series[e.nodeId]!, { step: e.step, epoch: e.epoch, loss: e.loss, lr: e.lr, terms: e.terms }, maxPoints);
        const r = editRun();
        if (r) {
          r.currentNodeId = e.nodeId;
          r.step = e.step;
          r.totalSteps = e.totalSteps;
          r.etaMs = e.etaMs;
          r.examplesPerSec = e.examplesPerSec;
        }
        break;
      }
      case 'node': {
        if (e.status !== 'running') break;
        const r = editRun();
        if (r) {
          r.currentNodeId = e.nodeId;
          r.step = 0;
          r.totalSteps = undefined;
          r.etaMs = undefined;
          r.examplesPerSec = undefined;
        }
        break;
      }
      case 'samples':
        if (liveSamples === state.liveSamples) liveSamples = { ...liveSamples };
        liveSamples[e.nodeId] = e.samples;
        break;
      case 'log':
        newLogs.push({ t: now, level: e.level, message: e.message });
        break;
      case 'eval':
        // the scores arrive in the node's record; the samples in a 'samples' event
        break;
    }
  }
  if (newLogs.length) logs = [...logs, ...newLogs].slice(-MAX_LOG_LINES);
  return { nodes, series, liveSamples, logs, run };
}
