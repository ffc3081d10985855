// A recipe is a tree of nodes: each node is one stage (teacher fine-tune, student cut, distill, self-train) whose
// parent supplies the model it starts from. validateRecipe checks the whole tree and reports every problem at once,
// each with the id of the node it concerns, so a user fixing a hand-written JSON file sees the full list in one go.
import { DEFAULT_SQG_LIMITS, type PredictionContextMode } from '../data/sqgExamples';
import type { ScoreNormalization } from '../metrics/normalize';
import { migrate } from '../lab/records/recordSchema';
import { RECIPE_SCHEMA } from '../lab/records/schemas';
import { isInt, isObj, unknownKeyProblems } from '../lab/stages/configChecks';
import { cycleAt } from '../lab/tree';
import { STAGE_REGISTRY, stageOf } from '../lab/stages/registry';

export type StageKind = 'teacher' | 'student' | 'distill' | 'selftrain';
export const STAGES = Object.keys(STAGE_REGISTRY) as readonly StageKind[];

export interface RecipeNode {
  id: string;
  parent: string | null;
  stage: StageKind;
  config: object;
}

export interface Recipe {
  version: 1;
  name?: string;
  nodes: RecipeNode[];
  /** How items become model inputs (default: the study's 512 / 15 / 42 and 'skip'). */
  data?: RecipeDataOptions;
  /** How every model-producing node is evaluated (default: beam 3 on every test item). */
  eval?: RecipeEvalOptions;
}

export interface RecipeDataOptions {
  maxSeqLen?: number;
  maxAnswerLen?: number;
  maxQuestionLen?: number;
  /** 'skip' (the study: drop items whose context does not fit) or 'window' (cut a window around the answer) */
  policy?: 'skip' | 'window';
  /** train on the first n training items only (quick runs, CI); every stage sees the same items */
  maxTrainItems?: number;
  /**
   * Training items held out of training for the validation curve (the datasets have no dev split, so they are drawn
   * from the training split by a seeded shuffle, before maxTrainItems; never from the test split). 0 = no held-out
   * set and no validation curve. Unset: 16, at most a tenth of the training items; a tree whose stored nodes were
   * trained before this option existed keeps 0 (holding items out would change its training data and retrain it).
   */
  validationItems?: number;
}

export interface RecipeEvalOptions {
  beamSize?: number;
  /**
   * evaluate the first n test items only; 0 = no evaluation (the node is done without scores: rehearsals and
   * timing runs of large models, where beam search over the test split would take hours)
   */
  limit?: number;
  batchSize?: number;
  /**
   * How many test items (the first ones, within `limit`) have their generated questions sent as 'samples' events:
   * after each node's evaluation (beam search) and, every `sampleEverySteps` steps, during its training (default 5;
   * 0 = no samples at all).
   */
  samples?: number;
  /**
   * While a node trains, every this many optimizer steps generate questions for the first `samples` test items
   * (greedy decoding, eval mode: no dropout) with the model being trained, and send them as a 'samples' event with
   * the current step (default 50; 0 = off). The last step is left out: the node's evaluation sends its own samples.
   */
  sampleEverySteps?: number;
  /**
   * How a test context longer than its budget (maxSeqLen − |answer| − maxQuestionLen − 4 tokens) is cut for the
   * prompt: 'head' keeps its first tokens (the study's DRCD prediction, which can cut the answer out), 'answer-window'
   * keeps a window centred on the answer. Unset: the reference teacher's stored evaluation's, else 'answer-window'
   * (what every evaluation before this option used).
   */
  context?: PredictionContextMode;
  /**
   * What the references are scored as: 'bert' puts them through the BERT tokenizer as the generated questions are
   * (lower-cased, accents stripped, characters outside the vocabulary dropped: the study scored tokenized
   * references), 'none' scores the raw text. Unset: the reference teacher's stored evaluation's, else 'bert'.
   */
  normalize?: ScoreNormalization;
  /**
   * While a node trains, every this many optimizer steps (and after its last step) the mean cross-entropy of the
   * held-out examples (data.validationItems) is computed, teacher-forced and without dropout. Unset: a tenth of the
   * stage's steps, max(1, round(totalSteps / 10)); 0 = after the last step only.
   */
  validationEverySteps?: number;
  /**
   * Also score greedy questions for the first n held-out items at each validation point (avg_score; default 0 =
   * loss only: decoding costs up to maxQuestionLen forward passes per question).
   */
  validationScore?: number;
  /**
   * Generation time: after the evaluation's pass over the test items, the first min(n, batchSize) questions are
   * generated this many more times and each run's ms per question is kept; the node shows their median, min and
   * max (default 3; the % of the teacher uses medians).
   */
  timingRepeats?: number;
}

/** Default of `data.validationItems`. */
export const DEFAULT_VALIDATION_ITEMS = 16;
/** Default of `eval.timingRepeats`. */
export const DEFAULT_TIMING_REPEATS = 3;
/** Steps between validation points when `eval.validationEverySteps` is unset. */
export function defaultValidationEvery(totalSteps: number): number {
  return Math.max(1, Math.round(totalSteps / 10));
}

/** Default of `eval.sampleEverySteps`. */
export const DEFAULT_SAMPLE_EVERY_STEPS = 50;
/** Default of `eval.samples`. */
export const DEFAULT_EVAL_SAMPLES = 5;

export class RecipeError extends Error {
  readonly problems: { nodeId: string | null; message: string }[];
  constructor(problems: { nodeId: string | null; message: string }[]) {
    super(
      `invalid recipe (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.nodeId === null ? 'recipe' : `node '${p.nodeId}'`}: ${p.message}`).join('\n'),
    );
    this.name = 'RecipeError';
    this.problems = problems;
  }
}

const RECIPE_KEYS = ['version', 'name', 'nodes', 'data', 'eval'] as const;
const NODE_KEYS = ['id', 'parent', 'stage', 'config'] as const;

/** Checks a recipe; returns it typed, or throws RecipeError listing every problem with its node id. */
export function validateRecipe(json: unknown): Recipe {
  const problems: { nodeId: string | null; message: string }[] = [];
  const add = (nodeId: string | null, message: string) => problems.push({ nodeId, message });

  if (!isObj(json)) throw new RecipeError([{ nodeId: null, message: 'a recipe must be a JSON object' }]);
  if (json.version === undefined) add(null, 'version is missing (this lab writes version 1)');
  else {
    try {
      json = migrate(RECIPE_SCHEMA, json) as unknown as Record<string, unknown>;
    } catch (e) {
      add(null, (e as Error).message);
    }
  }
  for (const m of unknownKeyProblems(json as Record<string, unknown>, RECIPE_KEYS, 'recipe')) add(null, m);
  if (!isObj(json)) throw new RecipeError(problems);
  if (json.name !== undefined && typeof json.name !== 'string') add(null, 'name must be a string');
  if (!Array.isArray(json.nodes)) {
    add(null, 'nodes must be an array');
    throw new RecipeError(problems);
  }
  if (json.nodes.length === 0) add(null, 'nodes is empty: a recipe needs at least one node');

  // Pass 1: shape of each node, ids.
  const byId = new Map<string, RecipeNode>();
  const nodes: RecipeNode[] = [];
  json.nodes.forEach((raw: unknown, i: number) => {
    const where = `nodes[${i}]`;
    if (!isObj(raw)) {
      add(null, `${where} is not an object`);
      return;
    }
    const id = raw.id;
    if (typeof id !== 'string' || id.trim() === '') {
      add(null, `${where} has no id (a non-empty string)`);
      return;
    }
    for (const m of unknownKeyProblems(raw, NODE_KEYS, 'node')) add(id, m);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) add(id, 'id may only contain letters, digits, ".", "_" and "-"');
    if (byId.has(id)) {
      add(id, `duplicate id (${where})`);
      return;
    }
    const stage = raw.stage;
    if (typeof stage !== 'string' || !STAGES.includes(stage as StageKind)) {
      add(id, `unknown stage ${JSON.stringify(stage)} (expected one of ${STAGES.join(', ')})`);
    }
    const parent = raw.parent === undefined ? null : raw.parent;
    if (parent !== null && typeof parent !== 'string') add(id, 'parent must be a node id or null');
    const config = raw.config === undefined ? {} : raw.config;
    if (!isObj(config)) add(id, 'config must be an object');
    const node: RecipeNode = {
      id,
      parent: typeof parent === 'string' ? parent : null,
      stage: stage as StageKind,
      config: isObj(config) ? config : {},
    };
    byId.set(id, node);
    nodes.push(node);
  });

  // Pass 2: parents exist, no cycles.
  const inCycle = new Set<string>();
  for (const n of nodes) {
    if (n.parent !== null && !byId.has(n.parent)) add(n.id, `unknown parent '${n.parent}'`);
    if (n.parent === n.id) add(n.id, 'is its own parent');
    else {
      const cyc = cycleAt(byId, n.id);
      if (cyc) {
        inCycle.add(n.id);
        add(n.id, `is part of a cycle (${[...cyc, n.id].join(' → ')})`);
      }
    }
  }

  // Pass 3: each stage's rules and config values (the stage registry's modules).
  for (const n of nodes) {
    if (!STAGES.includes(n.stage)) continue;
    const stage = stageOf(n.stage);
    if (!stage.root && n.parent === null) add(n.id, `a ${n.stage} node needs a parent that produces a model`);
    for (const m of stage.validate(n.config as Record<string, unknown>, { node: n, byId, inCycle: inCycle.has(n.id) })) add(n.id, m);
  }

  // Pass 4: the models a node needs (parent, teacher) must not need the node's own output.
  if (problems.length === 0) {
    try {
      orderNodes({ version: 1, nodes });
    } catch (e) {
      add((e as DependencyCycleError).nodeId ?? null, (e as Error).message);
    }
  }

  const data = checkOptions(json.data, 'data', DATA_OPTIONS, add);
  if (data) {
    // a test prompt is [CLS] context [SEP] answer [SEP] q1..qn [MASK]: the question's room and 4 special tokens, and
    // at least one answer token, must fit (else evaluation's prompts would outgrow the model's positions)
    const seq = isInt(data.maxSeqLen) ? data.maxSeqLen : DEFAULT_SQG_LIMITS.maxSeqLen;
    const q = isInt(data.maxQuestionLen) ? data.maxQuestionLen : DEFAULT_SQG_LIMITS.maxQuestionLen;
    if (seq < q + 5)
      add(null, `data.maxSeqLen ${seq} leaves no room for a prompt: it must be at least maxQuestionLen (${q}) + 5 (4 special tokens and one answer token)`);
  }
  const evalOpts = checkOptions(json.eval, 'eval', EVAL_OPTIONS, add);

  if (problems.length > 0) throw new RecipeError(problems);
  return {
    version: 1,
    ...(typeof json.name === 'string' ? { name: json.name } : {}),
    nodes,
    ...(data ? { data: data as RecipeDataOptions } : {}),
    ...(evalOpts ? { eval: evalOpts as RecipeEvalOptions } : {}),
  };
}

const posInt = (v: unknown) => isInt(v) && v >= 1;
const DATA_OPTIONS: Record<string, [(v: unknown) => boolean, string]> = {
  maxSeqLen: [(v) => isInt(v) && v >= 8, 'an integer >= 8'],
  maxAnswerLen: [posInt, 'a positive integer'],
  maxQuestionLen: [posInt, 'a positive integer'],
  policy: [(v) => v === 'skip' || v === 'window', "'skip' or 'window'"],
  maxTrainItems: [posInt, 'a positive integer'],
  validationItems: [(v) => isInt(v) && v >= 0, 'a non-negative integer (training items held out for the validation curve; 0 = none)'],
};
const EVAL_OPTIONS: Record<string, [(v: unknown) => boolean, string]> = {
  beamSize: [posInt, 'a positive integer'],
  limit: [(v) => isInt(v) && v >= 0, 'a non-negative integer (0 = no evaluation)'],
  batchSize: [posInt, 'a positive integer'],
  samples: [(v) => isInt(v) && v >= 0, 'a non-negative integer'],
  sampleEverySteps: [(v) => isInt(v) && v >= 0, 'a non-negative integer (optimizer steps between samples during training; 0 = off)'],
  context: [(v) => v === 'head' || v === 'answer-window', "'head' (the study's: a long context keeps its first tokens) or 'answer-window' (a window centred on the answer)"],
  normalize: [(v) => v === 'bert' || v === 'none', "'bert' (references through the tokenizer, as the generated questions are) or 'none' (raw text)"],
  validationEverySteps: [(v) => isInt(v) && v >= 0, 'a non-negative integer (optimizer steps between validation points; 0 = after the last step only)'],
  validationScore: [(v) => isInt(v) && v >= 0, 'a non-negative integer (held-out questions scored with greedy decoding; 0 = loss only)'],
  timingRepeats: [posInt, 'a positive integer (timed generation runs)'],
};

function checkOptions(
  v: unknown,
  name: string,
  spec: Record<string, [(v: unknown) => boolean, string]>,
  add: (nodeId: string | null, m: string) => void,
): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    add(null, `${name} must be an object`);
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const s = spec[k];
    if (!s) add(null, `${name}: unknown option '${k}' (known: ${Object.keys(spec).join(', ')})`);
    else if (!s[0](x)) add(null, `${name}.${k} must be ${s[1]} (got ${JSON.stringify(x)})`);
  }
  return v;
}

/** Parents before children, keeping the file order otherwise (a stable topological order). */
export function orderNodes(recipe: Pick<Recipe, 'nodes'> & Partial<Recipe>): RecipeNode[] {
  const byId = new Map(recipe.nodes.map((n) => [n.id, n] as const));
  const out: RecipeNode[] = [];
  const done = new Set<string>();
  const visit = (n: RecipeNode, stack: string[]) => {
    if (done.has(n.id)) return;
    if (stack.includes(n.id)) throw new DependencyCycleError(n.id, [...stack.slice(stack.indexOf(n.id)), n.id]);
    stack.push(n.id);
    // the models it needs first: its parent and, for distill, its teacher (when that teacher is not an ancestor)
    for (const d of stageOf(n.stage).dependencies(n, byId)) {
      const dn = byId.get(d);
      if (dn) visit(dn, stack);
    }
    stack.pop();
    done.add(n.id);
    out.push(n);
  };
  for (const n of recipe.nodes) visit(n, []);
  return out;
}

/** A node needs (through parents and teachers) a model that needs its own output. */
export class DependencyCycleError extends Error {
  override name = 'DependencyCycleError';
  constructor(
    readonly nodeId: string,
    readonly path: string[],
  ) {
    super(`the models these nodes need form a cycle: ${path.join(' → ')} (each needs the next as parent or teacher)`);
  }
}

/** Ids of the node and all its descendants. */
export function descendants(recipe: Recipe, id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of recipe.nodes)
      if (n.parent !== null && out.has(n.parent) && !out.has(n.id)) {
        out.add(n.id);
        grew = true;
      }
  }
  return out;
}
