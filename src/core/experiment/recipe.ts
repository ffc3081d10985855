// A recipe is a tree of nodes: each node is one stage (teacher fine-tune, student cut, distill, self-train) whose
// parent supplies the model it starts from. validateRecipe checks the whole tree and reports every problem at once,
// each with the id of the node it concerns, so a user fixing a hand-written JSON file sees the full list in one go.
import { checkTrainingConfig } from './trainingOptions';

export type StageKind = 'teacher' | 'student' | 'distill' | 'selftrain';
export const STAGES: readonly StageKind[] = ['teacher', 'student', 'distill', 'selftrain'];

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
}

export interface RecipeEvalOptions {
  beamSize?: number;
  /** evaluate the first n test items only */
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
}

/** Default of `eval.sampleEverySteps`. */
export const DEFAULT_SAMPLE_EVERY_STEPS = 50;
/** Default of `eval.samples`. */
export const DEFAULT_EVAL_SAMPLES = 5;

export type ModelPreset = 'tiny' | 'mini' | 'small';
export const PRESETS: readonly ModelPreset[] = ['tiny', 'mini', 'small'];

/** Teacher: where its weights start (a pretrained base folder, or a random preset), then ordinary training. */
export interface TeacherInit {
  preset: ModelPreset;
  /** Optional shape overrides on top of the preset (e.g. a deeper tiny model). */
  layers?: number;
  hidden?: number;
  heads?: number;
  intermediate?: number;
}
/** Plus the training module's StageConfig fields (epochs, learningRate, ...); its `seed` also seeds the init. */
export interface TeacherNodeConfig extends Record<string, unknown> {
  init: 'pretrained' | TeacherInit;
}

/** Poor Man's BERT layer-dropping strategies (Sajjad et al.). */
export type StudentStrategy = 'drop-top' | 'drop-bottom' | 'alternate' | 'keep';
export const STUDENT_STRATEGIES: readonly StudentStrategy[] = ['drop-top', 'drop-bottom', 'alternate', 'keep'];
export interface StudentNodeConfig {
  strategy: StudentStrategy;
  /** layers to drop (drop-top / drop-bottom / alternate) */
  k?: number;
  /** teacher layers to keep, 0-based, in order (strategy 'keep') */
  keep?: number[];
}

/** Distill: the training options plus which node is the (frozen) teacher; default = the node the student was cut from. */
export interface DistillNodeConfig extends Record<string, unknown> {
  teacher?: string;
}

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

const MODEL_STAGES: readonly StageKind[] = STAGES; // every stage produces a model

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Checks a recipe; returns it typed, or throws RecipeError listing every problem with its node id. */
export function validateRecipe(json: unknown): Recipe {
  const problems: { nodeId: string | null; message: string }[] = [];
  const add = (nodeId: string | null, message: string) => problems.push({ nodeId, message });

  if (!isObj(json)) throw new RecipeError([{ nodeId: null, message: 'a recipe must be a JSON object' }]);
  if (json.version !== 1) add(null, `version must be 1 (got ${JSON.stringify(json.version)})`);
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
  }
  for (const n of nodes) {
    const seen = new Set<string>([n.id]);
    let cur = n.parent !== null ? byId.get(n.parent) : undefined;
    while (cur) {
      if (seen.has(cur.id)) {
        if (cur.id === n.id && n.parent !== n.id) {
          inCycle.add(n.id);
          add(n.id, `is part of a cycle (${[...seen].join(' → ')} → ${n.id})`);
        }
        break;
      }
      seen.add(cur.id);
      cur = cur.parent !== null ? byId.get(cur.parent) : undefined;
    }
  }

  // Pass 3: stage rules and config values.
  const known = (s: StageKind) => STAGES.includes(s);
  for (const n of nodes) {
    if (!known(n.stage)) continue;
    const parent = n.parent !== null ? byId.get(n.parent) : undefined;
    const cfg = n.config as Record<string, unknown>;
    if (n.stage === 'teacher') {
      if (n.parent !== null) add(n.id, `a teacher node starts a tree: its parent must be null (got '${n.parent}')`);
    } else {
      if (n.parent === null) add(n.id, `a ${n.stage} node needs a parent that produces a model`);
      else if (parent && known(parent.stage) && !MODEL_STAGES.includes(parent.stage))
        add(n.id, `parent '${parent.id}' (${parent.stage}) does not produce a model`);
    }
    switch (n.stage) {
      case 'teacher':
        checkTeacherInit(cfg.init, (m) => add(n.id, m));
        for (const m of checkTrainingConfig('teacher', cfg)) add(n.id, m);
        break;
      case 'student':
        checkStudentConfig(cfg, (m) => add(n.id, m));
        break;
      case 'distill': {
        if (cfg.teacher !== undefined) {
          if (typeof cfg.teacher !== 'string') add(n.id, 'config.teacher must be a node id');
          else if (!byId.has(cfg.teacher)) add(n.id, `config.teacher: unknown node '${cfg.teacher}'`);
          else if (cfg.teacher === n.id) add(n.id, 'config.teacher cannot be the node itself');
          else if (!inCycle.has(n.id) && isAncestor(n.id, cfg.teacher, byId))
            add(n.id, `config.teacher '${cfg.teacher}' is a descendant of this node (it needs this node's output)`);
        } else if (!inCycle.has(n.id) && chainIsKnown(n, byId) && !teacherOf(n, byId)) {
          add(
            n.id,
            'distill needs a teacher: an ancestor student node cut from a model, or config.teacher naming a node',
          );
        }
        for (const m of checkTrainingConfig('distill', cfg)) add(n.id, m);
        break;
      }
      case 'selftrain':
        for (const m of checkTrainingConfig('selftrain', cfg)) add(n.id, m);
        break;
    }
  }

  const data = checkOptions(json.data, 'data', DATA_OPTIONS, add);
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
};
const EVAL_OPTIONS: Record<string, [(v: unknown) => boolean, string]> = {
  beamSize: [posInt, 'a positive integer'],
  limit: [posInt, 'a positive integer'],
  batchSize: [posInt, 'a positive integer'],
  samples: [(v) => isInt(v) && v >= 0, 'a non-negative integer'],
  sampleEverySteps: [(v) => isInt(v) && v >= 0, 'a non-negative integer (optimizer steps between samples during training; 0 = off)'],
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

/** Whether every ancestor of the node exists (no unknown parent on the way up). */
function chainIsKnown(n: RecipeNode, byId: Map<string, RecipeNode>): boolean {
  const seen = new Set<string>();
  let cur: RecipeNode | undefined = n;
  while (cur && cur.parent !== null && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = byId.get(cur.parent);
    if (!cur) return false;
  }
  return true;
}

/** Whether `anc` is a (strict) ancestor of `id`. */
function isAncestor(anc: string, id: string, byId: Map<string, RecipeNode>): boolean {
  const seen = new Set<string>();
  let cur = byId.get(id);
  while (cur && cur.parent !== null && !seen.has(cur.id)) {
    seen.add(cur.id);
    if (cur.parent === anc) return true;
    cur = byId.get(cur.parent);
  }
  return false;
}

function checkTeacherInit(init: unknown, add: (m: string) => void): void {
  if (init === 'pretrained') return;
  if (!isObj(init)) {
    add(`config.init must be 'pretrained' or {"preset": ${PRESETS.map((p) => `'${p}'`).join(' | ')}}`);
    return;
  }
  if (!PRESETS.includes(init.preset as ModelPreset))
    add(`config.init.preset must be one of ${PRESETS.join(', ')} (got ${JSON.stringify(init.preset)})`);
  for (const k of ['layers', 'hidden', 'heads', 'intermediate'] as const) {
    const v = init[k];
    if (v !== undefined && !(isInt(v) && v >= 1)) add(`config.init.${k} must be a positive integer`);
  }
  const allowed = new Set(['preset', 'layers', 'hidden', 'heads', 'intermediate']);
  for (const k of Object.keys(init)) if (!allowed.has(k)) add(`config.init: unknown option '${k}'`);
  if (isInt(init.hidden) && isInt(init.heads) && init.hidden % init.heads !== 0)
    add(`config.init.hidden (${init.hidden}) must be a multiple of heads (${init.heads})`);
}

function checkStudentConfig(cfg: Record<string, unknown>, add: (m: string) => void): void {
  const s = cfg.strategy;
  if (!STUDENT_STRATEGIES.includes(s as StudentStrategy)) {
    add(`config.strategy must be one of ${STUDENT_STRATEGIES.join(', ')} (got ${JSON.stringify(s)})`);
    return;
  }
  if (s === 'keep') {
    const keep = cfg.keep;
    if (!Array.isArray(keep) || keep.length === 0 || !keep.every((x) => isInt(x) && x >= 0))
      add('config.keep must be a non-empty array of layer indices (0-based) for strategy keep');
    else if (new Set(keep).size !== keep.length) add('config.keep has duplicate layers');
    if (cfg.k !== undefined) add('config.k is not used by strategy keep');
  } else {
    if (!(isInt(cfg.k) && cfg.k >= 1)) add(`config.k (layers to drop) must be a positive integer for ${s}`);
    if (cfg.keep !== undefined) add(`config.keep is only used by strategy keep`);
  }
  for (const k of Object.keys(cfg)) if (!['strategy', 'k', 'keep'].includes(k)) add(`config: unknown option '${k}'`);
}

/**
 * The teacher a distill node learns from: config.teacher if given, else the parent of the nearest ancestor
 * student node (the model it was cut from). Undefined when there is none.
 */
export function teacherOf(node: RecipeNode, byId: Map<string, RecipeNode>): string | undefined {
  const explicit = (node.config as DistillNodeConfig).teacher;
  if (typeof explicit === 'string') return explicit;
  const seen = new Set<string>();
  let cur: RecipeNode | undefined = node;
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    if (cur.stage === 'student') return cur.parent ?? undefined;
    cur = cur.parent !== null ? byId.get(cur.parent) : undefined;
  }
  return undefined;
}

/** Parents before children, keeping the file order otherwise (a stable topological order). */
export function orderNodes(recipe: Recipe): RecipeNode[] {
  const byId = new Map(recipe.nodes.map((n) => [n.id, n] as const));
  const out: RecipeNode[] = [];
  const done = new Set<string>();
  const visit = (n: RecipeNode, stack: Set<string>) => {
    if (done.has(n.id)) return;
    if (stack.has(n.id)) throw new Error(`cycle at node '${n.id}'`);
    stack.add(n.id);
    const p = n.parent !== null ? byId.get(n.parent) : undefined;
    if (p) visit(p, stack);
    // a distill node also needs its teacher first (when that teacher is not an ancestor)
    if (n.stage === 'distill') {
      const t = teacherOf(n, byId);
      const tn = t !== undefined ? byId.get(t) : undefined;
      if (tn) visit(tn, stack);
    }
    stack.delete(n.id);
    done.add(n.id);
    out.push(n);
  };
  for (const n of recipe.nodes) visit(n, new Set());
  return out;
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
