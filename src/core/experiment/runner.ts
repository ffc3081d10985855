// ExperimentRunner: runs a recipe's nodes parents-first against a RunStorage. What each stage does comes from the
// stage registry (src/core/lab/stages/); the runner owns the order, the records, checkpoints and evaluation.
// - a node whose record is 'done' (same resolved config, same inputs, same ancestry) is kept; a changed node is
//   redone with its subtree. A done node whose raw config is unchanged but which today's defaults would resolve
//   differently was made under older defaults: it is kept and its record says which fields differ (olderDefaults)
// - an interrupted training stage resumes from its train-state checkpoint (weights + optimizer + step + RNG)
// - a failing node stops with its error (a NaN/Inf loss names the step); its last good checkpoint stays, its
//   descendants are marked skipped, other branches still run; a failed evaluation fails the node
// - an AbortSignal stops the run between steps; the running node is marked cancelled and resumes next time
// - every model-producing node is evaluated on the test items (eval.json + an 'eval' event, scores in the record)
// - every write of a node's record is also sent as a 'record' event, so listeners hold the same record
import type { QgItem } from '../data/drcd';
import { DEFAULT_SQG_LIMITS, describeContextCut, type ContextCutReport, type SqgLimits } from '../data/sqgExamples';
import type { SqgExampleSet } from '../data/sqgExampleSet';
import { defaultHeldOutCount, holdOutItems } from '../data/heldOut';
import { prepareExampleSet } from '../data/sqgExampleStore';
import type { BertConfig } from '../model/bertConfig';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import { countParameters } from '../model/parameterCount';
import type { StateTensor } from '../model/stateDict';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import { trainStage } from '../training/trainStage';
import type { StepEvent } from '../training/stepEvent';
import type { LazyTrainState, TrainState } from '../training/trainState';
import { appendHistory, type HistoryPoint, type ValidationPoint } from '../lab/history';
import type { NodeRecord, NodeStatus } from '../lab/nodeRecord';
import { stamp } from '../lab/records/recordSchema';
import { RECIPE_SCHEMA } from '../lab/records/schemas';
import { RunFailure } from '../lab/runFailure';
import { stageOf } from '../lab/stages/registry';
import type { ProduceContext, StageOutcome } from '../lab/stages/stageDefinition';
import { indexById, rootOf } from '../lab/tree';
import {
  clearNode,
  clearTrainState,
  hasModel,
  loadModel,
  loadTrainState,
  nodeKey,
  readEval,
  readHistoryFile,
  readState,
  saveEval,
  saveHistory,
  saveModel,
  saveTrainState,
  writeState,
} from './checkpoints';
import { abortError, evalModesFor, evaluate, type EvaluationResult } from './evaluate';
import { describeTiming, fewQuestionsNote } from './evalFacts';
import { makeValidator } from './validation';
import type { LabEvent } from './events';
import { DEFAULT_EVAL_SAMPLES, DEFAULT_VALIDATION_ITEMS, orderNodes, validateRecipe, type Recipe, type RecipeEvalOptions, type RecipeNode } from './recipe';
import type { RunStorage } from './storage';
import type { RunThreads } from './runThreads';
import { fnv1a, judgeStoredNode, stableJson } from './staleness';
import { describeDataReport, describeNodeError, describeNodeResult } from './runMessages';
import { trainingSampler } from './trainingSampler';
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
  /** the TF.js backend the run uses, recorded on each node it trains */
  backend?: string;
  /**
   * Worker threads that training steps and evaluations are split over (`qglab run --threads N`); absent: all here.
   * A step then runs as micro-batches, one share per thread (the same update as one thread with those micro-batches).
   */
  threads?: RunThreads;
}

/** The outcome of one node, as run() returns it and summaryTable() prints it. */
export interface NodeResult {
  id: string;
  stage: RecipeNode['stage'];
  parent: string | null;
  status: NodeStatus;
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
  recipe: Recipe;
  byId: Map<string, RecipeNode>;
  /** fingerprint of the data options, vocabulary and training items */
  inputs: string;
  limits: SqgLimits;
  policy: 'skip' | 'window';
  maxTrainItems?: number;
  /** the training items after the held-out ones are taken out */
  train: QgItem[];
  /** the validation curve's held-out items (data.validationItems as resolved) */
  heldOut: QgItem[];
  evalOpts: RecipeEvalOptions;
  signal?: AbortSignal;
}

const isAbort = (e: unknown) => e instanceof Error && e.name === 'AbortError';

export class ExperimentRunner {
  private readonly opts: RunnerOptions;
  private readonly models = new Map<string, BertForMaskedLM>();
  private examplesCache?: { key: string; examples: SqgExampleSet };
  /** the last record written of each node (a stage that throws still leaves its checkpoint's steps and resumes) */
  private readonly latest = new Map<string, NodeRecord>();

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

  /** Writes the node's record and sends it as a 'record' event. */
  private async save(record: NodeRecord): Promise<NodeRecord> {
    await writeState(this.opts.storage, record);
    this.latest.set(record.id, record);
    this.emit({ type: 'record', record });
    return record;
  }

  private async setStatus(record: NodeRecord, status: NodeStatus, extra: Partial<NodeRecord> = {}): Promise<NodeRecord> {
    const r: NodeRecord = { ...record, ...extra, status };
    if (status !== 'failed' && status !== 'skipped' && extra.error === undefined) delete r.error;
    await this.save(r);
    this.emit({ type: 'node', nodeId: r.id, status, ...(r.error !== undefined ? { error: r.error } : {}) });
    return r;
  }

  async run(recipeJson: Recipe | unknown, signal?: AbortSignal): Promise<RunSummary> {
    const recipe = validateRecipe(recipeJson);
    const { storage } = this.opts;
    const order = orderNodes(recipe);
    const byId = new Map(recipe.nodes.map((n) => [n.id, n] as const));
    const { policy = 'skip', maxTrainItems, validationItems, ...limitOverrides } = recipe.data ?? {};
    const { train, heldOut } = holdOutItems(this.opts.train, await this.heldOutCount(order, validationItems));
    if (heldOut.length > 0)
      this.log(
        'info',
        `validation: ${heldOut.length} of the ${this.opts.train.length} training items are held out of training for the validation curve (drawn from the training split, which has no dev part; never from the test split)`,
      );
    // what every trained model depends on besides its config: data options, vocabulary, training items (the held-out
    // items are in it through the training items: validationItems 0 and unset-resolving-to-0 train the same model)
    const { validationItems: _v, ...dataOptions } = recipe.data ?? {};
    const inputs = fnv1a(
      [stableJson(dataOptions), this.opts.tokenizer.vocab.join('\n'), train.map((t) => t.id).join('\n')].join('\u0000'),
    );
    const ctx: RunContext = {
      recipe,
      byId,
      inputs,
      limits: { ...DEFAULT_SQG_LIMITS, ...limitOverrides },
      policy,
      maxTrainItems,
      train,
      heldOut,
      evalOpts: { ...recipe.eval, ...this.opts.eval },
      signal,
    };
    await storage.putJson('recipe.json', stamp(RECIPE_SCHEMA, recipe));
    const depsOf = (n: RecipeNode) => stageOf(n.stage).dependencies(n, byId);

    // Decide what is already done; a node whose resolved config, inputs or ancestry changed is redone, with
    // everything below it.
    const records = new Map<string, NodeRecord>();
    const stored = new Map<string, NodeRecord | undefined>();
    const redo = new Set<string>();
    const now = Date.now();
    for (const [i, n] of order.entries()) {
      let st = await readState(storage, n.id);
      stored.set(n.id, st && { ...st });
      const resolved = stageOf(n.stage).resolve(n.config as Record<string, unknown>);
      const verdict = judgeStoredNode(st, n, resolved, inputs, depsOf(n).some((d) => redo.has(d)));
      if (verdict.message) this.log(verdict.level ?? 'info', verdict.message);
      if (verdict.action === 'redo') {
        await clearNode(storage, n.id);
        st = undefined;
      } else st = verdict.record;
      const rec: NodeRecord = st ?? {
        schemaVersion: 2,
        id: n.id,
        stage: n.stage,
        parent: n.parent,
        config: n.config as Record<string, unknown>,
        label: stageOf(n.stage).label(n.config as Record<string, unknown>),
        createdAt: now + i,
        status: 'queued',
      };
      rec.resolved ??= resolved;
      if (recipe.name !== undefined) rec.runName ??= recipe.name;
      rec.data ??= recipe.data;
      rec.eval ??= recipe.eval;
      if (rec.status !== 'done') redo.add(n.id);
      records.set(n.id, rec);
    }
    for (const n of order) {
      const rec = records.get(n.id)!;
      if (rec.status !== 'done') records.set(n.id, await this.setStatus(rec, 'queued', { inputs, heldOut: heldOut.length }));
      else if (stableJson(rec) !== stableJson(stored.get(n.id))) await this.save(rec); // a finished node's files stay untouched
      else this.emit({ type: 'record', record: rec });
    }

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
        let rec = records.get(n.id)!;
        const blocker = depsOf(n).find((d) => records.get(d)?.status !== 'done');
        if (blocker !== undefined) {
          const why = `skipped: ${blocker === n.parent ? 'parent' : 'teacher'} '${blocker}' is ${records.get(blocker)?.status ?? 'not done'}`;
          records.set(n.id, await this.setStatus(rec, 'skipped', { error: why }));
        } else {
          rec = await this.runNode(n, rec, ctx);
          if (rec.status === 'done' && !(await readEval(storage, n.id))) {
            try {
              rec = await this.evaluateNode(n, rec, ctx);
            } catch (e) {
              if (isAbort(e)) cancelled = true;
              else {
                const message = `node '${n.id}': evaluation failed: ${(e as Error).message}`;
                this.log('error', message);
                rec = await this.setStatus(rec, 'failed', { error: message });
              }
            }
          }
          if (rec.status === 'done' && records.get(n.id)?.status !== 'done') this.log('info', describeNodeResult(rec, records.get(rootOf(byId, n.id)?.id ?? '')));
          records.set(n.id, rec);
          if (rec.status === 'cancelled' || cancelled) {
            cancelled = true;
            break;
          }
        }
        for (const d of depsOf(n)) release(d);
        if ((needs.get(n.id) ?? 0) <= 0) this.dropModel(n.id);
      }
    } finally {
      for (const id of [...this.models.keys()]) this.dropModel(id);
    }

    const recordIndex = indexById(recipe.nodes);
    const nodes: NodeResult[] = [];
    for (const n of recipe.nodes) {
      const st = records.get(n.id);
      const ev = await readEval(storage, n.id);
      const root = rootOf(recordIndex, n.id);
      nodes.push({
        id: n.id,
        stage: n.stage,
        parent: n.parent,
        status: st?.status ?? 'queued',
        ...(st?.error ? { error: st.error } : {}),
        ...(ev ? { eval: ev } : {}),
        ...(root?.stage === 'teacher' ? { reference: root.id } : {}),
      });
    }
    const summary: RunSummary = { ...(recipe.name ? { name: recipe.name } : {}), cancelled, nodes };
    await storage.putJson('summary.json', summary);
    return summary;
  }

  /**
   * Training items held out for the validation curve: data.validationItems when set; else what the tree's stored
   * trained nodes were trained with (none for nodes trained before held-out validation existed: holding items out
   * would change their training data and retrain them); else the default (16, at most a tenth of the items).
   */
  private async heldOutCount(order: RecipeNode[], wanted: number | undefined): Promise<number> {
    if (wanted !== undefined) return wanted;
    for (const n of order) {
      const st = await readState(this.opts.storage, n.id).catch(() => undefined);
      if (!st || !(st.steps && st.steps > 0)) continue;
      if (st.heldOut === undefined)
        this.log(
          'info',
          `validation: data.validationItems is not set and node '${n.id}' was trained on every training item (before held-out validation existed), so none are held out and no validation curve is drawn; set data.validationItems to get one (the tree then trains again)`,
        );
      return st.heldOut ?? 0;
    }
    return defaultHeldOutCount(this.opts.train.length, DEFAULT_VALIDATION_ITEMS);
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

  /**
   * The run's training examples, built on demand from compactly encoded items (a paragraph's context once, typed
   * arrays): DRCD train's ~350,000 examples as JS arrays would take GBs. Items the limits drop, or cut to a window,
   * are counted by reason in the log.
   */
  private examples({ limits, policy, maxTrainItems, train, heldOut }: RunContext): SqgExampleSet {
    const key = `${stableJson(limits)}|${policy}|${maxTrainItems}|${heldOut.length}`;
    if (this.examplesCache?.key === key) return this.examplesCache.examples;
    const items = maxTrainItems !== undefined ? train.slice(0, maxTrainItems) : train;
    const { set, report } = prepareExampleSet(this.opts.tokenizer, items, limits, policy);
    this.log('info', describeDataReport(report));
    if (set.size === 0) throw new Error('no training examples: every training item was skipped (see the log)');
    this.examplesCache = { key, examples: set };
    return set;
  }

  /** Runs one node's stage (or finds it done); returns its final record. Never throws except on storage errors. */
  private async runNode(n: RecipeNode, prev: NodeRecord, ctx: RunContext): Promise<NodeRecord> {
    const { storage, tokenizer } = this.opts;
    if (prev.status === 'done') return prev;
    const t0 = Date.now();
    let rec = await this.setStatus(prev, 'running', {
      inputs: ctx.inputs,
      startedAt: prev.startedAt ?? t0,
      ...(this.opts.backend ? { backend: this.opts.backend } : {}),
    });
    // training time of earlier attempts (up to their last checkpoint) + this attempt's; `rec.trainMs` itself moves
    // with each checkpoint of this attempt, so it is not the base
    const trainBase = prev.trainMs ?? 0;
    const elapsed = () => trainBase + (Date.now() - t0);

    let model: BertForMaskedLM | undefined;
    try {
      // A model saved by an attempt that stopped before writing 'done' is complete (the record is written last).
      const saved = await storage.getJson<{ state: NodeRecord }>(nodeKey(n.id, 'model.complete.json'));
      if (saved && (await hasModel(storage, n.id))) {
        model = await loadModel(storage, n.id);
        rec = { ...rec, ...saved.state, status: 'running' };
        this.log('info', `node '${n.id}': its model was saved before the run stopped; not training it again`);
      } else {
        const r = await stageOf(n.stage).produce(this.produceContext(n, rec, ctx));
        rec = r.record;
        model = r.model;
        if (r.cancelled) {
          model.dispose();
          model = undefined;
          const failure = ctx.signal?.reason instanceof RunFailure ? ctx.signal.reason : undefined;
          if (failure) {
            const message = describeNodeError(n, failure);
            this.log('error', message);
            return await this.setStatus(rec, 'failed', { trainMs: elapsed(), finishedAt: Date.now(), error: message });
          }
          return await this.setStatus(rec, 'cancelled', { trainMs: elapsed() });
        }
        await saveModel(storage, n.id, model, tokenizer);
        // marks the model files complete (with what the stage produced) in case the run stops before 'done'
        await storage.putJson(nodeKey(n.id, 'model.complete.json'), { savedAt: Date.now(), state: rec });
      }
      const c = model.config;
      rec = await this.setStatus(rec, 'done', {
        finishedAt: Date.now(),
        trainMs: elapsed(),
        model: { layers: c.numHiddenLayers, hiddenSize: c.hiddenSize, parameters: countParameters(c), vocabSize: c.vocabSize },
      });
      await clearTrainState(storage, n.id);
      this.models.set(n.id, model);
      return rec;
    } catch (e) {
      model?.dispose();
      // an abort whose reason is a RunFailure (a lost GPU device) fails the node instead of cancelling it
      const failure = ctx.signal?.reason instanceof RunFailure ? ctx.signal.reason : undefined;
      // a real error while a cancel was pending (e.g. the final checkpoint could not be written) fails the node: calling
      // it cancelled would hide that its checkpoint is missing
      const cancelled = !failure && isAbort(e);
      const message = cancelled ? undefined : describeNodeError(n, failure ?? e);
      if (message) this.log('error', message);
      return await this.setStatus(this.latest.get(n.id) ?? rec, cancelled ? 'cancelled' : 'failed', {
        finishedAt: Date.now(),
        trainMs: elapsed(),
        ...(message ? { error: message } : {}),
      });
    }
  }

  private produceContext(n: RecipeNode, record: NodeRecord, ctx: RunContext): ProduceContext {
    return {
      node: n,
      byId: ctx.byId,
      record,
      tokenizer: this.opts.tokenizer,
      limits: ctx.limits,
      base: this.opts.base,
      getModel: (id) => this.getModel(id),
      train: (kind, student, teacher, rec) => this.train(kind, n, student, teacher, rec, ctx),
      log: (level, message) => this.log(level, message),
    };
  }

  /** The threads work is split over, when there is more than one. */
  private get threads(): RunThreads | undefined {
    const t = this.opts.threads;
    return t && t.count > 1 ? t : undefined;
  }

  private async train(
    kind: TrainingStage,
    n: RecipeNode,
    student: BertForMaskedLM,
    teacher: BertForMaskedLM | undefined,
    rec: NodeRecord,
    ctx: RunContext,
  ): Promise<StageOutcome> {
    const { storage } = this.opts;
    const { signal } = ctx;
    let resume: TrainState | undefined;
    let config;
    let examples: SqgExampleSet;
    try {
      config = stageConfigOf(kind, n.config);
      const threads = this.threads;
      if (threads) {
        config = { ...config, microBatchSize: threads.microBatchSize(config.batchSize, config.microBatchSize) };
        this.log('info', `node '${n.id}': training steps on ${threads.count} threads (micro-batches of ${config.microBatchSize} rows)`);
      }
      examples = this.examples(ctx);
      try {
        const tRead = Date.now();
        resume = await loadTrainState<TrainState>(storage, n.id, () => this.log('info', `node '${n.id}': reading its train-state checkpoint…`));
        if (resume) this.log('info', `node '${n.id}': checkpoint read in ${((Date.now() - tRead) / 1000).toFixed(1)} s`);
      } catch (e) {
        this.log('warn', `node '${n.id}': its train-state checkpoint is unreadable (${(e as Error).message}); starting the stage over`);
      }
    } catch (e) {
      student.dispose();
      throw e;
    }
    const stored = resume ? await readHistoryFile(storage, n.id) : { points: [], validation: [] };
    const history: HistoryPoint[] = stored.points.filter((p) => p.step <= resume!.step);
    const validation: ValidationPoint[] = stored.validation.filter((p) => p.step <= resume!.step);
    const validator = makeValidator({
      nodeId: n.id,
      stage: kind,
      model: student,
      tokenizer: this.opts.tokenizer,
      heldOut: ctx.heldOut,
      limits: ctx.limits,
      policy: ctx.policy,
      evalOpts: ctx.evalOpts,
      batchSize: config.microBatchSize > 0 ? config.microBatchSize : config.batchSize,
      signal,
      emit: (e) => this.emit(e),
      log: (level, m) => this.log(level, m),
    });
    const lastValidation = () => {
      const v = validation[validation.length - 1];
      return v ? { validationLoss: { step: v.step, loss: v.loss, examples: v.examples } } : {};
    };
    if (resume) {
      this.log('info', `node '${n.id}': resuming ${kind} from step ${resume.step} of ${resume.totalSteps}`);
      rec = await this.save({ ...rec, resumes: (rec.resumes ?? 0) + 1 });
    }
    const t0 = Date.now();
    const trainBase = rec.trainMs ?? 0;
    const sample = trainingSampler({
      nodeId: n.id,
      model: student,
      tokenizer: this.opts.tokenizer,
      test: this.opts.test,
      evalOpts: ctx.evalOpts,
      limits: ctx.limits,
      signal: ctx.signal,
      emit: (e) => this.emit(e),
      log: (m) => this.log('warn', m),
    });
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
      const sampling = sample && e.step % sample.every === 0 && e.step < e.totalSteps;
      const validating = validator?.due(e.step, e.totalSteps) === true;
      if (!sampling && !validating) return;
      return (async () => {
        if (sampling) await sample.run(e.step);
        if (validating && !signal?.aborted) {
          const p = await validator.run(e.step, e.totalSteps);
          if (p) validation.push(p);
        }
      })();
    };
    const onCheckpointLazy = async (s: LazyTrainState) => {
      await saveTrainState(storage, n.id, s);
      await saveHistory(storage, n.id, history, validation);
      rec = await this.save({ ...rec, ...lastValidation(), steps: s.step, totalSteps: s.totalSteps, trainMs: trainBase + (Date.now() - t0) });
    };
    try {
      const result = await trainStage({ kind, student, teacher, examples, config, resume, signal, onStep, onCheckpointLazy, gradientsOf: this.threads?.gradientsOf });
      await saveHistory(storage, n.id, history, validation);
      const record: NodeRecord = { ...rec, ...lastValidation(), steps: result.step, totalSteps: result.totalSteps, lastLoss: result.lastLoss };
      // A cancel that arrives after the last step (e.g. during the final checkpoint) still cancels: the checkpoint
      // at the last step is kept, and a resume only loads it and saves the model.
      return { model: student, record, cancelled: result.status === 'cancelled' || signal?.aborted === true };
    } catch (e) {
      await saveHistory(storage, n.id, history, validation).catch(() => undefined);
      student.dispose();
      throw e;
    }
  }

  private async evaluateNode(n: RecipeNode, rec: NodeRecord, { evalOpts, limits, signal, recipe }: RunContext): Promise<NodeRecord> {
    const { storage, tokenizer, test } = this.opts;
    if (evalOpts.limit === 0) {
      this.log('info', `node '${n.id}': not evaluated (eval.limit is 0)`);
      return rec;
    }
    if (test.length === 0) {
      this.log('warn', `node '${n.id}': no test items, not evaluated`);
      return rec;
    }
    // the prompt cut and the reference scoring: the recipe's, else what the tree's teacher was evaluated with
    const root = rootOf(indexById(recipe.nodes), n.id);
    const refId = root && root.id !== n.id && root.stage === 'teacher' ? root.id : undefined;
    const modes = evalModesFor(evalOpts, refId !== undefined ? await readEval(storage, refId) : undefined);
    for (const k of modes.inherited)
      this.log('info', `node '${n.id}': eval.${k} is not set; using '${modes[k]}' as teacher '${refId}' was evaluated, so the two compare`);
    for (const k of modes.differs)
      this.log(
        'warn',
        `node '${n.id}': eval.${k} '${modes[k]}' differs from its teacher '${refId}''s stored evaluation; its % of the teacher compares different settings`,
      );
    const model = await this.getModel(n.id);
    const generator = await this.threads?.generatorFor(model);
    let result: EvaluationResult;
    try {
      result = await evaluate(model, tokenizer, test, {
        ...evalOpts,
        limits,
        signal,
        context: modes.context,
        normalize: modes.normalize,
        onProgress: (p) => this.emit({ type: 'evalProgress', nodeId: n.id, ...p }),
        ...(generator ? { generate: generator.generate } : {}),
      });
    } finally {
      await generator?.close();
    }
    await saveEval(storage, n.id, result);
    const cut = result.contextCut as ContextCutReport;
    this.log(
      'info',
      `node '${n.id}': ${describeContextCut(cut)}; references scored ${result.normalize === 'bert' ? `through the tokenizer ('bert': ${result.normalizedReferences} of ${result.n} changed)` : "raw ('none')"}`,
    );
    rec = await this.save({
      ...rec,
      scores: { ...result.metrics },
      genTotalMs: result.genTimeMs,
      genMsPerQuestion: result.genTiming.median,
      genTiming: result.genTiming,
      evalCount: result.n,
      evalSetup: { normalize: result.normalize, normalizedReferences: result.normalizedReferences, contextCut: cut },
    });
    this.log('info', `node '${n.id}': generation ${describeTiming(result.genTiming)}`);
    const few = fewQuestionsNote(result.n);
    // info, not warn: every tiny or sample run has few test questions; Compare and the node panel show the warning
    if (few) this.log('info', `node '${n.id}': ${few}`);
    this.emit({ type: 'eval', nodeId: n.id, result });
    const k = evalOpts.samples ?? DEFAULT_EVAL_SAMPLES;
    if (k > 0)
      this.emit({
        type: 'samples',
        nodeId: n.id,
        step: rec.steps ?? 0,
        samples: result.questions.slice(0, k).map(({ id, reference, generated }) => ({ id, reference, generated })),
      });
    return rec;
  }
}

export { abortError };
