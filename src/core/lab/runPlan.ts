// A plan before a long run: for every training node of a recipe, how many examples and steps it has at its
// configured sizes, the micro-batch that fits the backend's memory (a short probe at the data's longest row), the
// measured seconds of a few real steps on the chosen backend, and the projected wall time; plus the storage the
// tree will take against the browser's quota, and the knobs that cut time (their effect computed, not guessed).
import type { QgItem } from '../data/drcd';
import { DEFAULT_SQG_LIMITS, type SqgLimits } from '../data/sqgExamples';
import type { SqgExampleSet } from '../data/sqgExampleSet';
import { prepareExampleSet, sqgItemLengths, sqgReportFromLengths, type CompactSqgExampleSet } from '../data/sqgExampleStore';
import { DEFAULT_VALIDATION_ITEMS, orderNodes, validateRecipe, type Recipe, type RecipeNode } from '../experiment/recipe';
import { defaultHeldOutCount, holdOutItems } from '../data/heldOut';
import { studentFromTeacher } from '../experiment/studentFromTeacher';
import { stageConfigOf, type TrainingStage } from '../experiment/trainingOptions';
import type { BertConfig } from '../model/bertConfig';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import { countParameters } from '../model/parameterCount';
import type { StateTensor } from '../model/stateDict';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import { probeMicroBatch } from '../training/microBatchProbe';
import type { StageConfig } from '../training/stageConfig';
import { trainStage } from '../training/trainStage';
import type { DataReport, RunPlan, StagePlan } from './labContract';
import { teacherOf } from './stages/distillStage';
import { stageOf } from './stages/registry';
import type { StudentNodeConfig } from './stages/studentStage';
import { initTeacherModel, type TeacherNodeConfig } from './stages/teacherStage';

export interface PlanOptions {
  recipe: Recipe;
  train: readonly QgItem[];
  tokenizer: BertTokenizer;
  tokenizerHow: string;
  base?: { config: BertConfig; stateDict: Map<string, StateTensor> };
  backend: string;
  /** real optimizer steps timed per training node (the first includes kernel compilation; default 2) */
  timeSteps?: number;
  /** navigator.storage.estimate() */
  storage?: { usage?: number; quota?: number };
  /** ids of nodes already done (their models are stored: they add nothing) */
  done?: ReadonlySet<string>;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

const fmtDuration = (ms: number): string => {
  const m = Math.round(ms / 60000);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : m >= 1 ? `${m} min` : `${Math.round(ms / 1000)} s`;
};

/** A seeded sample of `n` example indices below `limit` (rows of a timed step look like the run's). */
function sampleSet(set: SqgExampleSet, limit: number, n: number): SqgExampleSet {
  let x = 0x9e3779b9;
  const idx = Array.from({ length: Math.min(n, limit) }, () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x297a2d39) >>> 0;
    return x % limit;
  });
  return { size: idx.length, example: (i) => set.example(idx[i]!) };
}

/** The longest input of the set (an item's last example is its longest). */
function longestRow(set: CompactSqgExampleSet): number {
  let max = 0;
  for (let k = 0; k < set.itemCount; k++) {
    const [, end] = set.examplesOfItem(k);
    max = Math.max(max, set.example(end - 1).inputIds.length);
  }
  return max;
}

export async function planRun(o: PlanOptions): Promise<RunPlan> {
  const recipe = validateRecipe(o.recipe);
  const { policy = 'skip', maxTrainItems, validationItems, ...limitOverrides } = recipe.data ?? {};
  const limits: SqgLimits = { ...DEFAULT_SQG_LIMITS, ...limitOverrides };
  // the items the runner trains on: the validation hold-out first taken out (holdOutItems, the runner's draw), then
  // the first maxTrainItems. (A tree trained before the hold-out existed keeps training on every item when
  // data.validationItems is unset; the plan counts the default hold-out there, a few items too few.)
  const heldOut = validationItems ?? defaultHeldOutCount(o.train.length, DEFAULT_VALIDATION_ITEMS);
  const { train } = holdOutItems(o.train, heldOut);
  const items = maxTrainItems !== undefined ? train.slice(0, maxTrainItems) : train;
  const { set, report } = prepareExampleSet(o.tokenizer, items, limits, policy);
  const data: DataReport = { ...report, tokenizer: o.tokenizerHow };
  const seqLen = set.size > 0 ? longestRow(set) : limits.maxSeqLen;
  const byId = new Map(recipe.nodes.map((n) => [n.id, n] as const));
  const timeSteps = Math.max(1, o.timeSteps ?? 2);

  const models = new Map<string, BertForMaskedLM>();
  const stages: StagePlan[] = [];
  const perNode: Record<string, number> = {};
  let trainStateMax = 0;
  try {
    for (const n of orderNodes(recipe)) {
      if (o.signal?.aborted) throw new Error('cancelled');
      const model = await modelFor(n, byId, models, o, limits);
      const params = countParameters(model.config);
      const modelBytes = params * 4;
      if (!o.done?.has(n.id)) perNode[n.id] = modelBytes;
      const def = stageOf(n.stage);
      const base: StagePlan = {
        nodeId: n.id, stage: n.stage, label: def.label(n.config as Record<string, unknown>),
        examples: 0, batchSize: 0, microBatchSize: 0, stepsPerEpoch: 0, epochs: 0, totalSteps: 0,
      };
      if (!def.trains) {
        stages.push({ ...base, note: 'no training: the model is cut from its parent' });
        continue;
      }
      const kind = n.stage as TrainingStage;
      const cfg = stageConfigOf(kind, n.config);
      const examples = Math.floor(set.size * cfg.trainFraction);
      const stepsPerEpoch = Math.ceil(examples / cfg.batchSize);
      const plan: StagePlan = {
        ...base, examples, batchSize: cfg.batchSize, microBatchSize: cfg.microBatchSize || cfg.batchSize,
        stepsPerEpoch, epochs: cfg.epochs, totalSteps: stepsPerEpoch * cfg.epochs,
      };
      if (!o.done?.has(n.id)) trainStateMax = Math.max(trainStateMax, params * 4 * 3);
      if (examples === 0) {
        stages.push({ ...plan, note: 'no training examples under these limits' });
        continue;
      }
      const teacher = kind === 'distill' ? models.get(teacherOf(n, byId)!) : undefined;
      o.onProgress?.(`${n.id}: probing memory at sequence ${seqLen}, micro-batch ${plan.microBatchSize}`);
      const probe = await probeMicroBatch({
        kind, student: model, teacher, config: cfg, seqLen, backend: o.backend,
        candidates: [plan.microBatchSize, 4, 2, 1].filter((m, i, a) => m <= plan.microBatchSize && a.indexOf(m) === i),
      });
      if (probe.microBatch === null) {
        stages.push({ ...plan, note: `out of memory even at micro-batch 1 at sequence ${seqLen}: lower maxSeqLen, turn on recomputeLayers, or use another backend` });
        continue;
      }
      const micro = probe.microBatch;
      const notes: string[] = [];
      if (micro < plan.microBatchSize) notes.push(`out of memory at micro-batch ${plan.microBatchSize}: timed at ${micro} (set microBatchSize ${micro})`);
      o.onProgress?.(`${n.id}: timing ${timeSteps} step${timeSteps > 1 ? 's' : ''}`);
      const seconds = await timeSteps_(kind, model, teacher, { ...cfg, microBatchSize: micro === cfg.batchSize ? 0 : micro }, sampleSet(set, examples, cfg.batchSize * timeSteps), o.signal);
      const secondsPerStep = seconds;
      stages.push({
        ...plan,
        microBatchSize: micro,
        secondsPerStep,
        projectedMs: secondsPerStep * 1000 * plan.totalSteps,
        ...(probe.peakBytes !== null ? { peakBytes: probe.peakBytes } : {}),
        ...(notes.length ? { note: notes.join('; ') } : {}),
      });
    }
  } finally {
    for (const m of new Set(models.values())) m.dispose();
  }

  const totalMs = stages.some((s) => s.projectedMs !== undefined) ? stages.reduce((a, s) => a + (s.projectedMs ?? 0), 0) : undefined;
  const bytes = Object.values(perNode).reduce((a, b) => a + b, 0) + trainStateMax;
  const free = o.storage?.quota !== undefined ? o.storage.quota - (o.storage.usage ?? 0) : undefined;
  const knobs: RunPlan['knobs'] = [];
  for (const s of stages) {
    if (s.projectedMs === undefined) continue;
    if (s.epochs > 1) knobs.push({ name: `${s.nodeId}: epochs 1 (now ${s.epochs})`, effect: `${s.nodeId} ≈ ${fmtDuration(s.projectedMs / s.epochs)} instead of ${fmtDuration(s.projectedMs)}` });
    const frac = stageConfigOf(s.stage as TrainingStage, byId.get(s.nodeId)!.config).trainFraction;
    if (frac > 0.5) knobs.push({ name: `${s.nodeId}: trainFraction 0.5 (now ${frac})`, effect: `${s.nodeId} ≈ ${fmtDuration((s.projectedMs * 0.5) / frac)}` });
  }
  if (limits.maxSeqLen > 256) {
    // token lengths only (no example building): what the knob would keep
    const shorter = sqgReportFromLengths(sqgItemLengths(o.tokenizer, items), { ...limits, maxSeqLen: 256 }, policy);
    knobs.push({
      name: `maxSeqLen 256 (now ${limits.maxSeqLen})`,
      effect: `${shorter.examples} examples from ${shorter.kept} items (now ${data.examples} from ${data.kept}), and shorter rows: each step costs less`,
    });
  }
  knobs.push({ name: 'micro-batch', effect: 'changes memory only: the same update, a little slower per step when smaller' });
  return {
    backend: o.backend,
    stages,
    ...(totalMs !== undefined ? { totalMs } : {}),
    storage: { bytes, perNode, ...o.storage, ...(free !== undefined ? { fits: bytes <= free } : {}) },
    data,
    knobs,
  };
}

async function modelFor(
  n: RecipeNode,
  byId: ReadonlyMap<string, RecipeNode>,
  models: Map<string, BertForMaskedLM>,
  o: PlanOptions,
  limits: SqgLimits,
): Promise<BertForMaskedLM> {
  let m: BertForMaskedLM;
  if (n.stage === 'teacher') m = initTeacherModel({ tokenizer: o.tokenizer, limits, base: o.base }, n.config as TeacherNodeConfig, 1);
  else if (n.stage === 'student') m = studentFromTeacher(models.get(n.parent!)!, n.config as StudentNodeConfig).student;
  else m = models.get(n.parent!)!.clone();
  models.set(n.id, m);
  return m;
}

/** Seconds per optimizer step: the mean of the steps after the first (which compiles kernels), or the first alone. */
async function timeSteps_(
  kind: TrainingStage,
  student: BertForMaskedLM,
  teacher: BertForMaskedLM | undefined,
  config: StageConfig,
  examples: SqgExampleSet,
  signal?: AbortSignal,
): Promise<number> {
  const at: number[] = [];
  const t0 = performance.now();
  await trainStage({
    kind, student, teacher, examples, signal,
    config: { ...config, epochs: 1, trainFraction: 1, checkpointEverySteps: 0, shuffle: false },
    onStep: () => void at.push(performance.now() - t0),
  });
  if (at.length === 0) return NaN;
  return (at.length > 1 ? (at[at.length - 1]! - at[0]!) / (at.length - 1) : at[0]!) / 1000;
}
