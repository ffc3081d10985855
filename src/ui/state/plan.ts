// Pure helpers for running the study at full size: the data options the Data screen's figures are counted under, the
// plan's sentences, the buttons a failure hint offers, the outcome of a worker that died, which nodes hold resume
// checkpoints, and which record events change what the lab stores. No React, no worker (tested in plan.test.ts).
import { DEFAULT_SQG_LIMITS } from '../../core/data/sqgExamples';
import type { LabEvent } from '../../core/experiment/events';
import type { RecipeDataOptions } from '../../core/experiment/recipe';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import { defaultStageConfig } from '../../core/training/stageConfig';
import type { BackendInfo, RunOutcome } from '../../../workers/labApi';
import { fmtBytes, fmtInt, fmtPlanDuration } from '../format';
import type { DataLimits, DataPolicy, RunPlan, StagePlan } from './labExtras';

export type RunHint = NonNullable<RunOutcome['hint']>;
export type HintKind = RunHint['kind'];

// ---- data figures ----

/** The limits and policy of a draft's data options, with the study's defaults (512 / 15 / 42, skip). */
export function dataOptionsOf(data: RecipeDataOptions | undefined): { limits: DataLimits; policy: DataPolicy } {
  const pos = (v: number | undefined, d: number) => (v !== undefined && Number.isFinite(v) && v >= 1 ? Math.floor(v) : d);
  return {
    limits: {
      maxSeqLen: pos(data?.maxSeqLen, DEFAULT_SQG_LIMITS.maxSeqLen),
      maxAnswerLen: pos(data?.maxAnswerLen, DEFAULT_SQG_LIMITS.maxAnswerLen),
      maxQuestionLen: pos(data?.maxQuestionLen, DEFAULT_SQG_LIMITS.maxQuestionLen),
    },
    policy: data?.policy ?? 'skip',
  };
}

/** "1,282 of 3,524 (36.4%)" */
export function shareText(n: number, of: number): string {
  return `${fmtInt(n)} of ${fmtInt(of)}${of > 0 ? ` (${((100 * n) / of).toFixed(1)}%)` : ''}`;
}

// ---- plan ----

const plural = (n: number, word: string) => `${fmtInt(n)} ${word}${n === 1 ? '' : 's'}`;

/** One stage of a plan in a sentence: "teacher: 5 epochs × 44,000 steps ≈ 61 h on this backend". */
export function stagePlanLine(p: StagePlan): string {
  if (p.stage === 'student' || p.totalSteps === 0) return `${p.stage}: cut from its teacher (no training)`;
  const steps = `${plural(p.epochs, 'epoch')} × ${plural(p.stepsPerEpoch, 'step')}`;
  const time = p.projectedMs !== undefined ? `${fmtPlanDuration(p.projectedMs)} on this backend` : '(not timed)';
  return `${p.stage}: ${steps} ${time}`;
}

/** The storage the tree will take against what the browser grants; `bad` when it does not fit. */
export function planStorageText(s: RunPlan['storage']): { text: string; bad: boolean } {
  const free = s.quota !== undefined ? Math.max(0, s.quota - (s.usage ?? 0)) : undefined;
  if (s.fits === false)
    return { text: `this tree needs ${fmtBytes(s.bytes)} but the browser grants ${free !== undefined ? fmtBytes(free) : 'less'} more`, bad: true };
  if (free === undefined) return { text: `this tree needs ${fmtBytes(s.bytes)} (the browser does not say how much it grants)`, bad: false };
  return { text: `this tree needs ${fmtBytes(s.bytes)}; the browser grants ${fmtBytes(free)} more`, bad: false };
}

// ---- failures ----

export const HINT_TITLES: Record<HintKind, string> = {
  'device-lost': 'The GPU device was lost.',
  'out-of-memory': 'The backend ran out of memory.',
  'worker-died': "The lab's worker stopped.",
};

export type HintAction = { kind: 'backend'; backend: string; label: string } | { kind: 'micro-batch'; microBatch: number; label: string };

/** The buttons a failure hint offers: "Resume on <backend>" for each backend worth trying (not the one in use), and
 *  "Resume with micro-batch N". */
export function hintActions(hint: RunHint | undefined, currentBackend?: string): HintAction[] {
  if (!hint) return [];
  const out: HintAction[] = [];
  for (const b of new Set(hint.tryBackends ?? [])) if (b !== currentBackend) out.push({ kind: 'backend', backend: b, label: `Resume on ${b}` });
  const n = hint.tryMicroBatch;
  if (n !== undefined && Number.isInteger(n) && n >= 1) out.push({ kind: 'micro-batch', microBatch: n, label: `Resume with micro-batch ${n}` });
  return out;
}

export const WORKER_DIED_MESSAGE =
  "The lab's worker stopped — most likely it ran out of memory. The last checkpoint is kept: resume with a smaller micro-batch or another backend.";

const TRAINING_BACKENDS = ['webgpu', 'webgl', 'wasm'] as const;

/** Backends other than the one in use that this browser has (those BackendInfo does not list as unavailable). */
export function alternativeBackends(info: BackendInfo | null | undefined): string[] {
  if (!info) return [];
  const unavailable = new Set(info.reasons.filter((r) => !r.usable).map((r) => r.backend));
  return TRAINING_BACKENDS.filter((b) => b !== info.backend && !unavailable.has(b));
}

/** Half the micro-batch a training node ran with (its microBatchSize, else its batch size), or nothing at 1. */
export function smallerMicroBatch(node: NodeRecord | undefined): number | undefined {
  if (!node || node.stage === 'student') return undefined;
  const c = node.config as { microBatchSize?: unknown; batchSize?: unknown };
  const micro = typeof c.microBatchSize === 'number' && c.microBatchSize > 0 ? c.microBatchSize : undefined;
  const batch = typeof c.batchSize === 'number' && c.batchSize > 0 ? c.batchSize : defaultStageConfig(node.stage).batchSize;
  const now = Math.min(micro ?? batch, batch);
  return now > 1 ? Math.floor(now / 2) : undefined;
}

/** The outcome of a run whose worker died: failed, with the 'worker-died' hint. */
export function workerDiedOutcome(detail: string, node: NodeRecord | undefined, backend: BackendInfo | null | undefined): RunOutcome {
  const tryMicroBatch = smallerMicroBatch(node);
  const tryBackends = alternativeBackends(backend);
  return {
    status: 'failed',
    error: detail ? `${WORKER_DIED_MESSAGE} (${detail})` : WORKER_DIED_MESSAGE,
    hint: {
      kind: 'worker-died',
      message: WORKER_DIED_MESSAGE,
      ...(tryBackends.length ? { tryBackends } : {}),
      ...(tryMicroBatch ? { tryMicroBatch } : {}),
    },
  };
}

// ---- storage ----

/** What the browser answered to navigator.storage.persist() at boot (null: not asked / not supported). */
export function persistenceText(persistent: boolean | null): string | null {
  if (persistent === null) return null;
  return persistent ? 'persistent' : 'the browser may evict this data under storage pressure';
}

/** Nodes holding a resume checkpoint that can be dropped: stopped (cancelled / failed) after some steps, and not
 *  part of the run in progress. Oldest first. */
export function checkpointNodes(nodes: Record<string, NodeRecord>, activeIds: readonly string[] = []): string[] {
  const active = new Set(activeIds);
  return Object.values(nodes)
    .filter((n) => (n.status === 'cancelled' || n.status === 'failed') && (n.steps ?? 0) > 0 && !active.has(n.id))
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((n) => n.id);
}

/** Whether a batch of events changes what the lab stores: a record that is new, or whose status or steps changed
 *  (a checkpoint was written, the node finished, failed, …). */
export function storageTouched(before: Record<string, NodeRecord>, events: readonly LabEvent[]): boolean {
  return events.some((e) => {
    if (e.type !== 'record') return false;
    const prev = before[e.record.id];
    return !prev || prev.status !== e.record.status || prev.steps !== e.record.steps;
  });
}
