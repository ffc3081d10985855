// The lab's data contract: what the lab core (src/core/lab/labService.ts) returns to its adapters — the worker
// (workers/labWorker.ts, over comlink) and tests. Only plain data; weights and zips as transferable buffers.
import type { HistoryPoint as LossPoint, ValidationPoint } from './history';
import type { MetricScores } from '../experiment/evaluate';
import type { NodeRecord } from './nodeRecord';
import type { RunHint } from './runFailure';
import type { SqgDataReport } from '../data/sqgExampleStore';
import type { BaseModelSummary } from './inputs/baseModelInput';
import type { DatasetSummary } from './inputs/datasetInput';

export type { BaseModelSummary, DatasetSummary };

/** What the BERT-SQG rules make of the training items under some limits, and which tokenizer counted them. */
export interface DataReport extends SqgDataReport {
  tokenizer: string;
}

export interface Sample {
  id: string;
  reference: string;
  generated: string;
  context?: string;
  answer?: string;
}

/** The six metrics and avg_score (the engine's MetricScores). */
export type Scores = MetricScores;

/** A node's record plus what the node panel shows: its loss history and a few evaluated questions. */
export interface NodeDetail extends NodeRecord {
  loss: LossPoint[];
  /** the validation curve (held-out loss every N steps; empty for a node trained without held-out items) */
  validation?: ValidationPoint[];
  evalSamples: Sample[];
}


export interface DatasetError {
  /** JSON path of the offending value, e.g. `data[3].paragraphs[0].qas[2].answers[0].answer_start`. */
  path: string;
  reason: string;
  message: string;
}

export type LoadDatasetResult = { ok: true; dataset: DatasetSummary } | { ok: false; error: DatasetError };

export interface ModelFile {
  /** the file's name (or a path: only the last part counts) */
  name: string;
  /** the file's path inside the uploaded folder (File.webkitRelativePath): its first part names the model */
  relativePath?: string;
  bytes: ArrayBuffer;
}


export type LoadModelResult = { ok: true; model: BaseModelSummary } | { ok: false; error: string };

export interface LabSnapshot<B = unknown> {
  backend: B | null;
  dataset: DatasetSummary | null;
  baseModel: BaseModelSummary | null;
  nodes: NodeRecord[];
}

export interface StorageUsage {
  /** Bytes the lab stores in IndexedDB, per area (runs, lab, …). */
  labBytes: number;
  byArea: Record<string, number>;
  /** bytes stored per node id (model, checkpoints, history, evaluation) */
  byNode: Record<string, number>;
  /** navigator.storage.estimate(), when available. */
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

export interface ExportResult {
  fileName: string;
  zip: Uint8Array;
  files: { name: string; bytes: number }[];
}

export interface RunOutcome {
  status: 'done' | 'failed' | 'cancelled';
  error?: string;
  /** what the user can do about a failure (device lost, out of memory): resume on another backend or micro-batch */
  hint?: RunHint;
}


/** One node of a plan: its sizes, the micro-batch that fits, measured seconds per step and the projected time. */
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
  /** measured on the backend (undefined for the student cut, or when timing was not possible: see note) */
  secondsPerStep?: number;
  projectedMs?: number;
  /** measured peak tensor memory of one micro-batch at the data's longest row (the probe) */
  peakBytes?: number;
  note?: string;
}

/** What a recipe will cost before it runs (time, storage) and the knobs that cut it. */
export interface RunPlan {
  backend: string;
  stages: StagePlan[];
  totalMs?: number;
  storage: { bytes: number; perNode: Record<string, number>; usage?: number; quota?: number; fits?: boolean };
  data: DataReport;
  knobs: { name: string; effect: string }[];
}
