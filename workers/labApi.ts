// The typed API the lab worker exposes through comlink (workers/labWorker.ts) and the page calls
// (src/ui/state/labClient.ts). Only plain data crosses; weights and zips cross as transferable buffers.

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

export interface BackendInfo {
  backend: BackendName;
  /** Every faster backend that was not used, and why. */
  reasons: { backend: BackendName; reason: string }[];
  /** Facts about the backend in use (e.g. a software WebGPU adapter, wasm threads). */
  notes: string[];
  initMs: number;
}

export type { StageKind as Stage } from '../src/core/experiment/recipe';
export type { NodeRecord, NodeStatus } from '../src/core/lab/nodeRecord';
export type { HistoryPoint as LossPoint } from '../src/core/lab/history';

export type { LabEvent } from '../src/core/experiment/events';
export type { EvaluationResult } from '../src/core/experiment/evaluate';
export type { Recipe, RecipeNode, RecipeDataOptions, RecipeEvalOptions } from '../src/core/experiment/recipe';

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
  evalSamples: Sample[];
}

export interface DatasetSummary {
  name: string;
  isSample: boolean;
  bytes: number;
  stats: Record<string, unknown>;
  trainItems: number;
  testItems: number;
  examples: { context: string; answer: string; question: string }[];
  loadedAt: number;
}

export interface DatasetError {
  /** JSON path of the offending value, e.g. `data[3].paragraphs[0].qas[2].answers[0].answer_start`. */
  path: string;
  reason: string;
  message: string;
}

export type LoadDatasetResult = { ok: true; dataset: DatasetSummary } | { ok: false; error: DatasetError };

export interface ModelFile {
  name: string;
  bytes: ArrayBuffer;
}

export interface BaseModelSummary {
  name: string;
  files: string[];
  config: Record<string, unknown>;
  layers: number;
  hiddenSize: number;
  heads: number;
  vocabSize: number;
  parameters: number;
  bytes: number;
  loadedAt: number;
}

export type LoadModelResult = { ok: true; model: BaseModelSummary } | { ok: false; error: string };

export interface LabSnapshot {
  backend: BackendInfo | null;
  dataset: DatasetSummary | null;
  baseModel: BaseModelSummary | null;
  nodes: NodeRecord[];
}

export interface StorageUsage {
  /** Bytes the lab stores in IndexedDB, per area (runs, lab, …). */
  labBytes: number;
  byArea: Record<string, number>;
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
}

import type { LabEvent } from '../src/core/experiment/events';
import type { Recipe } from '../src/core/experiment/recipe';
import type { MetricScores } from '../src/core/experiment/evaluate';
import type { NodeRecord } from '../src/core/lab/nodeRecord';
import type { HistoryPoint as LossPoint } from '../src/core/lab/history';

export interface LabApi {
  init(pref?: BackendChoice): Promise<BackendInfo>;
  /** Everything persisted (dataset, base model summary, tree) — used after a reload. */
  snapshot(): Promise<LabSnapshot>;
  loadDataset(bytes: ArrayBuffer, name: string): Promise<LoadDatasetResult>;
  loadSampleDataset(): Promise<LoadDatasetResult>;
  loadBaseModel(files: ModelFile[]): Promise<LoadModelResult>;
  clearBaseModel(): Promise<void>;
  /**
   * Runs a recipe; events arrive in small batches (the only batching: the UI applies each batch as it comes)
   * through the comlink.proxy callback. A 'record' event carries a node's whole NodeRecord each time the runner
   * writes it. Running a recipe whose nodes exist continues them: done nodes are kept, an interrupted one resumes
   * from its last checkpoint.
   */
  runRecipe(recipe: Recipe, onEvents: (events: LabEvent[]) => void): Promise<RunOutcome>;
  cancel(): Promise<void>;
  /** Every node record of the tree (derived from the run storage), oldest first. */
  listNodes(): Promise<NodeRecord[]>;
  getNode(id: string): Promise<NodeDetail | undefined>;
  /** A Hugging Face folder (config.json, model.safetensors, vocab.txt, …) as a zip, transferred. */
  exportNode(id: string): Promise<ExportResult>;
  /** Deletes the node, its descendants and their checkpoints. */
  deleteBranch(id: string): Promise<string[]>;
  storageUsage(): Promise<StorageUsage>;
}
