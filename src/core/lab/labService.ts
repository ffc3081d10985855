// The lab core: what the browser worker (and tests) do with the lab, over any RunStorage — datasets and base models
// loaded once and persisted, recipes run into the tree, the node index, node details, export, branch deletion and
// storage usage. workers/labWorker.ts is comlink wiring around this class with IndexedDB storage and the backend
// choice; the command line uses the same inputs rules (inputs/, runInputs.ts) with file storage.
import { zipSync } from 'fflate';
import { DatasetError } from '../data/drcd';
import { sqgItemLengths, sqgReportFromLengths, type SqgItemLengths } from '../data/sqgExampleStore';
import type { SqgLimits, SqgPolicy } from '../data/sqgExamples';
import { hasModel, loadModel, nodeKey, readEval, readHistory, readValidation } from '../experiment/checkpoints';
import { configJsonWithDropout } from '../experiment/modelFiles';
import type { LabEvent } from '../experiment/events';
import { ExperimentRunner } from '../experiment/runner';
import { validateRecipe, type Recipe } from '../experiment/recipe';
import type { RunStorage } from '../experiment/storage';
import { BASE_MODEL_FILES, baseModelFromFiles, baseTokenizerFromFiles, type BaseModelSummary, type LoadedBase } from './inputs/baseModelInput';
import { datasetFromBytes, sampleDataset, type LoadedDataset } from './inputs/datasetInput';
import { isSampleVersion } from '../data/sampleDataset';
import { formatBytes } from './formatBytes';
import { LAB_KEYS, RUN_PREFIX } from './labLayout';
import { planRun } from './runPlan';
import type { DataReport, RunPlan, ExportResult, LabSnapshot, LoadDatasetResult, LoadModelResult, ModelFile, NodeDetail, RunOutcome, StorageUsage } from './labContract';
import { listNodeRecords, nodeRecordOf } from './nodeIndex';
import type { NodeRecord } from './nodeRecord';
import { PrefixedStorage } from './prefixedStorage';
import { migrate, stamp } from './records/recordSchema';
import { BASE_SUMMARY_SCHEMA, DATASET_SUMMARY_SCHEMA } from './records/schemas';
import { needsBaseModel, resolveRunTokenizer } from './runInputs';
import { resolveTokenizer } from './inputs/tokenizerRule';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { isOutOfMemory, outOfMemoryHint, RunFailure } from './runFailure';
import { stageOf } from './stages/registry';
import { descendants, indexById, lineage } from './tree';
import type { QgItem } from '../data/drcd';
import {
  PlaygroundError,
  PlaygroundModels,
  modelFacts,
  nodePromptSettings,
  playgroundPrompt,
  timedQuestion,
  warmUp,
  type PlaygroundDecode,
  type PlaygroundInput,
  type PlaygroundResult,
} from './playground';

/** A key-value store the lab can also size without reading its values. */
export interface LabStore extends RunStorage {
  /** [key, bytes] of every stored entry, from metadata (no value is read) */
  keySizes(): Promise<[string, number][]>;
}

/** The browser's StorageManager, or nothing (Node). */
export interface StorageManagerLike {
  estimate?(): Promise<{ usage?: number; quota?: number }>;
  persisted?(): Promise<boolean>;
}

export interface LabServiceOptions {
  store: LabStore;
  storageManager?: StorageManagerLike;
  /** turns a storage error into the message the user sees (e.g. a full quota) */
  describeError?: (e: unknown) => string;
}

/** How often (ms) events are sent to the page: the one place they are batched. */
export const EVENT_FLUSH_MS = 150;

/**
 * Events sent at once, with the batch before them: a node's status, its record, a log line. The timer alone would
 * hold them through synchronous work (building the examples, the model, the first step's kernels, tens of seconds at
 * full size): the page showed a training node as queued and said nothing until the first step.
 */
const sendsNow = (e: LabEvent) => e.type === 'node' || e.type === 'record' || e.type === 'log';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class LabService {
  readonly run: RunStorage;
  private readonly store: LabStore;
  private dataset: LoadedDataset | null = null;
  private base: LoadedBase | null = null;
  private abort: AbortController | null = null;
  private readonly active = new Set<string>();
  /** token lengths of the training items, per dataset and tokenizer (the Data screen re-counts as limits change) */
  private lengths?: { key: string; lengths: SqgItemLengths };
  /** the playground's last loaded node models (a teacher and a student side by side), by node id and finish time */
  private readonly playgroundModels = new PlaygroundModels(2);

  constructor(private readonly opts: LabServiceOptions) {
    this.store = opts.store;
    this.run = new PrefixedStorage(opts.store, RUN_PREFIX);
  }

  get running(): boolean {
    return this.abort !== null;
  }

  private describe(e: unknown): string {
    return this.opts.describeError?.(e) ?? errText(e);
  }

  async snapshot<B>(backend: B | null): Promise<LabSnapshot<B>> {
    const ds = await this.store.getJson<unknown>(LAB_KEYS.datasetSummary);
    const bm = await this.store.getJson<unknown>(LAB_KEYS.baseSummary);
    return {
      backend,
      dataset: ds === undefined ? null : migrate(DATASET_SUMMARY_SCHEMA, ds, LAB_KEYS.datasetSummary),
      baseModel: bm === undefined ? null : migrate(BASE_SUMMARY_SCHEMA, bm, LAB_KEYS.baseSummary),
      nodes: await this.listNodes(),
    };
  }

  // ---- dataset ----
  async loadDataset(bytes: Uint8Array, name: string): Promise<LoadDatasetResult> {
    let loaded: LoadedDataset;
    try {
      loaded = datasetFromBytes(bytes, name);
    } catch (e) {
      if (e instanceof DatasetError) {
        const first = e.problems[0];
        return { ok: false, error: { path: first?.path ?? '', reason: first?.message ?? e.message, message: e.message } };
      }
      return { ok: false, error: { path: '', reason: errText(e), message: errText(e) } };
    }
    try {
      await this.store.putBytes(LAB_KEYS.datasetBytes, bytes);
      await this.store.putJson(LAB_KEYS.datasetSummary, stamp(DATASET_SUMMARY_SCHEMA, loaded.summary));
    } catch (e) {
      return { ok: false, error: { path: '', reason: this.describe(e), message: '' } };
    }
    this.dataset = loaded;
    return { ok: true, dataset: loaded.summary };
  }

  async loadSampleDataset(): Promise<LoadDatasetResult> {
    const loaded = sampleDataset();
    await this.store.deletePrefix(LAB_KEYS.datasetBytes);
    await this.store.putJson(LAB_KEYS.datasetSummary, stamp(DATASET_SUMMARY_SCHEMA, loaded.summary));
    this.dataset = loaded;
    return { ok: true, dataset: loaded.summary };
  }

  private async ensureDataset(): Promise<LoadedDataset> {
    if (this.dataset) return this.dataset;
    const raw = await this.store.getJson<unknown>(LAB_KEYS.datasetSummary);
    if (raw === undefined) throw new Error('no dataset loaded: upload one or use the sample on the Data screen');
    const summary = migrate(DATASET_SUMMARY_SCHEMA, raw, LAB_KEYS.datasetSummary);
    // the sample version this lab loaded (and trained on): a summary saved before versions had version 1
    if (summary.isSample) this.dataset = { ...sampleDataset(undefined, isSampleVersion(summary.sampleVersion) ? summary.sampleVersion : 'synthetic-1'), summary };
    else {
      const bytes = await this.store.getBytes(LAB_KEYS.datasetBytes);
      if (!bytes) throw new Error('the saved dataset is missing from browser storage: upload it again');
      this.dataset = { ...datasetFromBytes(bytes, summary.name), summary };
    }
    return this.dataset;
  }

  // ---- base model ----
  async loadBaseModel(list: ModelFile[]): Promise<LoadModelResult> {
    const files = new Map<string, Uint8Array>();
    for (const f of list) {
      const base = (f.relativePath || f.name).split('/').pop()!;
      if ((BASE_MODEL_FILES as readonly string[]).includes(base)) files.set(base, new Uint8Array(f.bytes));
    }
    const folder = list.map((f) => f.relativePath ?? f.name).find((p) => p.includes('/'))?.split('/')[0] ?? 'uploaded model';
    let loaded: LoadedBase;
    try {
      loaded = baseModelFromFiles(files, folder);
    } catch (e) {
      return { ok: false, error: errText(e) };
    }
    // Refuse before anything is written when the browser will not grant the space; then write the new files under a
    // fresh prefix, the summary that points to them last, and only then drop the old model: a failure at any point
    // (a full quota) leaves the previous model as it was.
    let bytes = 0;
    for (const b of files.values()) bytes += b.byteLength;
    const est = await this.opts.storageManager?.estimate?.().catch(() => undefined);
    if (est?.quota !== undefined && bytes > est.quota - (est.usage ?? 0))
      return {
        ok: false,
        error: `${folder}: its files take ${formatBytes(bytes)} but the browser grants this lab only ${formatBytes(Math.max(0, est.quota - (est.usage ?? 0)))} more. Nothing was changed: delete branches you no longer need (or their resume checkpoints) and try again.`,
      };
    const prefix = `${LAB_KEYS.baseFiles}${Date.now().toString(36)}/`;
    const old = await this.baseFilesPrefix();
    try {
      for (const [name, b] of files) await this.store.putBytes(prefix + name, b);
      loaded.summary = { ...loaded.summary, filesPrefix: prefix };
      await this.store.putJson(LAB_KEYS.baseSummary, stamp(BASE_SUMMARY_SCHEMA, loaded.summary));
    } catch (e) {
      await this.store.deletePrefix(prefix).catch(() => undefined);
      return { ok: false, error: `${this.describe(e)} (the previous model is kept)` };
    }
    if (old !== undefined) await this.deleteBaseFiles(old, prefix);
    this.base = loaded;
    return { ok: true, model: loaded.summary };
  }

  /** Where the stored base model's files are (undefined when none is stored). */
  private async baseFilesPrefix(): Promise<string | undefined> {
    const raw = await this.store.getJson<unknown>(LAB_KEYS.baseSummary);
    return raw === undefined ? undefined : (migrate(BASE_SUMMARY_SCHEMA, raw, LAB_KEYS.baseSummary).filesPrefix ?? LAB_KEYS.baseFiles);
  }

  /** Deletes the files under `prefix` except those under `keep` (the old layout's prefix holds the new one). */
  private async deleteBaseFiles(prefix: string, keep?: string): Promise<void> {
    for (const key of await this.store.list(prefix)) if (!keep || !key.startsWith(keep)) await this.store.deletePrefix(key);
  }

  async clearBaseModel(): Promise<void> {
    this.base = null;
    await this.store.deletePrefix(LAB_KEYS.baseSummary);
    await this.store.deletePrefix(LAB_KEYS.baseFiles);
  }

  private async ensureBase(): Promise<LoadedBase> {
    if (this.base) return this.base;
    const stored = await this.storedBase();
    if (!stored) throw new Error('the teacher starts from a pretrained model, but none is loaded: upload one on the Model screen');
    const { summary, prefix } = stored;
    const files = new Map<string, Uint8Array>();
    for (const key of await this.store.list(prefix)) {
      const name = key.slice(prefix.length);
      const b = name.includes('/') ? undefined : await this.store.getBytes(key);
      if (b) files.set(name, b);
    }
    this.base = { ...baseModelFromFiles(files, summary.name), summary };
    return this.base;
  }

  /** The stored base model's summary and where its files are (none uploaded: undefined). */
  private async storedBase(): Promise<{ summary: BaseModelSummary; prefix: string } | undefined> {
    const raw = await this.store.getJson<unknown>(LAB_KEYS.baseSummary);
    if (raw === undefined) return undefined;
    const summary = migrate(BASE_SUMMARY_SCHEMA, raw, LAB_KEYS.baseSummary);
    return { summary, prefix: summary.filesPrefix ?? LAB_KEYS.baseFiles };
  }

  /** The base model's vocabulary without reading its weights (the loaded base's, when it is in memory already). */
  private async baseTokenizer(): Promise<{ tokenizer: BertTokenizer; source: string } | undefined> {
    if (this.base) return this.base.tokenizer ? { tokenizer: this.base.tokenizer, source: this.base.summary.name } : undefined;
    const stored = await this.storedBase();
    if (!stored) return undefined;
    const { summary, prefix } = stored;
    const files = new Map<string, Uint8Array>();
    for (const name of ['vocab.txt', 'tokenizer.json']) {
      const b = await this.store.getBytes(prefix + name);
      if (b) files.set(name, b);
    }
    const tokenizer = baseTokenizerFromFiles(files, summary.name, summary.vocabSize);
    return tokenizer ? { tokenizer, source: summary.name } : undefined;
  }

  // ---- data figures ----
  /**
   * What the BERT-SQG rules make of the loaded dataset's training items under these limits: items kept, skipped by
   * reason, windowed, and the number of examples — counted through the training code path, with the tokenizer a
   * run would use (the base model's when one is loaded, else a character vocabulary built from the data).
   */
  async dataReport(opts: { limits: SqgLimits; policy: SqgPolicy }): Promise<DataReport> {
    const data = await this.ensureDataset();
    const base = await this.baseTokenizer().catch(() => undefined);
    const { tokenizer, how } = resolveTokenizer({
      ...(base ? { base } : {}),
      items: data.all,
    });
    const key = `${data.summary.name}|${data.summary.loadedAt}|${how}`;
    if (this.lengths?.key !== key) this.lengths = { key, lengths: sqgItemLengths(tokenizer, data.train) };
    return { ...sqgReportFromLengths(this.lengths.lengths, opts.limits, opts.policy), tokenizer: how };
  }

  // ---- runs ----
  /** What a recipe runs on: the loaded dataset, the base model when a teacher needs it, and the vocabulary. */
  private async runInputs(recipe: Recipe) {
    const data = await this.ensureDataset();
    const base = needsBaseModel(recipe) ? await this.ensureBase() : undefined;
    const { tokenizer, how } = await resolveRunTokenizer({
      recipe,
      storage: this.run,
      items: data.all,
      ...(base ? { base: { tokenizer: base.tokenizer, name: base.summary.name } } : {}),
    });
    return { data, base, tokenizer, how };
  }

  /**
   * Runs a recipe into the tree; events go to `onEvents` in batches (every EVENT_FLUSH_MS). Running a recipe whose
   * nodes exist continues them: done nodes are kept, an interrupted one resumes from its last checkpoint.
   */
  async runRecipe(
    recipeIn: Recipe,
    onEvents: (events: LabEvent[]) => void,
    backend?: string,
    /** backends a failed run could resume on (shown with a lost device or out of memory) */
    otherBackends: string[] = [],
  ): Promise<RunOutcome> {
    if (this.abort) throw new Error('a run is already in progress');
    const abort = new AbortController();
    this.abort = abort;
    let batch: LabEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      if (!batch.length) return;
      const out = batch;
      batch = [];
      try {
        onEvents(out);
      } catch {
        /* page gone */
      }
    };
    const send = (e: LabEvent) => {
      batch.push(e);
      if (sendsNow(e)) {
        if (timer) clearTimeout(timer);
        flush();
      } else timer ??= setTimeout(flush, EVENT_FLUSH_MS);
    };
    const log = (message: string, level: 'info' | 'warn' | 'error' = 'info') => send({ type: 'log', level, message });
    try {
      const recipe = validateRecipe(recipeIn);
      for (const n of recipe.nodes) this.active.add(n.id);
      const { data, base, tokenizer, how } = await this.runInputs(recipe);
      log(`dataset: ${data.summary.name} — ${data.train.length} train / ${data.test.length} test questions`);
      log(`tokenizer: ${how}`);
      let firstError: string | undefined;
      const runner = new ExperimentRunner({
        storage: this.run,
        train: data.train,
        test: data.test,
        tokenizer,
        base: base ? { config: base.config, stateDict: base.stateDict } : undefined,
        backend,
        onEvent: (e) => {
          if (e.type === 'node' && e.status === 'failed') firstError ??= e.error;
          send(e);
        },
      });
      const summary = await runner.run(recipe, abort.signal);
      const failed = summary.nodes.find((n) => n.status === 'failed');
      const failure = abort.signal.reason instanceof RunFailure ? abort.signal.reason : undefined;
      if (failure) return { status: 'failed', error: failed?.error ?? failure.message, hint: failure.hint };
      if (summary.cancelled) return { status: 'cancelled' };
      if (failed) {
        const error = failed.error ?? firstError;
        if (error && isOutOfMemory(error)) {
          const node = recipe.nodes.find((n) => n.id === failed.id)!;
          const cfg = stageOf(node.stage).trains ? (stageOf(node.stage).resolve(node.config as Record<string, unknown>) as { batchSize?: number; microBatchSize?: number }) : {};
          const micro = cfg.microBatchSize || cfg.batchSize;
          return { status: 'failed', error, hint: outOfMemoryHint(error, micro, otherBackends) };
        }
        return { status: 'failed', error };
      }
      return { status: 'done' };
    } catch (e) {
      const msg = this.describe(e);
      log(msg, 'error');
      return { status: 'failed', error: msg };
    } finally {
      if (timer) clearTimeout(timer);
      flush();
      this.abort = null;
      this.active.clear();
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  /** Times a few steps of each stage of the recipe on the current backend and projects the run (see runPlan.ts). */
  async planRun(recipeIn: Recipe, backend: string, opts: { timeSteps?: number } = {}): Promise<RunPlan> {
    if (this.abort) throw new Error('a run is in progress: plan when it has finished');
    const recipe = validateRecipe(recipeIn);
    const { data, base, tokenizer, how } = await this.runInputs(recipe);
    const done = new Set((await this.listNodes()).filter((n) => n.status === 'done').map((n) => n.id));
    const est = await this.opts.storageManager?.estimate?.().catch(() => undefined);
    return planRun({
      recipe,
      train: data.train,
      tokenizer,
      tokenizerHow: how,
      base: base ? { config: base.config, stateDict: base.stateDict } : undefined,
      backend,
      done,
      ...(opts.timeSteps !== undefined ? { timeSteps: opts.timeSteps } : {}),
      ...(est ? { storage: { ...(est.usage !== undefined ? { usage: est.usage } : {}), ...(est.quota !== undefined ? { quota: est.quota } : {}) } } : {}),
    });
  }

  /** Stops the run in progress as failed (not cancelled), e.g. when the GPU device is lost. */
  fail(failure: RunFailure): void {
    this.abort?.abort(failure);
  }

  /** Drops the resume checkpoints (weights + optimizer state) of these nodes; returns the bytes freed. */
  async clearTrainStates(ids: string[]): Promise<number> {
    if (ids.some((id) => this.active.has(id))) throw new Error('a node of the run in progress keeps its checkpoint: cancel the run first');
    let freed = 0;
    const sizes = await this.store.keySizes();
    for (const id of ids) {
      const prefix = `${RUN_PREFIX}${nodeKey(id, 'train-state/')}`;
      for (const [k, n] of sizes) if (k.startsWith(prefix)) freed += n;
      await this.run.deletePrefix(nodeKey(id, 'train-state/'));
    }
    return freed;
  }

  listNodes(): Promise<NodeRecord[]> {
    return listNodeRecords(this.run, this.active);
  }

  async getNode(id: string): Promise<NodeDetail | undefined> {
    const rec = await nodeRecordOf(this.run, id, this.active);
    if (!rec) return undefined;
    const history = await readHistory(this.run, id);
    const ev = await readEval(this.run, id);
    const validation = await readValidation(this.run, id);
    return { ...rec, loss: history, validation, evalSamples: (ev?.questions ?? []).slice(0, 12) };
  }

  /** The node's Hugging Face folder (config.json, model.safetensors, vocab.txt) and a provenance file, as a zip. */
  async exportNode(id: string): Promise<ExportResult> {
    const nodes = await this.listNodes();
    const byId = indexById(nodes);
    const n = byId.get(id);
    if (!n) throw new Error(`unknown node '${id}'`);
    const prefix = nodeKey(id, 'model/');
    const keys = await this.run.list(prefix);
    if (!keys.length) throw new Error(`node '${id}' has no saved model (status: ${n.status})`);
    const folder = `qg-${n.stage}-${id}`;
    const entries: Record<string, Uint8Array> = {};
    const files: ExportResult['files'] = [];
    // the dropout the node trained with (a trained stage's resolved config), as the study's saved config says it
    const r = (n.resolved ?? {}) as { hiddenDropout?: unknown; attentionDropout?: unknown };
    const dropout = n.stage !== 'student' && typeof r.hiddenDropout === 'number' && typeof r.attentionDropout === 'number' ? r : undefined;
    for (const key of keys) {
      let b = await this.run.getBytes(key);
      if (!b) continue;
      const name = key.slice(prefix.length);
      if (name === 'config.json' && dropout) b = configJsonWithDropout(b, dropout.hiddenDropout as number, dropout.attentionDropout as number);
      entries[`${folder}/${name}`] = b;
      files.push({ name, bytes: b.byteLength });
    }
    const ev = await readEval(this.run, id);
    const meta = new TextEncoder().encode(
      JSON.stringify(
        {
          node: { id: n.id, stage: n.stage, label: n.label, layers: n.model?.layers, parameters: n.model?.parameters, layerOrigin: n.layerOrigin },
          evaluation: ev
            ? { n: ev.n, beamSize: ev.beamSize, metrics: ev.metrics, genTimeMs: ev.genTimeMs, params: ev.params, normalize: ev.normalize, contextCut: ev.contextCut }
            : null,
          // the recipe options the node ran with: sequence limits / fit policy (recipe.data) and evaluation (recipe.eval)
          recipe: { data: n.data ?? {}, eval: n.eval ?? {} },
          lineage: lineage(byId, id).map((x) => ({ id: x.id, stage: x.stage, config: x.config })),
          exportedAt: new Date().toISOString(),
        },
        null,
        2,
      ) + '\n',
    );
    entries[`${folder}/qg_distill_lab.json`] = meta;
    files.push({ name: 'qg_distill_lab.json', bytes: meta.byteLength });
    return { fileName: `${folder}.zip`, zip: zipSync(entries, { level: 0 }), files };
  }

  /** Deletes the node, its descendants and their checkpoints; returns the deleted ids. */
  async deleteBranch(id: string): Promise<string[]> {
    const nodes = await this.listNodes();
    if (!nodes.some((n) => n.id === id)) return [];
    const ids = descendants(nodes, id);
    if (ids.some((x) => this.active.has(x))) throw new Error('this branch is part of the run in progress: cancel it first');
    for (const x of ids) await this.run.deletePrefix(`nodes/${x}/`);
    // their playground models go too (cache keys are `${nodeId}|${finishedAt}`)
    this.playgroundModels.evict((key) => ids.includes(key.slice(0, key.lastIndexOf('|'))));
    return ids;
  }

  // ---- playground ----
  /**
   * One question from a done node's model for a paragraph and its marked answer: the prompt evaluation builds (the
   * node's limits and context cut), the same beam search (beam 3 by default), the tokens, and the latency — each
   * timed generation apart from the model's load (0 when the model was cached from an earlier call).
   */
  async generateFor(nodeId: string, input: PlaygroundInput, decode: PlaygroundDecode = {}): Promise<PlaygroundResult> {
    if (this.abort) throw new PlaygroundError('busy', 'a run is in progress: its training would be timed with the question; generate when it has finished');
    const rec = await nodeRecordOf(this.run, nodeId, this.active);
    if (!rec) throw new PlaygroundError('unknown-node', `there is no node '${nodeId}' in the tree`);
    if (rec.status !== 'done' || !(await hasModel(this.run, nodeId)))
      throw new PlaygroundError('no-model', `node '${nodeId}' has no model yet (status: ${rec.status}): run its recipe first`);
    const t0 = performance.now();
    const { entry, loaded } = await this.playgroundModels.get(`${nodeId}|${rec.finishedAt ?? ''}`, async () => {
      const vocab = await this.run.getBytes(nodeKey(nodeId, 'model/vocab.txt'));
      if (!vocab) throw new PlaygroundError('no-model', `node '${nodeId}': its saved model has no vocab.txt`);
      const model = await loadModel(this.run, nodeId);
      return { model, tokenizer: BertTokenizer.fromVocab(new TextDecoder().decode(vocab)) };
    });
    const { model, tokenizer } = entry;
    const { limits, contextMode } = nodePromptSettings(rec, model.config);
    const { prompt, facts } = playgroundPrompt(tokenizer, input, limits, contextMode);
    if (loaded) await warmUp(model, tokenizer, prompt);
    const loadMs = loaded ? performance.now() - t0 : 0;
    const q = await timedQuestion(model, tokenizer, prompt, limits, decode);
    return {
      nodeId,
      stage: rec.stage,
      label: rec.label,
      question: q.text,
      ids: q.ids,
      tokens: q.ids.map((id) => tokenizer.idToToken(id)),
      beamSize: q.beamSize,
      loaded,
      loadMs,
      genMs: q.genMs,
      ...modelFacts(model.config),
      prompt: facts,
    };
  }

  /** Disposes the playground's cached models (their tensors are freed). */
  releasePlaygroundModels(): void {
    this.playgroundModels.clear();
  }

  /** The first `limit` test items of the loaded dataset, or of the sample when none is loaded (the playground's "Use a test item"). */
  async playgroundItems(limit = 20): Promise<QgItem[]> {
    const data = await this.ensureDataset().catch(() => sampleDataset());
    return data.test.slice(0, Math.max(0, limit));
  }

  async storageUsage(): Promise<StorageUsage> {
    const byArea: Record<string, number> = {};
    const byNode: Record<string, number> = {};
    let total = 0;
    const nodePrefix = `${RUN_PREFIX}nodes/`;
    for (const [key, size] of await this.store.keySizes()) {
      total += size;
      const area = key.split('/')[0]!;
      byArea[area] = (byArea[area] ?? 0) + size;
      if (key.startsWith(nodePrefix)) {
        const id = key.slice(nodePrefix.length).split('/')[0]!;
        byNode[id] = (byNode[id] ?? 0) + size;
      }
    }
    const out: StorageUsage = { labBytes: total, byArea, byNode };
    const sm = this.opts.storageManager;
    if (sm?.estimate) {
      const est = await sm.estimate();
      out.usage = est.usage;
      out.quota = est.quota;
    }
    if (sm?.persisted) out.persisted = await sm.persisted().catch(() => false);
    return out;
  }
}
