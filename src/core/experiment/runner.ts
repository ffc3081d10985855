// ExperimentRunner: runs a recipe's nodes parents-first against a RunStorage.
// - a node whose state is 'done' (same config, same ancestry) is skipped; a changed node is redone with its subtree
// - an interrupted training stage resumes from its train-state checkpoint (weights + optimizer + step + RNG)
// - a failing node stops with its error (a NaN/Inf loss names the step); its last good checkpoint stays, its
//   descendants are marked skipped, other branches still run
// - an AbortSignal stops the run between steps; the running node is marked cancelled and resumes next time
// - every model-producing node is evaluated on the test items (eval.json + an 'eval' event)
// - while a node trains, every eval.sampleEverySteps steps, the model being trained generates questions (greedy)
//   for the first eval.samples test items: a 'samples' event with the current step
import type { QgItem } from '../data/drcd';
import { DEFAULT_SQG_LIMITS, predictionContext, prepareExamples, type EncodedItem, type SqgExample, type SqgLimits } from '../data/sqgExamples';
import { generateQuestions } from '../generation/generateQuestions';
import { bertPresets, type BertConfig } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import type { StateTensor } from '../model/stateDict';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import { trainStage } from '../training/trainStage';
import { NonFiniteLossError, type StepEvent } from '../training/stepEvent';
import type { TrainState } from '../training/trainState';
import {
  clearNode,
  clearTrainState,
  hasModel,
  loadModel,
  loadTrainState,
  nodeKey,
  readEval,
  readHistory,
  readState,
  saveEval,
  saveHistory,
  saveModel,
  saveTrainState,
  writeState,
  type NodeState,
} from './checkpoints';
import { abortError, evaluate, type EvaluationResult } from './evaluate';
import type { LabEvent } from './events';
import {
  DEFAULT_EVAL_SAMPLES,
  DEFAULT_SAMPLE_EVERY_STEPS,
  orderNodes,
  teacherOf,
  validateRecipe,
  type Recipe,
  type RecipeEvalOptions,
  type RecipeNode,
  type StudentNodeConfig,
  type TeacherNodeConfig,
} from './recipe';
import type { RunStorage } from './storage';
import { appendHistory, type HistoryPoint } from '../lab/history';
import { studentFromTeacher } from './studentFromTeacher';
import { stageConfigOf, type TrainingStage } from './trainingOptions';

export interface RunnerOptions {
  storage: RunStorage;
  train: QgItem[];
  test: QgItem[];
  tokenizer: BertTokenizer;
  /** weights for teachers with init 'pretrained' (e.g. bert-base-chinese) */
  base?: { config: BertConfig; stateDict: Map<string, StateTensor> };
  onEvent: (e: LabEvent) => void;
  /** overrides the recipe's eval options (e.g. the CLI's --limit) */
  eval?: RecipeEvalOptions;
}

/** The outcome of one node, as run() returns it and summaryTable() prints it. */
export interface NodeResult {
  id: string;
  stage: RecipeNode['stage'];
  parent: string | null;
  status: NodeState['status'];
  error?: string;
  eval?: EvaluationResult;
  /** the root teacher of the node's tree (the reference of the % columns) */
  reference?: string;
}

export interface RunSummary {
  name?: string;
  cancelled: boolean;
  nodes: NodeResult[];
}

interface RunContext {
  byId: Map<string, RecipeNode>;
  /** fingerprint of the data options, vocabulary and training items */
  inputs: string;
  limits: SqgLimits;
  policy: 'skip' | 'window';
  maxTrainItems?: number;
  evalOpts: RecipeEvalOptions;
  signal?: AbortSignal;
}

const isAbort = (e: unknown) => e instanceof Error && e.name === 'AbortError';

/** JSON with sorted keys, to compare configs regardless of key order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export class ExperimentRunner {
  private readonly opts: RunnerOptions;
  private readonly models = new Map<string, BertForMaskedLM>();
  private examplesCache?: { key: string; examples: SqgExample[] };

  constructor(opts: RunnerOptions) {
    this.opts = opts;
  }

  private emit(e: LabEvent): void {
    try {
      this.opts.onEvent(e);
    } catch {
      // a listener's failure must not break the run
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.emit({ type: 'log', level, message });
  }

  async run(recipeJson: Recipe | unknown, signal?: AbortSignal): Promise<RunSummary> {
    const recipe = validateRecipe(recipeJson);
    const { storage } = this.opts;
    const order = orderNodes(recipe);
    const byId = new Map(recipe.nodes.map((n) => [n.id, n] as const));
    const { policy = 'skip', maxTrainItems, ...limitOverrides } = recipe.data ?? {};
    // what every trained model depends on besides its config: data options, vocabulary, training items
    const inputs = fnv1a(
      [stableJson(recipe.data ?? {}), this.opts.tokenizer.vocab.join('\n'), this.opts.train.map((t) => t.id).join('\n')].join('\u0000'),
    );
    const ctx: RunContext = {
      byId,
      inputs,
      limits: { ...DEFAULT_SQG_LIMITS, ...limitOverrides },
      policy,
      maxTrainItems,
      evalOpts: { ...recipe.eval, ...this.opts.eval },
      signal,
    };
    await storage.putJson('recipe.json', recipe);

    // The nodes whose models a node needs: its parent and, for distill, its teacher.
    const depsOf = (n: RecipeNode) =>
      [n.parent, n.stage === 'distill' ? teacherOf(n, byId) : undefined].filter((x): x is string => !!x);

    // Decide what is already done; a node whose config or ancestry changed is redone, with everything below it.
    const states = new Map<string, NodeState | undefined>();
    const redo = new Set<string>();
    for (const n of order) {
      let st = await readState(storage, n.id);
      const stale =
        st !== undefined &&
        (st.stage !== n.stage ||
          st.parent !== n.parent ||
          stableJson(st.config) !== stableJson(n.config) ||
          (st.inputs !== undefined && st.inputs !== inputs) ||
          depsOf(n).some((d) => redo.has(d)));
      if (stale) {
        this.log('info', `node '${n.id}': its recipe, its inputs (data, vocabulary) or an ancestor changed; redoing it`);
        await clearNode(storage, n.id);
        st = undefined;
      }
      if (st === undefined || st.status !== 'done') redo.add(n.id);
      states.set(n.id, st);
    }
    for (const n of order) if (states.get(n.id)?.status !== 'done') this.emit({ type: 'node', nodeId: n.id, status: 'queued' });

    // Models kept in memory while a later node still needs them (as parent or as teacher).
    const needs = new Map<string, number>();
    for (const n of order) for (const d of depsOf(n)) needs.set(d, (needs.get(d) ?? 0) + 1);
    const release = (id: string) => {
      const left = (needs.get(id) ?? 0) - 1;
      needs.set(id, left);
      if (left <= 0) this.dropModel(id);
    };

    let cancelled = false;
    try {
      for (const n of order) {
        if (signal?.aborted) {
          cancelled = true;
          break;
        }
        const blocker = depsOf(n).find((d) => states.get(d)?.status !== 'done');
        if (blocker !== undefined) {
          const why = `skipped: ${blocker === n.parent ? 'parent' : 'teacher'} '${blocker}' is ${states.get(blocker)?.status ?? 'not done'}`;
          const st: NodeState = { ...baseState(n), status: 'skipped', error: why };
          await writeState(storage, st);
          states.set(n.id, st);
          this.emit({ type: 'node', nodeId: n.id, status: 'cancelled', error: why });
        } else {
          const st = await this.runNode(n, states.get(n.id), ctx);
          states.set(n.id, st);
          if (st.status === 'cancelled') {
            cancelled = true;
            break;
          }
          if (st.status === 'done' && !(await readEval(storage, n.id))) {
            try {
              await this.evaluateNode(n, st.steps ?? 0, ctx);
            } catch (e) {
              if (isAbort(e)) {
                cancelled = true;
                break;
              }
              this.log('error', `node '${n.id}': evaluation failed: ${(e as Error).message}`);
            }
          }
        }
        for (const d of depsOf(n)) release(d);
        if ((needs.get(n.id) ?? 0) <= 0) this.dropModel(n.id);
      }
    } finally {
      for (const id of [...this.models.keys()]) this.dropModel(id);
    }

    const nodes: NodeResult[] = [];
    for (const n of recipe.nodes) {
      const st = states.get(n.id) ?? (await readState(storage, n.id));
      const ev = await readEval(storage, n.id);
      nodes.push({
        id: n.id,
        stage: n.stage,
        parent: n.parent,
        status: st?.status ?? 'queued',
        ...(st?.error ? { error: st.error } : {}),
        ...(ev ? { eval: ev } : {}),
        reference: rootTeacher(n, byId),
      });
    }
    const summary: RunSummary = { ...(recipe.name ? { name: recipe.name } : {}), cancelled, nodes };
    await storage.putJson('summary.json', summary);
    return summary;
  }

  private dropModel(id: string): void {
    this.models.get(id)?.dispose();
    this.models.delete(id);
  }

  private async getModel(id: string): Promise<BertForMaskedLM> {
    let m = this.models.get(id);
    if (!m) {
      m = await loadModel(this.opts.storage, id);
      this.models.set(id, m);
    }
    return m;
  }

  private examples({ limits, policy, maxTrainItems }: RunContext): SqgExample[] {
    const key = `${stableJson(limits)}|${policy}|${maxTrainItems}`;
    if (this.examplesCache?.key === key) return this.examplesCache.examples;
    const items = maxTrainItems !== undefined ? this.opts.train.slice(0, maxTrainItems) : this.opts.train;
    const prep = prepareExamples(this.opts.tokenizer, items, limits, policy);
    if (prep.skipped.length > 0) {
      const kinds = new Map<string, number>();
      for (const s of prep.skipped) kinds.set(s.reason, (kinds.get(s.reason) ?? 0) + 1);
      this.log(
        'warn',
        `${prep.skipped.length} of ${items.length} training items skipped (${[...kinds].map(([k, v]) => `${k}: ${v}`).join(', ')})`,
      );
    }
    if (prep.examples.length === 0) throw new Error('no training examples: every training item was skipped (see the log)');
    this.log('info', `${prep.encoded.length} training items → ${prep.examples.length} examples`);
    this.examplesCache = { key, examples: prep.examples };
    return prep.examples;
  }

  /** Runs one node's stage (or finds it done); returns its final state. Never throws except on storage errors. */
  private async runNode(n: RecipeNode, prev: NodeState | undefined, ctx: RunContext): Promise<NodeState> {
    const { signal } = ctx;
    const { storage, tokenizer } = this.opts;
    if (prev?.status === 'done') return prev;
    const t0 = Date.now();
    let st: NodeState = {
      ...baseState(n),
      ...(prev ?? {}),
      inputs: ctx.inputs,
      status: 'running',
      startedAt: prev?.startedAt ?? t0,
      error: undefined,
    };
    delete st.error;
    await writeState(storage, st);
    this.emit({ type: 'node', nodeId: n.id, status: 'running' });

    let model: BertForMaskedLM | undefined;
    try {
      // A model saved by an attempt that stopped before writing 'done' is complete (state is written last).
      const saved = prev ? await storage.getJson<{ state: NodeState }>(nodeKey(n.id, 'model.complete.json')) : undefined;
      if (saved && (await hasModel(storage, n.id))) {
        model = await loadModel(storage, n.id);
        st = { ...st, ...saved.state, status: 'running' };
        this.log('info', `node '${n.id}': its model was saved before the run stopped; not training it again`);
      } else {
        const r = await this.produce(n, st, ctx);
        st = r.state;
        model = r.model;
        if (r.cancelled) {
          model.dispose();
          model = undefined;
          st = { ...st, status: 'cancelled', trainMs: (st.trainMs ?? 0) + (Date.now() - t0) };
          await writeState(storage, st);
          this.emit({ type: 'node', nodeId: n.id, status: 'cancelled' });
          return st;
        }
        await saveModel(storage, n.id, model, tokenizer);
        // marks the model files complete (with what the stage produced) in case the run stops before 'done'
        await storage.putJson(nodeKey(n.id, 'model.complete.json'), { savedAt: Date.now(), state: st });
      }
      st = { ...st, status: 'done', finishedAt: Date.now(), trainMs: (st.trainMs ?? 0) + (Date.now() - t0) };
      await writeState(storage, st);
      await clearTrainState(storage, n.id);
      this.models.set(n.id, model);
      this.emit({ type: 'node', nodeId: n.id, status: 'done' });
      return st;
    } catch (e) {
      model?.dispose();
      const cancelled = isAbort(e) || signal?.aborted === true;
      const message = cancelled ? undefined : describeError(n, e);
      st = {
        ...st,
        status: cancelled ? 'cancelled' : 'failed',
        finishedAt: Date.now(),
        trainMs: (st.trainMs ?? 0) + (Date.now() - t0),
        ...(message ? { error: message } : {}),
      };
      await writeState(storage, st);
      this.emit({ type: 'node', nodeId: n.id, status: st.status as 'failed' | 'cancelled', ...(message ? { error: message } : {}) });
      if (message) this.log('error', message);
      return st;
    }
  }

  /** Builds the node's model: init/cut/train. The returned model is owned by the caller. */
  private async produce(
    n: RecipeNode,
    st: NodeState,
    ctx: RunContext,
  ): Promise<{ model: BertForMaskedLM; state: NodeState; cancelled: boolean }> {
    switch (n.stage) {
      case 'teacher': {
        const cfg = n.config as TeacherNodeConfig;
        const stage = stageConfigOf('teacher', cfg);
        const model = this.initTeacher(cfg, stage.seed, ctx.limits);
        return this.train('teacher', n, model, undefined, st, ctx);
      }
      case 'student': {
        const parent = await this.getModel(n.parent!);
        const cut = studentFromTeacher(parent, n.config as StudentNodeConfig);
        this.log('info', `node '${n.id}': kept teacher layers [${cut.layerOrigin.join(', ')}] of ${parent.config.numHiddenLayers}`);
        return { model: cut.student, state: { ...st, layerOrigin: cut.layerOrigin, teacher: n.parent! }, cancelled: false };
      }
      case 'distill': {
        const teacherId = teacherOf(n, ctx.byId)!;
        const teacher = await this.getModel(teacherId);
        const student = (await this.getModel(n.parent!)).clone();
        if (teacher.config.vocabSize !== student.config.vocabSize)
          throw new Error(`teacher '${teacherId}' and student have different vocabularies`);
        return this.train('distill', n, student, teacher, { ...st, teacher: teacherId }, ctx);
      }
      case 'selftrain': {
        const student = (await this.getModel(n.parent!)).clone();
        return this.train('selftrain', n, student, undefined, st, ctx);
      }
    }
    throw new Error(`unknown stage '${String(n.stage)}'`);
  }

  private initTeacher(cfg: TeacherNodeConfig, seed: number, limits: SqgLimits): BertForMaskedLM {
    const tok = this.opts.tokenizer;
    if (cfg.init === 'pretrained') {
      const base = this.opts.base;
      if (!base) throw new Error("init 'pretrained' needs a base model (CLI: --base DIR with config.json + model.safetensors)");
      if (base.config.vocabSize !== tok.vocabSize)
        throw new Error(`the base model's vocabulary (${base.config.vocabSize}) does not match the tokenizer's (${tok.vocabSize})`);
      if (base.config.maxPositionEmbeddings < limits.maxSeqLen)
        throw new Error(`maxSeqLen ${limits.maxSeqLen} exceeds the base model's ${base.config.maxPositionEmbeddings} positions`);
      return BertForMaskedLM.fromStateDict(base.config, base.stateDict);
    }
    const init = cfg.init;
    const c = bertPresets[init.preset](tok.vocabSize, limits.maxSeqLen);
    const config: BertConfig = {
      ...c,
      numHiddenLayers: init.layers ?? c.numHiddenLayers,
      hiddenSize: init.hidden ?? c.hiddenSize,
      numAttentionHeads: init.heads ?? c.numAttentionHeads,
      intermediateSize: init.intermediate ?? c.intermediateSize,
    };
    return BertForMaskedLM.create(config, seed);
  }

  private async train(
    kind: TrainingStage,
    n: RecipeNode,
    student: BertForMaskedLM,
    teacher: BertForMaskedLM | undefined,
    st: NodeState,
    ctx: RunContext,
  ): Promise<{ model: BertForMaskedLM; state: NodeState; cancelled: boolean }> {
    const { storage } = this.opts;
    const { signal } = ctx;
    const config = stageConfigOf(kind, n.config);
    const examples = this.examples(ctx);
    let resume: TrainState | undefined;
    try {
      resume = await loadTrainState<TrainState>(storage, n.id);
    } catch (e) {
      this.log('warn', `node '${n.id}': its train-state checkpoint is unreadable (${(e as Error).message}); starting the stage over`);
    }
    const history: HistoryPoint[] = resume ? (await readHistory(storage, n.id)).filter((p) => p.step <= resume!.step) : [];
    if (resume) {
      this.log('info', `node '${n.id}': resuming ${kind} from step ${resume.step} of ${resume.totalSteps}`);
      st = { ...st, resumes: (st.resumes ?? 0) + 1 };
    }
    const t0 = Date.now();
    const sample = this.trainingSampler(n, student, ctx);
    const onStep = (e: StepEvent): void | Promise<void> => {
      appendHistory(history, { step: e.step, epoch: e.epoch, loss: e.loss, lr: e.lr, terms: e.terms });
      this.emit({
        type: 'step',
        nodeId: n.id,
        stage: kind,
        step: e.step,
        totalSteps: e.totalSteps,
        epoch: e.epoch,
        loss: e.loss,
        terms: e.terms,
        lr: e.lr,
        examplesPerSec: e.examplesPerSec,
        elapsedMs: e.elapsedMs,
        etaMs: e.etaMs,
      });
      // trainStage awaits this between steps: the update is applied and no gradient tape is open
      if (sample && e.step % sample.every === 0 && e.step < e.totalSteps) return sample.run(e.step);
    };
    const onCheckpoint = async (s: TrainState) => {
      await saveTrainState(storage, n.id, s);
      await saveHistory(storage, n.id, history);
      await writeState(storage, { ...st, steps: s.step, totalSteps: s.totalSteps, trainMs: (st.trainMs ?? 0) + (Date.now() - t0) });
    };
    try {
      const result = await trainStage({ kind, student, teacher, examples, config, resume, signal, onStep, onCheckpoint });
      await saveHistory(storage, n.id, history);
      const state: NodeState = { ...st, steps: result.step, totalSteps: result.totalSteps, finalLoss: result.lastLoss };
      return { model: student, state, cancelled: result.status === 'cancelled' };
    } catch (e) {
      await saveHistory(storage, n.id, history).catch(() => undefined);
      student.dispose();
      throw e;
    }
  }

  /**
   * Samples during training (eval.sampleEverySteps): greedy questions for the first eval.samples test items from
   * `model` (the one being trained, in place), sent as a 'samples' event. Undefined when off. A failure is logged
   * once and turns sampling off for the rest of the stage; it never fails the training.
   */
  private trainingSampler(
    n: RecipeNode,
    model: BertForMaskedLM,
    { evalOpts, limits, signal }: RunContext,
  ): { every: number; run: (step: number) => Promise<void> } | undefined {
    const { tokenizer, test } = this.opts;
    const every = evalOpts.sampleEverySteps ?? DEFAULT_SAMPLE_EVERY_STEPS;
    // the same items as the samples after the evaluation: the first `samples` of the first `limit`
    const k = Math.min(evalOpts.samples ?? DEFAULT_EVAL_SAMPLES, evalOpts.limit ?? Infinity, test.length);
    if (!(every > 0) || !(k > 0)) return undefined;
    const items = test.slice(0, k);
    let encoded: EncodedItem[] | undefined;
    let off = false;
    return {
      every,
      run: async (step) => {
        if (off || signal?.aborted) return;
        try {
          encoded ??= items.map((it) => predictionContext(tokenizer, it, limits));
          // generateQuestions runs the model with training: false (no dropout), each batch in tf.tidy
          const generated = await generateQuestions(model, tokenizer, encoded, {
            strategy: 'greedy',
            maxLen: limits.maxQuestionLen,
            batchSize: k,
          });
          this.emit({
            type: 'samples',
            nodeId: n.id,
            step,
            samples: items.map((it, i) => ({ id: it.id, reference: it.question, generated: generated[i]!.text })),
          });
        } catch (e) {
          off = true;
          this.log('warn', `node '${n.id}': generating samples at step ${step} failed (${(e as Error).message}); no more samples during this stage`);
        }
      },
    };
  }

  private async evaluateNode(n: RecipeNode, step: number, { evalOpts, limits, signal }: RunContext): Promise<void> {
    const { storage, tokenizer, test } = this.opts;
    if (test.length === 0) {
      this.log('warn', `node '${n.id}': no test items, not evaluated`);
      return;
    }
    const model = await this.getModel(n.id);
    const result = await evaluate(model, tokenizer, test, { ...evalOpts, limits, signal });
    await saveEval(storage, n.id, result);
    this.emit({ type: 'eval', nodeId: n.id, result });
    const k = evalOpts.samples ?? DEFAULT_EVAL_SAMPLES;
    if (k > 0)
      this.emit({
        type: 'samples',
        nodeId: n.id,
        step,
        samples: result.questions.slice(0, k).map(({ id, reference, generated }) => ({ id, reference, generated })),
      });
  }
}


/** 32-bit FNV-1a of a string, as 8 hex digits. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function baseState(n: RecipeNode): NodeState {
  return { id: n.id, stage: n.stage, parent: n.parent, config: n.config, status: 'queued' };
}

function rootTeacher(n: RecipeNode, byId: Map<string, RecipeNode>): string | undefined {
  const seen = new Set<string>();
  let cur: RecipeNode | undefined = n;
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    if (cur.stage === 'teacher') return cur.id;
    cur = cur.parent !== null ? byId.get(cur.parent) : undefined;
  }
  return undefined;
}

function describeError(n: RecipeNode, e: unknown): string {
  if (e instanceof NonFiniteLossError)
    return `node '${n.id}' (${n.stage}) failed: ${e.message}. The last good checkpoint is kept; lower the learning rate or check the data.`;
  return `node '${n.id}' (${n.stage}) failed: ${e instanceof Error ? e.message : String(e)}`;
}

export { abortError };
