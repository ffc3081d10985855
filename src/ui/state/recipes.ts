// Wizard drafts, the presets (the study's best recipe, a from-scratch `demo` that learns the sample and a `tiny`
// pipeline check), and the conversion of a
// draft into an engine Recipe (src/core/experiment/recipe.ts shapes). Pure functions: no React, no worker.
import type { LabNode, Recipe, RecipeDataOptions, RecipeEvalOptions, RecipeNode, Stage } from '../../../workers/labApi';
import type { StageConfigInput } from '../../core/training/stageConfig';
import { keptLayers as engineKeptLayers } from '../../core/experiment/studentFromTeacher';

export type PresetName = 'study' | 'demo' | 'tiny';
export type StudentStrategy = 'drop-top' | 'drop-bottom' | 'alternate' | 'keep';
export type ScratchPreset = 'tiny' | 'mini' | 'small';

/**
 * Training options of a stage: the training module's StageConfig (src/core/training/stageConfig.ts), partial —
 * a missing field takes the engine's default (the study's). `dropout` in forms sets hidden + attention dropout.
 */
export type TrainFields = StageConfigInput;

export interface TeacherDraft {
  /** Train a new teacher, or reuse an already trained teacher node of the tree. */
  mode: 'new' | 'reuse';
  reuseId?: string;
  init: 'pretrained' | 'scratch';
  scratch: { preset: ScratchPreset; layers?: number; hidden?: number; heads?: number; intermediate?: number };
  train: TrainFields;
}
export interface StudentDraft {
  strategy: StudentStrategy;
  k: number;
  keep: number[];
}
export interface StageDraft {
  enabled: boolean;
  train: TrainFields;
}
export interface Draft {
  name: string;
  preset: PresetName;
  teacher: TeacherDraft;
  student: StudentDraft;
  distill: StageDraft;
  selftrain: StageDraft;
  /** sequence limits and the fit policy (recipe.data) */
  data: RecipeDataOptions;
  /** how every node is evaluated (recipe.eval) */
  evaluate: RecipeEvalOptions;
}

/**
 * The study's best recipe: a pretrained bert-base-chinese teacher, the top 6 of its 12 layers dropped, stage 1
 * distillation (half the data, dropout 0.3, hard + soft CE and every layer's hidden/attention MSE) and stage 2
 * self-training on all data. Fields left out take the engine's defaults, which are the study's settings.
 */
export function studyPreset(): Draft {
  return {
    name: 'Study best recipe',
    preset: 'study',
    teacher: { mode: 'new', init: 'pretrained', scratch: { preset: 'mini' }, train: {} },
    student: { strategy: 'drop-top', k: 6, keep: [0, 1, 2, 3, 4, 5] },
    distill: { enabled: true, train: { distill: { schedule: 'all' } } },
    selftrain: { enabled: true, train: {} },
    data: {},
    evaluate: {},
  };
}

/**
 * A from-scratch demo that finishes in minutes even on a software GPU: a 2-layer, hidden-64 teacher on a
 * character vocabulary, a 1-layer student, a few optimizer steps per stage (small trainFraction).
 */
export function tinyPreset(): Draft {
  const train = (lr: number, dropout: number, trainFraction: number): TrainFields => ({
    epochs: 1,
    batchSize: 8,
    learningRate: lr,
    hiddenDropout: dropout,
    attentionDropout: dropout,
    trainFraction,
  });
  return {
    name: 'Tiny demo',
    preset: 'tiny',
    teacher: { mode: 'new', init: 'scratch', scratch: { preset: 'tiny', layers: 2, hidden: 64, heads: 2, intermediate: 128 }, train: { ...train(2e-3, 0.1, 0.2), seed: 1 } },
    student: { strategy: 'drop-top', k: 1, keep: [0] },
    distill: { enabled: true, train: { ...train(2e-3, 0.3, 0.1), distill: { schedule: 'all', layerMap: 'pkd-skip' } } },
    selftrain: { enabled: true, train: train(1e-3, 0.3, 0.1) },
    data: { maxSeqLen: 64, maxQuestionLen: 24, policy: 'window' },
    evaluate: { beamSize: 2, limit: 4, batchSize: 4, samples: 4 },
  };
}

/**
 * A from-scratch demo that learns the embedded sample well enough to compare stages (same tree as
 * recipes/demo-sample.json; `qglab run` on 2 CPU cores, WASM: about 2 minutes, teacher avg_score ~51, student ~32
 * after both stages). The tiny architecture, more epochs and a higher learning rate than the study's (from scratch).
 */
export function demoPreset(): Draft {
  const train = (epochs: number, lr: number, dropout: number, trainFraction: number): TrainFields => ({
    epochs,
    batchSize: 16,
    learningRate: lr,
    hiddenDropout: dropout,
    attentionDropout: dropout,
    trainFraction,
    seed: 42,
  });
  return {
    name: 'Sample demo',
    preset: 'demo',
    teacher: { mode: 'new', init: 'scratch', scratch: { preset: 'tiny' }, train: train(12, 2e-3, 0.1, 1) },
    student: { strategy: 'drop-top', k: 1, keep: [0] },
    distill: { enabled: true, train: { ...train(4, 2e-3, 0.3, 0.5), distill: { schedule: 'all', layerMap: 'study' } } },
    selftrain: { enabled: true, train: train(4, 1e-3, 0.3, 1) },
    data: { maxSeqLen: 96, policy: 'window' },
    evaluate: { beamSize: 3, samples: 4 },
  };
}

export const presetDraft = (p: PresetName): Draft => (p === 'tiny' ? tinyPreset() : p === 'demo' ? demoPreset() : studyPreset());

let counter = 0;
export function newId(stage: Stage): string {
  counter = (counter + 1) % 1296;
  const t = Date.now().toString(36).slice(-5);
  return `${stage}-${t}${counter.toString(36).padStart(2, '0')}`;
}

function clean(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = clean(v);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

export function teacherConfig(t: TeacherDraft): Record<string, unknown> {
  const init = t.init === 'pretrained' ? 'pretrained' : clean(t.scratch);
  const { distill: _unused, ...train } = t.train;
  return { init, ...clean(train) };
}

export function studentConfig(s: StudentDraft): Record<string, unknown> {
  return s.strategy === 'keep' ? { strategy: 'keep', keep: [...s.keep].sort((a, b) => a - b) } : { strategy: s.strategy, k: s.k };
}

export function stageConfig(d: StageDraft): Record<string, unknown> {
  return clean(d.train);
}

/** Number of teacher layers the draft implies (for the student layer picker). */
export function teacherLayers(d: Draft, nodes: Record<string, LabNode>, baseLayers?: number): number {
  if (d.teacher.mode === 'reuse' && d.teacher.reuseId) return nodes[d.teacher.reuseId]?.layers ?? baseLayers ?? 12;
  if (d.teacher.init === 'pretrained') return baseLayers ?? 12;
  const presetLayers: Record<ScratchPreset, number> = { tiny: 2, mini: 4, small: 4 };
  return d.teacher.scratch.layers ?? presetLayers[d.teacher.scratch.preset];
}

/** Layers a student strategy keeps, for the layer picture: the engine's own rule, with an impossible draft
 *  (k out of range, an empty keep list) shown as "keeps nothing" instead of an error. */
export function keptLayers(s: StudentDraft, n: number): number[] {
  try {
    return engineKeptLayers(s, n);
  } catch {
    return [];
  }
}

function dropoutText(c: Record<string, unknown>): string {
  const h = c.hiddenDropout;
  return typeof h === 'number' ? ` · drop ${h}` : '';
}

export function labelFor(stage: Stage, config: Record<string, unknown>): string {
  const c = config as Record<string, unknown> & { init?: unknown };
  switch (stage) {
    case 'teacher': {
      if (c.init === 'pretrained') return 'Teacher · pretrained';
      const i = (c.init ?? {}) as Record<string, unknown>;
      const shape = [i.layers ? `${i.layers}L` : '', i.hidden ? `h${i.hidden}` : ''].filter(Boolean).join(' ');
      return `Teacher · ${String(i.preset ?? 'scratch')}${shape ? ` ${shape}` : ''}`;
    }
    case 'student':
      return c.strategy === 'keep' ? `Student · keep ${(c.keep as number[] | undefined)?.join(',')}` : `Student · ${String(c.strategy)} ${String(c.k)}`;
    case 'distill': {
      const d = (c.distill ?? {}) as Record<string, unknown>;
      return `Distill${d.schedule ? ` ${String(d.schedule)}` : ''}${dropoutText(c)}`;
    }
    case 'selftrain':
      return `Self-train${dropoutText(c)}`;
  }
}

function recipeOptions(d: Draft): Pick<Recipe, 'data' | 'eval'> {
  const data = clean(d.data);
  const ev = clean(d.evaluate);
  return { ...(Object.keys(data).length ? { data } : {}), ...(Object.keys(ev).length ? { eval: ev } : {}) };
}

/** The recipe for a brand-new run (or one that starts below a reused teacher). */
export function recipeFromDraft(d: Draft, nodes: Record<string, LabNode>): Recipe {
  const out: RecipeNode[] = [];
  let parent: string | null;
  if (d.teacher.mode === 'reuse' && d.teacher.reuseId && nodes[d.teacher.reuseId]) {
    out.push(...chainTo(d.teacher.reuseId, nodes));
    parent = d.teacher.reuseId;
  } else {
    const id = newId('teacher');
    out.push({ id, parent: null, stage: 'teacher', config: teacherConfig(d.teacher) });
    parent = id;
  }
  const sid = newId('student');
  out.push({ id: sid, parent, stage: 'student', config: studentConfig(d.student) });
  parent = sid;
  if (d.distill.enabled) {
    const id = newId('distill');
    out.push({ id, parent, stage: 'distill', config: stageConfig(d.distill) });
    parent = id;
  }
  if (d.selftrain.enabled) {
    const id = newId('selftrain');
    out.push({ id, parent, stage: 'selftrain', config: stageConfig(d.selftrain) });
  }
  return { version: 1, name: d.name, nodes: out, ...recipeOptions(d) };
}

/** Existing nodes from the root down to `id` (inclusive), as recipe nodes (they resume from their checkpoints). */
export function chainTo(id: string, nodes: Record<string, LabNode>): RecipeNode[] {
  const chain: RecipeNode[] = [];
  const seen = new Set<string>();
  let cur: LabNode | undefined = nodes[id];
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    chain.unshift({ id: cur.id, parent: cur.parent, stage: cur.stage, config: cur.config });
    cur = cur.parent ? nodes[cur.parent] : undefined;
  }
  // a distill node below also needs its teacher, which is an ancestor here: nothing more to add
  return chain;
}

/** Nodes where a run stopped before finishing (cancelled, failed or interrupted by a reload) whose parent is done:
 *  the points a "Resume" continues from (their descendants that never ran follow them). */
export function resumableNodes(nodes: Record<string, LabNode>): LabNode[] {
  return Object.values(nodes)
    .filter((n) => (n.status === 'cancelled' || n.status === 'failed') && (!n.parent || nodes[n.parent]?.status === 'done'))
    .sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * The recipe that continues an interrupted node: its ancestors (done: the engine skips them), the node itself
 * (the engine resumes it from its train-state checkpoint) and every node below it, with the options the run was
 * started with (the root's data options: they are part of every trained model's fingerprint).
 */
export function recipeForResume(id: string, nodes: Record<string, LabNode>): Recipe {
  const node = nodes[id];
  if (!node) throw new Error(`unknown node ${id}`);
  const out = chainTo(id, nodes);
  const below = Object.values(nodes)
    .filter((n) => isBelow(n, id, nodes))
    .map((n) => ({ n, depth: chainTo(n.id, nodes).length }))
    .sort((a, b) => a.depth - b.depth || a.n.createdAt - b.n.createdAt); // parents first
  for (const { n } of below) out.push({ id: n.id, parent: n.parent, stage: n.stage, config: n.config });
  const root = nodes[out[0].id];
  const data = root?.runData ?? node.runData;
  const ev = node.runEval;
  return {
    version: 1,
    name: node.runName ?? `Resume ${node.label}`,
    nodes: out,
    ...(data && Object.keys(data).length ? { data } : {}),
    ...(ev && Object.keys(ev).length ? { eval: ev } : {}),
  };
}

function isBelow(n: LabNode, ancestor: string, nodes: Record<string, LabNode>): boolean {
  const seen = new Set<string>();
  for (let cur: LabNode | undefined = n; cur && !seen.has(cur.id); cur = cur.parent ? nodes[cur.parent] : undefined) {
    if (cur.parent === ancestor) return true;
    seen.add(cur.id);
  }
  return false;
}

const STAGE_ORDER: Stage[] = ['teacher', 'student', 'distill', 'selftrain'];
export const nextStages = (s: Stage): Stage[] => STAGE_ORDER.slice(STAGE_ORDER.indexOf(s) + 1);

/**
 * A fork of node `fromId`: a new sibling for the same stage with the draft's settings (the node's parent chain
 * is reused), plus the later stages the draft enables.
 */
export function recipeForFork(fromId: string, d: Draft, nodes: Record<string, LabNode>): Recipe {
  const from = nodes[fromId];
  if (!from) throw new Error(`unknown node ${fromId}`);
  if (from.stage === 'teacher') return recipeFromDraft({ ...d, teacher: { ...d.teacher, mode: 'new' } }, nodes);
  const out: RecipeNode[] = from.parent ? chainTo(from.parent, nodes) : [];
  let parent = from.parent;
  const add = (stage: Stage, config: Record<string, unknown>) => {
    const id = newId(stage);
    out.push({ id, parent, stage, config });
    parent = id;
  };
  const stages = [from.stage, ...nextStages(from.stage)];
  for (const s of stages) {
    if (s === 'student') add('student', studentConfig(d.student));
    else if (s === 'distill' && (d.distill.enabled || s === from.stage)) add('distill', stageConfig(d.distill));
    else if (s === 'selftrain' && (d.selftrain.enabled || s === from.stage)) add('selftrain', stageConfig(d.selftrain));
  }
  return { version: 1, name: d.name, nodes: out, ...recipeOptions(d) };
}

/** A draft prefilled from a node and its ancestors (for "fork from here"). */
export function draftFromNode(id: string, nodes: Record<string, LabNode>, base: Draft): Draft {
  const d: Draft = structuredClone(base);
  const chain = chainTo(id, nodes);
  for (const n of chain) {
    const c = n.config as Record<string, unknown>;
    if (n.stage === 'teacher') {
      d.teacher.mode = 'reuse';
      d.teacher.reuseId = n.id;
      if (c.init === 'pretrained') d.teacher.init = 'pretrained';
      else if (c.init && typeof c.init === 'object') {
        d.teacher.init = 'scratch';
        d.teacher.scratch = { ...(c.init as TeacherDraft['scratch']) };
      }
      const { init: _i, ...train } = c;
      d.teacher.train = structuredClone(train) as TrainFields;
    } else if (n.stage === 'student') {
      d.student = {
        strategy: (c.strategy as StudentStrategy) ?? 'drop-top',
        k: (c.k as number) ?? 1,
        keep: (c.keep as number[]) ?? [],
      };
    } else if (n.stage === 'distill') {
      const { teacher: _t, ...train } = c;
      d.distill = { enabled: true, train: structuredClone(train) as TrainFields };
    } else if (n.stage === 'selftrain') {
      d.selftrain = { enabled: true, train: structuredClone(c) as TrainFields };
    }
  }
  const from = nodes[id];
  const root = chain[0] ? nodes[chain[0].id] : undefined;
  if (root?.runData) d.data = { ...root.runData };
  if (from?.runEval) d.evaluate = { ...from.runEval };
  if (from?.stage === 'teacher') d.teacher.mode = 'new';
  d.name = `Fork of ${from?.label ?? id}`;
  return d;
}
