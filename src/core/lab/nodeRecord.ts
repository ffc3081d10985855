// NodeRecord: the one record of a branch-tree node. The runner writes it to `nodes/<id>/state.json` of the run
// storage; the worker's tree, the command line's summary and the UI all read this record (through the node index),
// and no other copy is kept. Stored records carry `schemaVersion`; older ones are upgraded on read
// (src/core/lab/records/migrations.ts).
import type { ContextCutReport, PredictionContextMode } from '../data/sqgExamples';
import type { GenTiming, MetricScores } from '../experiment/evaluate';
import type { ScoreNormalization } from '../metrics/normalize';
import type { RecipeDataOptions, RecipeEvalOptions, StageKind } from '../experiment/recipe';

export type NodeStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';
export const NODE_STATUSES: readonly NodeStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled', 'skipped'];

/** Statuses from which running the same recipe again continues the node (from its last checkpoint if it has one). */
export const RESUMABLE_STATUSES: readonly NodeStatus[] = ['cancelled', 'failed', 'queued', 'running'];

export interface NodeModelFacts {
  layers: number;
  hiddenSize: number;
  parameters: number;
  /** the model's vocabulary size (absent in records written before it was kept) */
  vocabSize?: number;
}

export interface NodeRecord {
  schemaVersion: number;
  id: string;
  stage: StageKind;
  parent: string | null;
  /** the node's recipe config as written (defaults not filled in) */
  config: Record<string, unknown>;
  /** the config with every default filled in, when the node ran (staleness compares these, not raw configs) */
  resolved?: unknown;
  /** the recipe's data / eval options the node ran with (a fork reuses them) */
  data?: RecipeDataOptions;
  eval?: RecipeEvalOptions;
  /** a short readable name (the stage registry's label of the config) */
  label: string;
  runName?: string;
  /** epoch ms when the node was first registered */
  createdAt: number;
  /** fingerprint of the run's data options, vocabulary and training items when the node ran */
  inputs?: string;
  status: NodeStatus;
  error?: string;
  startedAt?: number;
  finishedAt?: number;
  /** training wall time across all attempts, ms */
  trainMs?: number;
  steps?: number;
  totalSteps?: number;
  lastLoss?: number;
  /** student nodes (and their descendants): layerOrigin[i] = teacher layer that student layer i came from */
  layerOrigin?: number[];
  /** id of the teacher a distill node learned from (a student: the model it was cut from) */
  teacher?: string;
  /** number of times the node continued from a train-state checkpoint */
  resumes?: number;
  /** the TF.js backend of its last attempt */
  backend?: string;
  model?: NodeModelFacts;
  /** its evaluation on the test split (the full result is in eval.json) */
  scores?: MetricScores;
  genTotalMs?: number;
  /** ms per question: the timing runs' median (records evaluated before the runs: the one pass's) */
  genMsPerQuestion?: number;
  /** the timing runs of the evaluation (absent in records evaluated before them: genMsPerQuestion is one pass) */
  genTiming?: GenTiming;
  /** test questions the scores are over */
  evalCount?: number;
  /**
   * Training items held out of the run's training for the validation curve (data.validationItems as resolved);
   * absent in nodes trained before held-out validation existed (they trained on every training item)
   */
  heldOut?: number;
  /** the last point of the validation curve (the whole curve is in history.json) */
  validationLoss?: { step: number; loss: number; examples: number };
  /**
   * How the evaluation scored (eval.json has the same): the references' normalisation ('bert' / 'none') and how long
   * test contexts were cut for the prompts. Absent in records evaluated before these settings existed (their
   * evaluations used raw references and a window around the answer; eval.json reads as such).
   */
  evalSetup?: {
    normalize: ScoreNormalization;
    normalizedReferences?: number;
    contextCut: ContextCutReport | { mode: PredictionContextMode };
  };
  /**
   * Set when the node is done but today's defaults would resolve its config differently (it was made under older
   * defaults): the fields that differ. The node is kept, and the tree says so; delete it to train it again.
   */
  olderDefaults?: string[];
}
