import { NAMED_LAYER_MAPS, type LayerMapSpec } from './layerMaps';
import { SCHEDULE_KINDS, type PhaseLength, type ScheduleKind } from './schedules';
import type { SoftForm } from './distillLosses';

/** Loss-term weights of a distillation stage. */
export interface DistillWeights {
  hard: number;
  soft: number;
  hidden: number;
  attn: number;
}

export interface DistillConfig {
  weights: DistillWeights;
  softForm: SoftForm;
  temperature: number;
  layerMap: LayerMapSpec;
  schedule: ScheduleKind;
  phaseLength: PhaseLength;
}

/** Hyperparameters of one training stage (teacher fine-tuning, distillation or student self-training). */
export interface StageConfig {
  epochs: number;
  batchSize: number;
  /**
   * Gradient accumulation: the batch of `batchSize` rows is run as micro-batches of this many rows (the last may be
   * short), their gradients summed, then clipped and applied once, as one step of the full batch (0: one micro-batch
   * = the batch). Each micro-batch's loss is weighted by its share of the batch's rows (see stepGradients.ts).
   */
  microBatchSize: number;
  learningRate: number;
  /** fraction of total steps spent in linear warmup (HF ceil(total * ratio)) */
  warmupRatio: number;
  weightDecay: number;
  /** global-norm clipping; 0 disables */
  maxGradNorm: number;
  hiddenDropout: number;
  attentionDropout: number;
  /** train on the first floor(n * trainFraction) examples (the study's --data_rate) */
  trainFraction: number;
  seed: number;
  shuffle: boolean;
  /** extra checkpoints every N optimizer steps (0: only at epoch ends) */
  checkpointEverySteps: number;
  /**
   * Extra checkpoints by wall time: one after a step once this many minutes of training passed since the last
   * checkpoint, and never sooner than 20 times the last checkpoint's own duration (so saving costs at most ~5 % of
   * the time: a 45 s bert-base checkpoint comes at most every 15 min). A reload or a closed tab then loses at most
   * that much work; a cancel always saves. 0: only epoch ends (and checkpointEverySteps).
   */
  checkpointEveryMinutes: number;
  /**
   * Gradient checkpointing: re-run each encoder layer in the backward pass instead of keeping its activations
   * (same numbers; measured on WASM: bert-base batch 8 peak heap 4.1 -> 1.6 GB, a mini model's step ~20% slower).
   * For big models or long sequences on a memory-bound backend (WASM's heap is 4 GB, a GPU's memory is what it is).
   */
  recomputeLayers: boolean;
  distill: DistillConfig;
}

export type StageKind = 'teacher' | 'distill' | 'selftrain';
export const STAGE_KINDS: readonly StageKind[] = ['teacher', 'distill', 'selftrain'];

/**
 * The study's defaults (SQG_train.py / distil.py and the runs in cmd.txt):
 * - `--learning_rate 5e-5 --num_train_epochs 5 --per_gpu_train_batch_size 8`, AdamW eps 1e-8,
 *   `--weight_decay` 0.0, `--warmup_steps` 0, `--max_grad_norm` 1.0, `--seed` 42, RandomSampler (shuffled).
 * - distill: `--data_rate 0.5` and `--dropout 0.3` (stu_config.hidden_dropout_prob / attention_probs_dropout_prob);
 *   selftrain: `--data_rate 1 --dropout 0.3`; the teacher keeps BERT's 0.1 and the whole set.
 * - distil.py's loss is `loss = outputs.loss + soft_cross_entropy(outputs.logits, tea_outputs.logits)`
 *   (+ the layer MSEs only with --all_distil), every weight 1, soft CE over all positions at T = 1: softForm
 *   'study'. The lab's default schedule is 'all' (--all_distil on: every mapped layer pair and the logits at once),
 *   the study's best recipe; 'logits-only' is argparse's default and the Hinton baseline. layerMap 'study' is the
 *   12 -> 6 map they use.
 */
export function defaultStageConfig(kind: StageKind): StageConfig {
  const dropout = kind === 'teacher' ? 0.1 : 0.3;
  return {
    epochs: 5,
    batchSize: 8,
    microBatchSize: 0,
    learningRate: 5e-5,
    warmupRatio: 0,
    weightDecay: 0,
    maxGradNorm: 1,
    hiddenDropout: dropout,
    attentionDropout: dropout,
    trainFraction: kind === 'distill' ? 0.5 : 1,
    seed: 42,
    shuffle: true,
    checkpointEverySteps: 0,
    checkpointEveryMinutes: 2,
    recomputeLayers: false,
    distill: {
      weights: { hard: 1, soft: 1, hidden: 1, attn: 1 },
      softForm: 'study',
      temperature: 1,
      layerMap: 'study',
      schedule: 'all',
      phaseLength: { epochs: 1 },
    },
  };
}

export class StageConfigError extends Error {
  override name = 'StageConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid stage config:\n- ${problems.join('\n- ')}`);
  }
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };
export type StageConfigInput = DeepPartial<StageConfig>;

/**
 * Fill defaults for `kind` and validate. Throws StageConfigError listing every problem (by field path).
 * Unknown keys are errors so that typos in recipes do not silently fall back to defaults.
 */
export function resolveStageConfig(kind: StageKind, input: unknown = {}): StageConfig {
  const problems: string[] = [];
  if (!STAGE_KINDS.includes(kind)) throw new StageConfigError([`stage kind must be one of ${STAGE_KINDS.join(', ')}, got '${kind}'`]);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new StageConfigError([`config must be an object, got ${JSON.stringify(input)}`]);
  }
  const def = defaultStageConfig(kind);
  const raw = input as Record<string, unknown>;
  unknownKeys(raw, Object.keys(def), '', problems);
  const rawDistill = (raw.distill ?? {}) as Record<string, unknown>;
  if (raw.distill !== undefined && (typeof raw.distill !== 'object' || raw.distill === null || Array.isArray(raw.distill))) {
    problems.push('distill must be an object');
  } else {
    unknownKeys(rawDistill, Object.keys(def.distill), 'distill.', problems);
  }
  const rawWeights = (rawDistill.weights ?? {}) as Record<string, unknown>;
  if (typeof rawWeights === 'object' && rawWeights !== null) unknownKeys(rawWeights, Object.keys(def.distill.weights), 'distill.weights.', problems);

  const cfg: StageConfig = {
    ...def,
    ...(raw as Partial<StageConfig>),
    distill: {
      ...def.distill,
      ...(rawDistill as Partial<DistillConfig>),
      weights: { ...def.distill.weights, ...(rawWeights as Partial<DistillWeights>) },
      phaseLength: (rawDistill.phaseLength as PhaseLength | undefined) ?? def.distill.phaseLength,
    },
  };
  problems.push(...stageConfigProblems(kind, cfg));
  if (problems.length > 0) throw new StageConfigError(problems);
  return cfg;
}

/** Every problem of a complete config, as readable lines naming the field. */
export function stageConfigProblems(kind: StageKind, c: StageConfig): string[] {
  const p: string[] = [];
  const num = (path: string, v: unknown, ok: (x: number) => boolean, want: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) p.push(`${path} must be ${want}, got ${JSON.stringify(v)}`);
  };
  num('epochs', c.epochs, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  num('batchSize', c.batchSize, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  num('microBatchSize', c.microBatchSize, (x) => Number.isInteger(x) && x >= 0 && (!(c.batchSize >= 1) || x <= c.batchSize),
    `an integer in [0, batchSize = ${c.batchSize}] (0: the whole batch at once)`);
  num('learningRate', c.learningRate, (x) => x > 0, 'a number > 0');
  num('warmupRatio', c.warmupRatio, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
  num('weightDecay', c.weightDecay, (x) => x >= 0, 'a number >= 0');
  num('maxGradNorm', c.maxGradNorm, (x) => x >= 0, 'a number >= 0 (0 disables clipping)');
  num('hiddenDropout', c.hiddenDropout, (x) => x >= 0 && x < 1, 'a probability in [0, 1)');
  num('attentionDropout', c.attentionDropout, (x) => x >= 0 && x < 1, 'a probability in [0, 1)');
  num('trainFraction', c.trainFraction, (x) => x > 0 && x <= 1, 'a fraction in (0, 1]');
  num('seed', c.seed, (x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff, 'an unsigned 32-bit integer');
  num('checkpointEverySteps', c.checkpointEverySteps, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer');
  num('checkpointEveryMinutes', c.checkpointEveryMinutes, (x) => x >= 0, 'a number >= 0 (0: only epoch ends)');
  if (typeof c.shuffle !== 'boolean') p.push(`shuffle must be true or false, got ${JSON.stringify(c.shuffle)}`);
  if (typeof c.recomputeLayers !== 'boolean') p.push(`recomputeLayers must be true or false, got ${JSON.stringify(c.recomputeLayers)}`);

  const d = c.distill;
  for (const k of ['hard', 'soft', 'hidden', 'attn'] as const) {
    num(`distill.weights.${k}`, d.weights[k], (x) => x >= 0, 'a number >= 0');
  }
  if (d.softForm !== 'mask' && d.softForm !== 'study') p.push(`distill.softForm must be 'mask' or 'study', got ${JSON.stringify(d.softForm)}`);
  num('distill.temperature', d.temperature, (x) => x > 0, 'a number > 0');
  if (d.softForm === 'study' && d.temperature !== 1) {
    p.push(`distill.temperature must be 1 with softForm 'study' (distil.py's soft_cross_entropy has no temperature), got ${d.temperature}; use softForm 'mask' for a temperature`);
  }
  const lm = d.layerMap;
  const lmOk =
    (typeof lm === 'string' && (NAMED_LAYER_MAPS as readonly string[]).includes(lm)) ||
    (typeof lm === 'object' && lm !== null && !Array.isArray(lm));
  if (!lmOk) p.push(`distill.layerMap must be one of ${NAMED_LAYER_MAPS.join(', ')} or { hidden?: [s, t][], attn?: [s, t][] }, got ${JSON.stringify(lm)}`);
  if (!SCHEDULE_KINDS.includes(d.schedule)) p.push(`distill.schedule must be one of ${SCHEDULE_KINDS.join(', ')}, got ${JSON.stringify(d.schedule)}`);
  const pl = d.phaseLength as PhaseLength | undefined;
  if (pl === null || typeof pl !== 'object') {
    p.push('distill.phaseLength must be { epochs } or { steps }');
  } else {
    const hasE = pl.epochs !== undefined;
    const hasS = pl.steps !== undefined;
    if (hasE === hasS) p.push('distill.phaseLength needs exactly one of { epochs } or { steps }');
    if (hasE) num('distill.phaseLength.epochs', pl.epochs, (x) => x > 0, 'a number > 0');
    if (hasS) num('distill.phaseLength.steps', pl.steps, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  }
  if (kind === 'distill') {
    const w = d.weights;
    const layerWeight = w.hidden > 0 || w.attn > 0;
    const logitWeight = w.hard > 0 || w.soft > 0;
    if (d.schedule === 'logits-only' && !logitWeight) p.push("distill.schedule 'logits-only' needs weights.hard or weights.soft > 0");
    if (d.schedule === 'all' && !logitWeight && !layerWeight) p.push('distill.weights are all 0: nothing to train');
    if ((d.schedule === 'progressive' || d.schedule === 'layerwise') && !layerWeight) {
      p.push(`distill.schedule '${d.schedule}' needs weights.hidden or weights.attn > 0`);
    }
    if (d.schedule === 'layerwise' && !logitWeight) p.push("distill.schedule 'layerwise' ends with the logit terms: needs weights.hard or weights.soft > 0");
  }
  return p;
}

function unknownKeys(obj: Record<string, unknown>, known: string[], prefix: string, problems: string[]): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) problems.push(`unknown field ${prefix}${k} (known: ${known.join(', ')})`);
  }
}
