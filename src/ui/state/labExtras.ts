// The lab-core calls for a full-size study that the UI uses beside workers/labApi.ts's LabApi: the Data screen's
// figures (dataReport), the plan before a long run (planRun) and dropping resume checkpoints (clearTrainStates).
// Their shapes follow the lab contract; they are declared here so the UI builds whether or not the worker already
// has them (a worker without them rejects the call, and the screens say the figure is not available).
import type * as Comlink from 'comlink';
import type { LabApi } from '../../../workers/labApi';
import type { LabDeps } from './slices/types';

export type SkipKind = 'answer-too-long' | 'question-too-long' | 'context-too-long' | 'empty-answer' | 'empty-question';
export const SKIP_KINDS: readonly SkipKind[] = ['answer-too-long', 'question-too-long', 'context-too-long', 'empty-answer', 'empty-question'];

export interface DataLimits {
  maxSeqLen: number;
  maxAnswerLen: number;
  maxQuestionLen: number;
}
export type DataPolicy = 'skip' | 'window';

/** What training would make of the dataset under some limits and policy (the core's SqgDataReport + tokenizer). */
export interface DataReport {
  limits: DataLimits;
  policy: DataPolicy;
  items: number;
  kept: number;
  skipped: { total: number; byReason: Record<SkipKind, number> };
  windowed: { total: number; byReason: { 'context-too-long': number } };
  /** BERT-SQG examples (n + 1 per kept item of n question tokens) */
  examples: number;
  /** which tokenizer counted, e.g. "bert-base-chinese's vocabulary" */
  tokenizer: string;
}

export interface StagePlan {
  nodeId: string;
  stage: 'teacher' | 'student' | 'distill' | 'selftrain';
  label: string;
  examples: number;
  batchSize: number;
  microBatchSize: number;
  stepsPerEpoch: number;
  epochs: number;
  totalSteps: number;
  /** measured (undefined for the student cut, or when timing failed: see note) */
  secondsPerStep?: number;
  /** totalSteps × secondsPerStep */
  projectedMs?: number;
  /** measured peak tensor memory of a step */
  peakBytes?: number;
  note?: string;
}

export interface RunPlan {
  backend: string;
  stages: StagePlan[];
  totalMs?: number;
  storage: { bytes: number; perNode: Record<string, number>; usage?: number; quota?: number; fits?: boolean };
  data: DataReport;
  knobs: { name: string; effect: string }[];
}

/** The additions to LabApi (exact names of the contract). */
export interface LabExtras {
  dataReport(opts: { limits: DataLimits; policy: DataPolicy }): Promise<DataReport>;
  /** times a few steps of each stage on the current backend */
  planRun(recipe: Parameters<LabApi['runRecipe']>[0], opts?: { timeSteps?: number }): Promise<RunPlan>;
  /** drops resume checkpoints (optimizer state); returns bytes freed */
  clearTrainStates(ids: string[]): Promise<number>;
}

/** The worker handle with the additions (a comlink proxy answers any name: a worker without them rejects the call). */
export function labWithExtras(deps: LabDeps): Comlink.Remote<LabApi & LabExtras> {
  return deps.lab() as unknown as Comlink.Remote<LabApi & LabExtras>;
}

/** An error from a worker that lacks the call (comlink: "… is not a function"), said plainly. */
export function missingCallText(call: keyof LabExtras, e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return /is not a function|undefined/i.test(text) ? `this build's lab worker has no ${call}() yet` : text;
}
