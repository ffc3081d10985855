// The typed API the lab worker exposes through comlink (workers/labWorker.ts) and the page calls
// (src/ui/state/labClient.ts). Only plain data crosses; weights and zips cross as transferable buffers.

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';
export type { BackendTiming } from './backendChoice';
import type { BackendTiming } from './backendChoice';

export interface BackendInfo {
  backend: BackendName;
  /** Why this backend is in use, in one line ("WebGPU adapter is SwiftShader (software)", the timings, "you chose it"). */
  why?: string;
  /** Every other backend that was not used, and why; `usable`: it works here (software GPU, or slower when timed). */
  reasons: { backend: BackendName; reason: string; usable?: boolean }[];
  /** Facts about the backend in use (e.g. the adapter, wasm threads). */
  notes: string[];
  /** WASM only: the threads it computes on (1: the single-threaded SIMD build; notes say why). */
  threads?: number;
  /** One small step timed on each backend that could be used, when more than one could (cached for the session). */
  timings?: BackendTiming[];
  initMs: number;
}

export type { StageKind as Stage } from '../src/core/experiment/recipe';
export type { NodeRecord, NodeStatus } from '../src/core/lab/nodeRecord';
export type { HistoryPoint as LossPoint } from '../src/core/lab/history';

export type { LabEvent } from '../src/core/experiment/events';
export type { EvaluationResult } from '../src/core/experiment/evaluate';
export type { Recipe, RecipeNode, RecipeDataOptions, RecipeEvalOptions } from '../src/core/experiment/recipe';

export type {
  DataReport,
  RunPlan,
  StagePlan,
  Sample,
  Scores,
  NodeDetail,
  DatasetError,
  LoadDatasetResult,
  ModelFile,
  BaseModelSummary,
  DatasetSummary,
  LoadModelResult,
  StorageUsage,
  ExportResult,
  RunOutcome,
} from '../src/core/lab/labContract';
export type { PlaygroundInput, PlaygroundDecode, PlaygroundResult, PlaygroundPrompt } from '../src/core/lab/playground';
export type { QgItem } from '../src/core/data/drcd';
import type { PlaygroundDecode, PlaygroundInput, PlaygroundResult } from '../src/core/lab/playground';
import type { QgItem } from '../src/core/data/drcd';
import type { SqgLimits, SqgPolicy } from '../src/core/data/sqgExamples';
import type { DataReport, RunPlan, LabSnapshot as CoreSnapshot, LoadDatasetResult, ModelFile, LoadModelResult, NodeDetail, ExportResult, StorageUsage, RunOutcome } from '../src/core/lab/labContract';

/** Everything persisted (dataset, base model summary, tree) plus the backend in use. */
export type LabSnapshot = CoreSnapshot<BackendInfo>;

import type { LabEvent } from '../src/core/experiment/events';
import type { Recipe } from '../src/core/experiment/recipe';
import type { NodeRecord } from '../src/core/lab/nodeRecord';

export interface LabApi {
  /** Selects the backend (see workers/backend.ts); `timings`: this session's earlier BackendInfo.timings, reused when
   *  they cover the same backends instead of timing again. */
  init(pref?: BackendChoice, timings?: BackendTiming[]): Promise<BackendInfo>;
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
  /** The BERT-SQG figures of the loaded dataset's training items under these limits (the Data screen). */
  dataReport(opts: { limits: SqgLimits; policy: SqgPolicy }): Promise<DataReport>;
  /** Times a few steps of each stage on the current backend and projects the run's time and storage. */
  planRun(recipe: Recipe, opts?: { timeSteps?: number }): Promise<RunPlan>;
  /** Drops the resume checkpoints (weights + optimizer state) of these nodes; returns the bytes freed. */
  clearTrainStates(ids: string[]): Promise<number>;
  /**
   * The playground: one question from a done node's model for a paragraph and its marked answer (evaluation's prompt
   * and beam search), its tokens and latency (each timed generation; the model's load apart, 0 when cached).
   */
  generateFor(nodeId: string, input: PlaygroundInput, decode?: PlaygroundDecode): Promise<PlaygroundResult>;
  /** The first `limit` test items of the loaded dataset (the sample's when none is loaded): the playground's "Use a test item". */
  playgroundItems(limit?: number): Promise<QgItem[]>;
}
