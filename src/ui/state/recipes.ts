// Wizard drafts and recipes. A draft is the wizard's editable form of one chain recipe (teacher → student →
// distill? → self-train?); `draftFromRecipe` reads a recipe into it and `recipeFromDraft` writes it back. The
// presets are recipe JSON files read through draftFromRecipe (never copied here). Pure functions: no React, no worker.
import {
  STAGES,
  validateRecipe,
  type Recipe,
  type RecipeDataOptions,
  type RecipeEvalOptions,
  type RecipeNode,
  type StageKind,
} from '../../core/experiment/recipe';
import type { StudentStrategy } from '../../core/lab/stages/studentStage';
import type { ModelPreset, TeacherInit } from '../../core/lab/stages/teacherStage';
import { keptLayers as engineKeptLayers } from '../../core/experiment/studentFromTeacher';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import type { PresetId } from '../../core/lab/suggestSettings';
import { bertPresets } from '../../core/model/bertConfig';
import type { StageConfigInput } from '../../core/training/stageConfig';
import studyJson from '../../../recipes/study.json';
import studyLogitsJson from '../../../recipes/study-logits-only.json';
import demoJson from '../../../recipes/demo-sample.json';
import tinyJson from '../../../recipes/tiny-check.json';

export type Nodes = Record<string, NodeRecord>;

/**
 * Training options of a stage: the training module's StageConfig (src/core/training/stageConfig.ts), partial —
 * a missing field takes the engine's default (the study's). `dropout` in forms sets hidden + attention dropout.
 */
export type TrainFields = StageConfigInput;

/** The recipe presets (core's PresetId: the settings suggestion names them too). */
export type PresetName = PresetId;

export interface TeacherDraft {
  /** Train a new teacher, or reuse an already trained teacher node of the tree. */
  mode: 'new' | 'reuse';
  reuseId?: string;
  init: 'pretrained' | 'scratch';
  /** the from-scratch shape (kept while `init` is 'pretrained', so switching back restores it) */
  scratch: TeacherInit;
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

// ---- presets: recipe files ----

/**
 * The wizard's presets, each a recipe file:
 * - study: recipes/study.json — the study's best recipe as its paper describes it (pretrained bert-base-chinese
 *   teacher, top 6 of 12 layers dropped, stage 1 distillation on half the data with every layer's hidden/attention
 *   MSE, stage 2 self-training);
 * - study-logits-only: recipes/study-logits-only.json — the same with stage 1 on the logits alone: the study's code
 *   leaves open which it was (its listed 50 % distillation commands pass no --all_distil, i.e. logits only);
 * - demo: recipes/demo-sample.json — from scratch on the tiny architecture, long enough to learn the embedded sample;
 * - tiny: recipes/tiny-check.json — the pipeline in seconds (the browser e2e suite's shapes). recipes/study-tiny.json
 *   is a different CI recipe (batch 16, 40 training items, every test item evaluated), so the check keeps its own file.
 */
export const PRESET_RECIPES: Record<PresetName, Recipe> = {
  study: validateRecipe(studyJson),
  'study-logits-only': validateRecipe(studyLogitsJson),
  demo: validateRecipe(demoJson),
  tiny: validateRecipe(tinyJson),
};
/** Short run names the wizard starts with (the files' names are long descriptions). */
export const PRESET_LABELS: Record<PresetName, string> = {
  study: 'Study best recipe',
  'study-logits-only': 'Study, logits-only distillation',
  demo: 'Sample demo',
  tiny: 'Tiny check',
};
/** The presets in the order the wizard's buttons offer them (PRESET_LABELS' order). */
export const PRESET_NAMES = Object.keys(PRESET_LABELS) as PresetName[];

export const presetDraft = (p: PresetName): Draft => ({ ...draftFromRecipe(PRESET_RECIPES[p], p), name: PRESET_LABELS[p] });

// ---- recipe → draft ----

const DEFAULT_SCRATCH: TeacherInit = { preset: 'mini' };

function emptyDraft(preset: PresetName): Draft {
  return {
    name: '',
    preset,
    teacher: { mode: 'new', init: 'pretrained', scratch: { ...DEFAULT_SCRATCH }, train: {} },
    student: { strategy: 'drop-top', k: 1, keep: [] },
    distill: { enabled: false, train: {} },
    selftrain: { enabled: false, train: {} },
    data: {},
    evaluate: {},
  };
}

/** Writes one node's config into the draft (the inverse of teacherConfig / studentConfig / stageConfig). */
function readNodeConfig(d: Draft, stage: StageKind, config: object): void {
  const c = structuredClone(config) as Record<string, unknown>;
  switch (stage) {
    case 'teacher': {
      const { init, ...train } = c;
      if (init === 'pretrained') d.teacher.init = 'pretrained';
      else if (init && typeof init === 'object') {
        d.teacher.init = 'scratch';
        d.teacher.scratch = { ...(init as TeacherInit) };
      }
      d.teacher.train = train as TrainFields;
      break;
    }
    case 'student':
      d.student = {
        strategy: (c.strategy as StudentStrategy | undefined) ?? 'drop-top',
        k: (c.k as number | undefined) ?? 1,
        keep: (c.keep as number[] | undefined) ?? [],
      };
      break;
    case 'distill': {
      const { teacher: _t, ...train } = c;
      d.distill = { enabled: true, train: train as TrainFields };
      break;
    }
    case 'selftrain':
      d.selftrain = { enabled: true, train: c as TrainFields };
      break;
  }
}

/**
 * The draft of a recipe. A draft is one chain — a teacher root, a student cut from it, then optionally one distill
 * and one self-train node, each below the previous — with the distill node learning from the chain's teacher; a
 * recipe of any other shape (branches, several roots, an explicit distill teacher) throws. Node ids are not kept:
 * recipeFromDraft gives every node a new id, so a preset run never continues nodes of an earlier one.
 */
export function draftFromRecipe(recipe: Recipe, preset: PresetName = 'study'): Draft {
  const d = emptyDraft(preset);
  d.name = recipe.name ?? '';
  const order: StageKind[] = [];
  let parent: string | null = null;
  const children = (id: string | null) => recipe.nodes.filter((n) => n.parent === id);
  for (;;) {
    const next = children(parent);
    if (next.length === 0) break;
    if (next.length > 1) throw new Error(`a draft is one chain: ${next.map((n) => n.id).join(', ')} share the parent ${parent ?? '(root)'}`);
    const n = next[0]!;
    const expected = order.length === 0 ? ['teacher'] : order.length === 1 ? ['student'] : STAGES.slice(STAGES.indexOf(order[order.length - 1]!) + 1);
    if (!expected.includes(n.stage)) throw new Error(`a draft cannot have a ${n.stage} node (${n.id}) after ${order.join(' → ') || 'the start'}`);
    const teacher = (n.config as Record<string, unknown>).teacher;
    if (n.stage === 'distill' && teacher !== undefined)
      throw new Error(`node ${n.id}: a draft distills from the teacher the student was cut from (no explicit teacher)`);
    readNodeConfig(d, n.stage, n.config);
    order.push(n.stage);
    parent = n.id;
  }
  if (order.length !== recipe.nodes.length) throw new Error('a draft is one chain from a single teacher root');
  if (!order.includes('student')) throw new Error('a draft needs a teacher and a student');
  d.data = structuredClone(recipe.data ?? {});
  d.evaluate = structuredClone(recipe.eval ?? {});
  return d;
}

// ---- node ids ----

/** Gives each new node of a recipe its id. */
export type IdSource = (stage: StageKind) => string;

/** Stand-in ids for a recipe that is only shown (the wizard's preview): one per stage, never run. */
export const previewIds: IdSource = (stage) => `${stage}-new`;

/**
 * Ids for the nodes of a run about to start: `<stage>-<time><n>`, unique against every node of the tree (and each
 * other). Call it when the run starts, not while rendering.
 */
export function freshIds(taken: Iterable<string>, now: number = Date.now()): IdSource {
  const used = new Set(taken);
  const t = now.toString(36).slice(-5);
  let n = 0;
  return (stage) => {
    let id: string;
    do id = `${stage}-${t}${(n++).toString(36).padStart(2, '0')}`;
    while (used.has(id));
    used.add(id);
    return id;
  };
}

// ---- draft → recipe ----

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

/** Encoder layers of a from-scratch preset (the engine's shapes). */
export const presetLayers = (p: ModelPreset): number => bertPresets[p](100).numHiddenLayers;
export const presetHidden = (p: ModelPreset): number => bertPresets[p](100).hiddenSize;

/** Number of teacher layers the draft implies (for the student layer picker). */
export function teacherLayers(d: Draft, nodes: Nodes, baseLayers?: number): number {
  if (d.teacher.mode === 'reuse' && d.teacher.reuseId) return nodes[d.teacher.reuseId]?.model?.layers ?? baseLayers ?? 12;
  if (d.teacher.init === 'pretrained') return baseLayers ?? 12;
  return d.teacher.scratch.layers ?? presetLayers(d.teacher.scratch.preset);
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

export function labelFor(stage: StageKind, config: Record<string, unknown>): string {
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
export function recipeFromDraft(d: Draft, nodes: Nodes, ids: IdSource): Recipe {
  const out: RecipeNode[] = [];
  let parent: string | null;
  if (d.teacher.mode === 'reuse' && d.teacher.reuseId && nodes[d.teacher.reuseId]) {
    out.push(...chainTo(d.teacher.reuseId, nodes));
    parent = d.teacher.reuseId;
  } else {
    const id = ids('teacher');
    out.push({ id, parent: null, stage: 'teacher', config: teacherConfig(d.teacher) });
    parent = id;
  }
  const sid = ids('student');
  out.push({ id: sid, parent, stage: 'student', config: studentConfig(d.student) });
  parent = sid;
  if (d.distill.enabled) {
    const id = ids('distill');
    out.push({ id, parent, stage: 'distill', config: stageConfig(d.distill) });
    parent = id;
  }
  if (d.selftrain.enabled) {
    const id = ids('selftrain');
    out.push({ id, parent, stage: 'selftrain', config: stageConfig(d.selftrain) });
  }
  return { version: 1, name: d.name, nodes: out, ...recipeOptions(d) };
}

/** Existing nodes from the root down to `id` (inclusive), as recipe nodes (they resume from their checkpoints). */
export function chainTo(id: string, nodes: Nodes): RecipeNode[] {
  const chain: RecipeNode[] = [];
  const seen = new Set<string>();
  let cur: NodeRecord | undefined = nodes[id];
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    chain.unshift({ id: cur.id, parent: cur.parent, stage: cur.stage, config: cur.config });
    cur = cur.parent ? nodes[cur.parent] : undefined;
  }
  // a distill node below also needs its teacher, which is an ancestor here: nothing more to add
  return chain;
}

// ---- resume ----

/** Nodes where a run stopped before finishing (cancelled, failed or interrupted by a reload) whose parent is done:
 *  the points a "Resume" continues from (their descendants that never ran follow them). */
export function resumableNodes(nodes: Nodes): NodeRecord[] {
  return Object.values(nodes)
    .filter((n) => (n.status === 'cancelled' || n.status === 'failed') && (!n.parent || nodes[n.parent]?.status === 'done'))
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** The node a stopped run continues from: the first of its nodes (in run order) that is not done. */
export function stoppedNodeOf(nodeIds: string[], nodes: Nodes): string | undefined {
  return nodeIds.find((id) => nodes[id] && nodes[id].status !== 'done');
}

/**
 * The one way to resume: the recipe that continues an interrupted node — its ancestors (done: the engine skips
 * them), the node itself (the engine resumes it from its train-state checkpoint) and every node below it, with the
 * options the run was started with (the root's data options: they are part of every trained model's fingerprint).
 * `override` sets config fields of the resumed node (e.g. `{ microBatchSize: 4 }` after running out of memory).
 */
export function resumeRecipe(id: string, nodes: Nodes, override?: Record<string, unknown>): Recipe {
  const node = nodes[id];
  if (!node) throw new Error(`unknown node ${id}`);
  const out = chainTo(id, nodes);
  // config fields set on the resumed node only (a failure hint's micro-batch); its ancestors are done and unchanged
  if (override && Object.keys(override).length) {
    const last = out[out.length - 1]!;
    out[out.length - 1] = { ...last, config: { ...(last.config as Record<string, unknown>), ...override } };
  }
  const below = Object.values(nodes)
    .filter((n) => isBelow(n, id, nodes))
    .map((n) => ({ n, depth: chainTo(n.id, nodes).length }))
    .sort((a, b) => a.depth - b.depth || a.n.createdAt - b.n.createdAt); // parents first
  for (const { n } of below) out.push({ id: n.id, parent: n.parent, stage: n.stage, config: n.config });
  const root = nodes[out[0]!.id];
  const data = root?.data ?? node.data;
  const ev = node.eval;
  return {
    version: 1,
    name: node.runName ?? `Resume ${node.label}`,
    nodes: out,
    ...(data && Object.keys(data).length ? { data } : {}),
    ...(ev && Object.keys(ev).length ? { eval: ev } : {}),
  };
}

function isBelow(n: NodeRecord, ancestor: string, nodes: Nodes): boolean {
  const seen = new Set<string>();
  for (let cur: NodeRecord | undefined = n; cur && !seen.has(cur.id); cur = cur.parent ? nodes[cur.parent] : undefined) {
    if (cur.parent === ancestor) return true;
    seen.add(cur.id);
  }
  return false;
}

// ---- fork ----

export const nextStages = (s: StageKind): StageKind[] => STAGES.slice(STAGES.indexOf(s) + 1);

/**
 * A fork of node `fromId`: a new sibling for the same stage with the draft's settings (the node's parent chain
 * is reused), plus the later stages the draft enables.
 */
export function recipeForFork(fromId: string, d: Draft, nodes: Nodes, ids: IdSource): Recipe {
  const from = nodes[fromId];
  if (!from) throw new Error(`unknown node ${fromId}`);
  if (from.stage === 'teacher') return recipeFromDraft({ ...d, teacher: { ...d.teacher, mode: 'new' } }, nodes, ids);
  const out: RecipeNode[] = from.parent ? chainTo(from.parent, nodes) : [];
  let parent = from.parent;
  const add = (stage: StageKind, config: Record<string, unknown>) => {
    const id = ids(stage);
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

/** The recipe the wizard runs (or previews, with previewIds): a fork of `forkFrom`, or a new tree. */
export function recipeForWizard(d: Draft, forkFrom: string | null, nodes: Nodes, ids: IdSource): Recipe {
  return forkFrom ? recipeForFork(forkFrom, d, nodes, ids) : recipeFromDraft(d, nodes, ids);
}

/** A draft prefilled from a node and its ancestors (for "fork from here"). */
export function draftFromNode(id: string, nodes: Nodes, base: Draft): Draft {
  const d: Draft = structuredClone(base);
  const chain = chainTo(id, nodes);
  for (const n of chain) {
    if (n.stage === 'teacher') {
      d.teacher.mode = 'reuse';
      d.teacher.reuseId = n.id;
    }
    readNodeConfig(d, n.stage, n.config);
  }
  const from = nodes[id];
  const root = chain[0] ? nodes[chain[0].id] : undefined;
  if (root?.data) d.data = { ...root.data };
  if (from?.eval) d.evaluate = { ...from.eval };
  if (from?.stage === 'teacher') d.teacher.mode = 'new';
  d.name = `Fork of ${from?.label ?? id}`;
  return d;
}
