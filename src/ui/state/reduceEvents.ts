// The lab's event reducer: what a batch of runner events (src/core/experiment/events.ts) does to the UI state.
// Pure — no zustand, no worker, no clock (the caller passes `now`) — so it is tested on its own
// (reduceEvents.test.ts). The store applies each batch the worker sends with one call, in one setState.
import type { LabEvent } from '../../core/experiment/events';
import type { Recipe } from '../../core/experiment/recipe';
import { appendHistory, MAX_HISTORY_POINTS, type HistoryPoint, type ValidationPoint } from '../../core/lab/history';
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
  /** what the run is doing between steps (none: starting, before any node runs) */
  phase?: RunPhase;
  /** the run's training examples are built (the runner builds them once, for its first training node) */
  examplesReady?: boolean;
}

/**
 * What a run does while no step arrives: the lab resolves its inputs, then per node the runner builds the model
 * and (once) the training examples, reads a checkpoint to resume, runs a first step that compiles the kernels, and
 * after training evaluates. Told apart by the runner's 'node' events and log lines.
 */
export interface RunPhase {
  kind: 'preparing' | 'first-step' | 'resuming' | 'cutting' | 'training' | 'evaluating';
  nodeId: string;
  /** when it began (the reducer's `now`) */
  since: number;
  /** 'resuming': the step it resumes from */
  fromStep?: number;
  /** 'evaluating': how far it is (the runner's evalProgress events) */
  progress?: { part: 'generating' | 'timing'; done: number; total: number; etaMs: number };
}

/** The runner's data report line (runMessages.ts describeDataReport): the examples are built. */
const DATA_REPORT = /training items → \d+ examples/;
/** The runner's resume line: "node 'x': resuming teacher from step 12 of 40". */
const RESUMING = /^node '([^']+)': resuming \w+ from step (\d+)/;

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
  /** live validation curve per node (the runner's 'validation' events; the stored curve comes with the node's detail) */
  validation: Record<string, ValidationPoint[]>;
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
  let validation = state.validation;
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
          if (r.phase?.kind !== 'training' || r.phase.nodeId !== e.nodeId) r.phase = { kind: 'training', nodeId: e.nodeId, since: now };
          r.currentNodeId = e.nodeId;
          r.step = e.step;
          r.totalSteps = e.totalSteps;
          r.etaMs = e.etaMs;
          r.examplesPerSec = e.examplesPerSec;
        }
        break;
      }
      case 'node': {
        if (e.status === 'running') {
          const r = editRun();
          if (r) {
            r.currentNodeId = e.nodeId;
            r.step = 0;
            r.totalSteps = undefined;
            r.etaMs = undefined;
            r.examplesPerSec = undefined;
            const kind = nodes[e.nodeId]?.stage === 'student' ? 'cutting' : r.examplesReady ? 'first-step' : 'preparing';
            r.phase = { kind, nodeId: e.nodeId, since: now };
          }
        } else if (run?.phase?.nodeId === e.nodeId) {
          // a node done is evaluated next (questions generated for the test items, then scored)
          const r = editRun()!;
          r.phase = e.status === 'done' ? { kind: 'evaluating', nodeId: e.nodeId, since: now } : undefined;
        }
        break;
      }
      case 'validation': {
        if (validation === state.validation) validation = { ...validation };
        const { type: _t, nodeId, stage: _s, ...point } = e;
        // a resumed stage sends its points again from the checkpoint's step on: keep one point per step
        validation[nodeId] = [...(validation[nodeId] ?? []).filter((p) => p.step < point.step), point];
        break;
      }
      case 'evalProgress': {
        const r = editRun();
        if (!r) break;
        const { part, done, total, etaMs } = e;
        if (r.phase?.kind === 'evaluating' && r.phase.nodeId === e.nodeId) r.phase = { ...r.phase, progress: { part, done, total, etaMs } };
        else r.phase = { kind: 'evaluating', nodeId: e.nodeId, since: now, progress: { part, done, total, etaMs } };
        break;
      }
      case 'samples':
        if (liveSamples === state.liveSamples) liveSamples = { ...liveSamples };
        liveSamples[e.nodeId] = e.samples;
        break;
      case 'log': {
        newLogs.push({ t: now, level: e.level, message: e.message });
        if (!run?.active) break;
        const resume = RESUMING.exec(e.message);
        if (DATA_REPORT.test(e.message)) {
          const r = editRun()!;
          r.examplesReady = true;
          if (r.phase?.kind === 'preparing') r.phase = { ...r.phase, kind: 'first-step', since: now };
        } else if (resume && run.phase?.nodeId === resume[1]) {
          editRun()!.phase = { kind: 'resuming', nodeId: resume[1]!, since: now, fromStep: Number(resume[2]) };
        }
        break;
      }
      case 'eval':
        // the scores arrive in the node's record; the samples in a 'samples' event
        if (run?.phase?.kind === 'evaluating' && run.phase.nodeId === e.nodeId) editRun()!.phase = undefined;
        break;
    }
  }
  if (newLogs.length) logs = [...logs, ...newLogs].slice(-MAX_LOG_LINES);
  return { nodes, series, validation, liveSamples, logs, run };
}

const STAGE_WORDS: Record<string, string> = { teacher: 'teacher', student: 'student', distill: 'distillation', selftrain: 'self-training' };

/**
 * The Live screen's line while no step arrives (undefined while training: the step line says it). `stage`: the
 * phase's node's stage, when known.
 */
export function phaseText(run: RunState, stage?: string): string | undefined {
  if (!run.active) return undefined;
  const p = run.phase;
  if (!p) return 'Starting: reading the dataset (and base model) from this browser and building the tokenizer…';
  const what = stage ? STAGE_WORDS[stage] ?? stage : 'node';
  switch (p.kind) {
    case 'preparing':
      return `Preparing the ${what}: building the model and the training examples (tokenizing the dataset), then a first step that compiles the kernels…`;
    case 'first-step':
      return `Preparing the ${what}: loading the model and running the first step, which compiles the kernels (the slowest step)…`;
    case 'resuming':
      return `Resuming the ${what} from step ${p.fromStep}: loading its checkpoint and compiling the kernels for the next step…`;
    case 'cutting':
      return "Making the student: copying the teacher's kept layers…";
    case 'evaluating': {
      const g = p.progress;
      if (!g) return `Evaluating the ${what}: generating questions for the test items (beam search) and scoring them…`;
      const eta = g.done > 0 && g.done < g.total ? ` · ETA ${etaText(g.etaMs)}` : '';
      return g.part === 'generating'
        ? `Evaluating the ${what}: ${g.done} of ${g.total} test questions generated (beam search)${eta}`
        : `Evaluating the ${what}: timing generation, run ${g.done} of ${g.total}${eta}; then scoring…`;
    }
    case 'training':
      return undefined;
  }
}

/** "20 s", "3 min 5 s", "1 h 2 min" */
export function etaText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}
