// The schema (current version + migrations) of every record the lab stores. Each is read through migrate() and
// written through stamp(); see recordSchema.ts. A change to a stored shape bumps the version here and appends a
// migration, so trees stored by an older lab keep opening, resuming and forking.
import type { EvaluationResult } from '../../experiment/evaluate';
import type { Recipe, StageKind } from '../../experiment/recipe';
import type { HistoryPoint, ValidationPoint } from '../history';
import type { BaseModelSummary } from '../inputs/baseModelInput';
import type { DatasetSummary } from '../inputs/datasetInput';
import type { NodeRecord } from '../nodeRecord';
import { stageOf } from '../stages/registry';
import { defineSchema } from './recordSchema';

export const RECIPE_SCHEMA = defineSchema<Recipe>({ name: 'recipe', version: 1, field: 'version', migrations: [] });

export const NODE_RECORD_SCHEMA = defineSchema<NodeRecord>({
  name: 'node record',
  version: 2,
  field: 'schemaVersion',
  migrations: [
    {
      to: 2,
      note: "v1 NodeState (runner) → v2 NodeRecord: finalLoss → lastLoss, label and createdAt added",
      up(r) {
        const { finalLoss, ...rest } = r as Record<string, unknown> & { finalLoss?: number };
        const stage = r.stage as StageKind;
        const config = (r.config ?? {}) as Record<string, unknown>;
        let label: string = stage;
        try {
          label = stageOf(stage).label(config);
        } catch {
          /* unknown stage: the reader reports it */
        }
        return {
          ...rest,
          config,
          label: typeof r.label === 'string' ? r.label : label,
          createdAt: typeof r.createdAt === 'number' ? r.createdAt : typeof r.startedAt === 'number' ? r.startedAt : 0,
          ...(typeof finalLoss === 'number' ? { lastLoss: finalLoss } : {}),
        };
      },
    },
  ],
});

export const EVAL_SCHEMA = defineSchema<EvaluationResult & { schemaVersion?: number }>({
  name: 'evaluation',
  version: 3,
  field: 'schemaVersion',
  migrations: [
    {
      to: 2,
      note: "v1 results name no scoring settings: they were scored on raw references (normalize 'none') with prompts cut to a window around the answer (context 'answer-window'); how many were cut was not counted",
      up: (r) => ({ normalize: 'none', contextCut: { mode: 'answer-window' }, ...r }),
    },
    {
      to: 3,
      note: 'v2 results timed generation once (genTimeMs over all n questions): that one pass becomes a timing of one run',
      up: (r) => {
        const n = typeof r.n === 'number' ? r.n : 0;
        const ms = typeof r.genTimeMs === 'number' && n > 0 ? r.genTimeMs / n : NaN;
        return Number.isFinite(ms) ? { genTiming: { runs: [ms], median: ms, min: ms, max: ms, questions: n }, ...r } : r;
      },
    },
  ],
});

export interface StoredHistory {
  schemaVersion?: number;
  points: HistoryPoint[];
  /** the validation curve (v2; older histories have none) */
  validation: ValidationPoint[];
}
export const HISTORY_SCHEMA = defineSchema<StoredHistory>({
  name: 'loss history',
  version: 2,
  field: 'schemaVersion',
  migrations: [{ to: 2, note: 'v1 histories hold the training loss only: no validation points', up: (r) => ({ validation: [], ...r }) }],
});

export const DATASET_SUMMARY_SCHEMA = defineSchema<DatasetSummary>({
  name: 'dataset summary',
  version: 1,
  field: 'schemaVersion',
  migrations: [],
});
export const BASE_SUMMARY_SCHEMA = defineSchema<BaseModelSummary>({
  name: 'base model summary',
  version: 1,
  field: 'schemaVersion',
  migrations: [],
});

/**
 * The index of a mid-stage checkpoint (train-state/state.json), written after everything it references.
 * Version 1: `tensors` names one file holding every array, `state` points into it with offsets.
 * Version 2: `tensors` is the checkpoint's tag; `arrays` lists each array's chunk entries (≤ 64 MB, checksummed)
 * and `state` references arrays by index. Version-1 checkpoints stay readable (they have no `arrays`).
 */
export interface TrainStateIndex {
  schemaVersion?: number;
  tensors: string;
  savedAt: number;
  state: unknown;
  arrays?: { kind: 'Float32Array' | 'Int32Array' | 'Uint8Array' | 'Float64Array'; length: number; parts: { key: string; bytes: number; fnv: number }[] }[];
}
export const TRAIN_STATE_INDEX_SCHEMA = defineSchema<TrainStateIndex>({
  name: 'train-state index',
  version: 2,
  field: 'schemaVersion',
  migrations: [{ to: 2, note: 'per-array chunk entries instead of one tensors file (v1 files keep their offsets and are read as they are)', up: (r) => r }],
});
