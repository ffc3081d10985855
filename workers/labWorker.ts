// The lab's Web Worker: hosts the engine (ExperimentRunner) on TF.js, keeps the branch tree's index, and persists
// everything in IndexedDB. The page talks to it through comlink (workers/labApi.ts); events go out in small batches.
import * as Comlink from 'comlink';
import { zipSync } from 'fflate';
import { DatasetError, datasetStats, parseDrcd, toQgItems, type DrcdDataset, type QgItem } from '../src/core/data/drcd';
import { loadSampleDataset } from '../src/core/data/sampleDataset';
import { readEval, readHistory, readState } from '../src/core/experiment/checkpoints';
import type { EvaluationResult } from '../src/core/experiment/evaluate';
import type { LabEvent } from '../src/core/experiment/events';
import { validateRecipe, type Recipe, type TeacherNodeConfig } from '../src/core/experiment/recipe';
import { ExperimentRunner } from '../src/core/experiment/runner';
import type { RunStorage } from '../src/core/experiment/storage';
import { configFromHf, type BertConfig } from '../src/core/model/bertConfig';
import { countParameters } from '../src/core/model/parameterCount';
import { readSafetensors } from '../src/core/model/safetensors';
import { resolveStateDict, type StateTensor } from '../src/core/model/stateDict';
import { BertTokenizer, buildVocabFromTexts } from '../src/core/tokenizer/bertTokenizer';
import { selectBackend } from './backend';
import { labSplit } from '../src/core/data/sampleDataset';
import { IdbStorage, StorageFullError } from './idbStorage';
import type {
  BackendChoice,
  BackendInfo,
  BaseModelSummary,
  DatasetSummary,
  ExportResult,
  LabApi,
  LabNode,
  LabSnapshot,
  LoadDatasetResult,
  LoadModelResult,
  ModelFile,
  NodeDetail,
  RunOutcome,
  StorageUsage,
} from './labApi';

const EVENT_FLUSH_MS = 150;

/** A RunStorage view of one key prefix of the lab's IndexedDB. */
class PrefixedStorage implements RunStorage {
  constructor(
    private readonly inner: IdbStorage,
    private readonly prefix: string,
  ) {}
  getJson<T>(key: string) {
    return this.inner.getJson<T>(this.prefix + key);
  }
  putJson(key: string, value: unknown) {
    return this.inner.putJson(this.prefix + key, value);
  }
  getBytes(key: string) {
    return this.inner.getBytes(this.prefix + key);
  }
  putBytes(key: string, bytes: Uint8Array) {
    return this.inner.putBytes(this.prefix + key, bytes);
  }
  async list(prefix: string) {
    return (await this.inner.list(this.prefix + prefix)).map((k) => k.slice(this.prefix.length));
  }
  deletePrefix(prefix: string) {
    return this.inner.deletePrefix(this.prefix + prefix);
  }
}

const K = {
  datasetSummary: 'lab/dataset/summary',
  datasetBytes: 'lab/dataset/bytes',
  baseSummary: 'lab/base/summary',
  baseFile: (name: string) => `lab/base/files/${name}`,
  baseFiles: 'lab/base/files/',
  node: (id: string) => `lab/nodes/${id}`,
  nodes: 'lab/nodes/',
};

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const dec = new TextDecoder('utf-8');

function decodeText(bytes: Uint8Array): string {
  const t = dec.decode(bytes);
  return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}

function labelFor(stage: LabNode['stage'], c: Record<string, unknown>): string {
  const drop = typeof c.hiddenDropout === 'number' ? ` · drop ${c.hiddenDropout}` : '';
  switch (stage) {
    case 'teacher': {
      if (c.init === 'pretrained') return 'Teacher · pretrained';
      const i = (c.init ?? {}) as Record<string, unknown>;
      return `Teacher · ${String(i.preset ?? 'scratch')}${i.layers ? ` ${i.layers}L` : ''}${i.hidden ? ` h${i.hidden}` : ''}`;
    }
    case 'student':
      return c.strategy === 'keep' ? `Student · keep ${(c.keep as number[]).join(',')}` : `Student · ${String(c.strategy)} ${String(c.k)}`;
    case 'distill': {
      const d = (c.distill ?? {}) as Record<string, unknown>;
      return `Distill${d.schedule ? ` ${String(d.schedule)}` : ''}${drop}`;
    }
    case 'selftrain':
      return `Self-train${drop}`;
  }
}

interface LoadedDataset {
  summary: DatasetSummary;
  train: QgItem[];
  test: QgItem[];
  all: QgItem[];
}

interface LoadedBase {
  summary: BaseModelSummary;
  config: BertConfig;
  stateDict: Map<string, StateTensor>;
  tokenizer?: BertTokenizer;
}

class Lab implements LabApi {
  private readonly db = new IdbStorage('qg-distill-lab');
  private readonly runStore = new PrefixedStorage(this.db, 'run/');
  private backend: BackendInfo | null = null;
  private backendPromise: Promise<BackendInfo> | null = null;
  private dataset: LoadedDataset | null = null;
  private base: LoadedBase | null = null;
  private nodes: Map<string, LabNode> | null = null;
  private abort: AbortController | null = null;
  private runningIds = new Set<string>();

  // ---- backend ----
  async init(pref: BackendChoice = 'auto'): Promise<BackendInfo> {
    if (this.abort) throw new Error('cannot switch the backend while a run is in progress');
    this.backendPromise = selectBackend(pref);
    try {
      this.backend = await this.backendPromise;
    } catch (e) {
      this.backendPromise = null;
      throw e;
    }
    return this.backend;
  }

  private async ensureBackend(): Promise<BackendInfo> {
    if (this.backend) return this.backend;
    return this.backendPromise ?? this.init('auto');
  }

  // ---- persisted state ----
  private async index(): Promise<Map<string, LabNode>> {
    if (this.nodes) return this.nodes;
    const map = new Map<string, LabNode>();
    for (const key of await this.db.list(K.nodes)) {
      const n = await this.db.getJson<LabNode>(key);
      if (!n) continue;
      // a node that was running when the page went away was interrupted: it resumes from its checkpoint next run
      if ((n.status === 'running' || n.status === 'queued') && !this.runningIds.has(n.id)) {
        const st = await readState(this.runStore, n.id);
        n.status = st?.status === 'done' ? 'done' : 'cancelled';
        if (n.status === 'cancelled') {
          n.error = 'interrupted (page closed or reloaded): Resume continues it from its last checkpoint';
          // the steps of its last checkpoint: where a resume picks up
          n.steps = st?.steps;
          n.totalSteps = st?.totalSteps ?? n.totalSteps;
        }
      }
      map.set(n.id, n);
    }
    this.nodes = map;
    return map;
  }

  private async saveNode(n: LabNode): Promise<void> {
    (await this.index()).set(n.id, n);
    await this.db.putJson(K.node(n.id), n);
  }

  async snapshot(): Promise<LabSnapshot> {
    const nodes = [...(await this.index()).values()];
    return {
      backend: this.backend,
      dataset: (await this.db.getJson<DatasetSummary>(K.datasetSummary)) ?? null,
      baseModel: (await this.db.getJson<BaseModelSummary>(K.baseSummary)) ?? null,
      nodes,
      engineReady: true,
      engineMissing: [],
    };
  }

  // ---- dataset ----
  private summarize(name: string, ds: DrcdDataset, items: QgItem[], bytes: number, isSample: boolean): LoadedDataset {
    const { train, test } = labSplit(items);
    const summary: DatasetSummary = {
      name,
      isSample,
      bytes,
      stats: datasetStats(ds) as unknown as Record<string, unknown>,
      trainItems: train.length,
      testItems: test.length,
      examples: items.slice(0, 4).map((i) => ({ context: i.context, answer: i.answer, question: i.question })),
      loadedAt: Date.now(),
    };
    return { summary, train, test, all: items };
  }

  async loadDataset(buf: ArrayBuffer, name: string): Promise<LoadDatasetResult> {
    const bytes = new Uint8Array(buf);
    let ds: DrcdDataset;
    try {
      ds = parseDrcd(decodeText(bytes), name);
    } catch (e) {
      if (e instanceof DatasetError) {
        const first = e.problems[0];
        return { ok: false, error: { path: first?.path ?? '', reason: first?.message ?? e.message, message: e.message } };
      }
      return { ok: false, error: { path: '', reason: errText(e), message: errText(e) } };
    }
    const items = toQgItems(ds);
    if (items.length < 2)
      return { ok: false, error: { path: 'data', reason: `only ${items.length} answered question(s): at least 2 are needed (train + test)`, message: '' } };
    const loaded = this.summarize(name, ds, items, bytes.byteLength, false);
    if (loaded.test.length === 0 || loaded.train.length === 0)
      return { ok: false, error: { path: 'data', reason: `${items.length} questions are too few to hold out a test split`, message: '' } };
    try {
      await this.db.putBytes(K.datasetBytes, bytes);
      await this.db.putJson(K.datasetSummary, loaded.summary);
    } catch (e) {
      return { ok: false, error: { path: '', reason: errText(e), message: '' } };
    }
    this.dataset = loaded;
    return { ok: true, dataset: loaded.summary };
  }

  async loadSampleDataset(): Promise<LoadDatasetResult> {
    const ds = loadSampleDataset();
    const loaded = this.summarize('Embedded sample (synthetic DRCD-format)', ds, toQgItems(ds), 0, true);
    await this.db.deletePrefix(K.datasetBytes);
    await this.db.putJson(K.datasetSummary, loaded.summary);
    this.dataset = loaded;
    return { ok: true, dataset: loaded.summary };
  }

  private async ensureDataset(): Promise<LoadedDataset> {
    if (this.dataset) return this.dataset;
    const summary = await this.db.getJson<DatasetSummary>(K.datasetSummary);
    if (!summary) throw new Error('no dataset loaded: upload one or use the sample on the Data screen');
    if (summary.isSample) {
      const ds = loadSampleDataset();
      this.dataset = { ...this.summarize(summary.name, ds, toQgItems(ds), 0, true), summary };
    } else {
      const bytes = await this.db.getBytes(K.datasetBytes);
      if (!bytes) throw new Error('the saved dataset is missing from browser storage: upload it again');
      const ds = parseDrcd(decodeText(bytes), summary.name);
      this.dataset = { ...this.summarize(summary.name, ds, toQgItems(ds), bytes.byteLength, false), summary };
    }
    return this.dataset;
  }

  // ---- base model ----
  private parseBase(files: Map<string, Uint8Array>, name: string): LoadedBase {
    const cfgBytes = files.get('config.json');
    const st = files.get('model.safetensors');
    if (!cfgBytes) throw new Error('config.json is missing');
    if (!st) {
      if (files.has('pytorch_model.bin')) throw new Error('only model.safetensors is supported: convert pytorch_model.bin with safetensors first');
      throw new Error('model.safetensors is missing');
    }
    const config = configFromHf(JSON.parse(decodeText(cfgBytes)));
    const { tensors } = readSafetensors(st);
    const { params } = resolveStateDict(config, tensors);
    let tokenizer: BertTokenizer | undefined;
    const vocab = files.get('vocab.txt');
    const tj = files.get('tokenizer.json');
    if (vocab) tokenizer = BertTokenizer.fromVocab(decodeText(vocab));
    else if (tj) tokenizer = BertTokenizer.fromTokenizerJson(JSON.parse(decodeText(tj)));
    else throw new Error('vocab.txt (or tokenizer.json) is missing: the teacher needs its vocabulary');
    if (tokenizer.vocabSize !== config.vocabSize)
      throw new Error(`the vocabulary has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${config.vocabSize}`);
    let bytes = 0;
    for (const b of files.values()) bytes += b.byteLength;
    const summary: BaseModelSummary = {
      name,
      files: [...files.keys()],
      config: JSON.parse(decodeText(cfgBytes)) as Record<string, unknown>,
      layers: config.numHiddenLayers,
      hiddenSize: config.hiddenSize,
      heads: config.numAttentionHeads,
      vocabSize: config.vocabSize,
      parameters: countParameters(config),
      bytes,
      loadedAt: Date.now(),
    };
    return { summary, config, stateDict: params, tokenizer };
  }

  async loadBaseModel(list: ModelFile[]): Promise<LoadModelResult> {
    const wanted = ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer.json', 'pytorch_model.bin'];
    const files = new Map<string, Uint8Array>();
    for (const f of list) {
      const base = f.name.split('/').pop()!;
      if (wanted.includes(base)) files.set(base, new Uint8Array(f.bytes));
    }
    const dir = list[0]?.name.includes('/') ? list[0].name.split('/')[0] : 'uploaded model';
    let loaded: LoadedBase;
    try {
      loaded = this.parseBase(files, dir);
    } catch (e) {
      return { ok: false, error: errText(e) };
    }
    try {
      await this.db.deletePrefix(K.baseFiles);
      for (const [name, b] of files) if (name !== 'pytorch_model.bin') await this.db.putBytes(K.baseFile(name), b);
      await this.db.putJson(K.baseSummary, loaded.summary);
    } catch (e) {
      await this.db.deletePrefix(K.baseFiles).catch(() => undefined);
      await this.db.deletePrefix(K.baseSummary).catch(() => undefined);
      return { ok: false, error: errText(e) };
    }
    this.base = loaded;
    return { ok: true, model: loaded.summary };
  }

  async clearBaseModel(): Promise<void> {
    this.base = null;
    await this.db.deletePrefix(K.baseFiles);
    await this.db.deletePrefix(K.baseSummary);
  }

  private async ensureBase(): Promise<LoadedBase> {
    if (this.base) return this.base;
    const summary = await this.db.getJson<BaseModelSummary>(K.baseSummary);
    if (!summary) throw new Error("the teacher starts from a pretrained model, but none is loaded: upload one on the Model screen");
    const files = new Map<string, Uint8Array>();
    for (const key of await this.db.list(K.baseFiles)) {
      const b = await this.db.getBytes(key);
      if (b) files.set(key.slice(K.baseFiles.length), b);
    }
    this.base = { ...this.parseBase(files, summary.name), summary };
    return this.base;
  }

  // ---- runs ----
  private async tokenizerFor(recipe: Recipe, data: LoadedDataset, log: (m: string) => void): Promise<{ tokenizer: BertTokenizer; base?: LoadedBase }> {
    const roots = recipe.nodes.filter((n) => n.parent === null);
    if (roots.length !== 1) throw new Error(`a run needs exactly one teacher at its root (this recipe has ${roots.length})`);
    const root = roots[0];
    const saved = await this.runStore.getBytes(`nodes/${root.id}/model/vocab.txt`);
    const cfg = root.config as TeacherNodeConfig;
    if (saved) {
      log(`tokenizer: the vocabulary saved with teacher '${root.id}'`);
      const base = cfg.init === 'pretrained' ? await this.ensureBase().catch(() => undefined) : undefined;
      return { tokenizer: BertTokenizer.fromVocab(decodeText(saved)), base };
    }
    if (cfg.init === 'pretrained') {
      const base = await this.ensureBase();
      log(`tokenizer: ${base.summary.name}'s vocabulary (${base.tokenizer!.vocabSize} tokens)`);
      return { tokenizer: base.tokenizer!, base };
    }
    const vocab = buildVocabFromTexts(data.all.flatMap((it) => [it.context, it.answer, it.question]));
    log(`tokenizer: a character vocabulary built from the dataset (${vocab.length} tokens)`);
    return { tokenizer: BertTokenizer.fromVocab(vocab.join('\n') + '\n') };
  }

  async runRecipe(recipeIn: Recipe, onEvents: (events: LabEvent[]) => void): Promise<RunOutcome> {
    if (this.abort) return { status: 'failed', error: 'a run is already in progress' };
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
      if (!timer) timer = setTimeout(flush, EVENT_FLUSH_MS);
    };
    const log = (message: string, level: 'info' | 'warn' | 'error' = 'info') => send({ type: 'log', level, message });
    let firstError: string | undefined;
    let updates = Promise.resolve();
    try {
      const recipe = validateRecipe(recipeIn);
      const backend = await this.ensureBackend();
      log(`backend: ${backend.backend}${backend.reasons.length ? ` (${backend.reasons.map((r) => `${r.backend}: ${r.reason}`).join('; ')})` : ''}`);
      const data = await this.ensureDataset();
      log(`dataset: ${data.summary.name} — ${data.train.length} train / ${data.test.length} test questions`);
      const { tokenizer, base } = await this.tokenizerFor(recipe, data, log);

      // register the recipe's nodes in the tree index
      const index = await this.index();
      const now = Date.now();
      for (const [i, n] of recipe.nodes.entries()) {
        const existing = index.get(n.id);
        if (existing && existing.status === 'done') continue;
        await this.saveNode({
          ...(existing ?? {}),
          id: n.id,
          parent: n.parent,
          stage: n.stage,
          config: n.config as Record<string, unknown>,
          label: existing?.label ?? labelFor(n.stage, n.config as Record<string, unknown>),
          runName: existing?.runName ?? recipe.name,
          createdAt: existing?.createdAt ?? now + i,
          status: 'queued',
          error: undefined,
          runData: existing?.runData ?? recipe.data,
          runEval: existing?.runEval ?? recipe.eval,
        });
        this.runningIds.add(n.id);
      }

      const update = (id: string, fn: (n: LabNode) => Promise<void> | void) => {
        updates = updates.then(async () => {
          const n = index.get(id);
          if (!n) return;
          await fn(n);
          await this.saveNode(n);
        }).catch((e) => {
          log(`could not save node '${id}': ${errText(e)}`, 'error');
        });
      };

      const runner = new ExperimentRunner({
        storage: this.runStore,
        train: data.train,
        test: data.test,
        tokenizer,
        base: base ? { config: base.config, stateDict: base.stateDict } : undefined,
        onEvent: (e) => {
          switch (e.type) {
            case 'node':
              update(e.nodeId, async (n) => {
                n.status = e.status;
                n.error = e.error;
                if (e.status === 'running') {
                  n.startedAt = Date.now();
                  n.backend = backend.backend;
                }
                if (e.status === 'done' || e.status === 'failed' || e.status === 'cancelled') n.finishedAt = Date.now();
                if (e.status === 'done') await this.fillModelFacts(n);
              });
              if (e.status === 'failed' && !firstError) firstError = e.error;
              break;
            case 'step': {
              const n = index.get(e.nodeId);
              if (n) {
                n.steps = e.step;
                n.totalSteps = e.totalSteps;
                n.lastLoss = e.loss;
              }
              break;
            }
            case 'eval':
              update(e.nodeId, (n) => applyEval(n, e.result));
              break;
          }
          send(e);
        },
      });
      const summary = await runner.run(recipe, abort.signal);
      await updates;
      const failed = summary.nodes.find((n) => n.status === 'failed');
      if (summary.cancelled) return { status: 'cancelled' };
      if (failed) return { status: 'failed', error: failed.error ?? firstError };
      return { status: 'done' };
    } catch (e) {
      await updates;
      const msg = e instanceof StorageFullError ? e.message : errText(e);
      log(msg, 'error');
      // nodes that never started stay queued in the index; mark them so the tree does not show a phantom run
      for (const id of this.runningIds) {
        const n = (await this.index()).get(id);
        if (n && (n.status === 'queued' || n.status === 'running')) {
          n.status = n.status === 'running' ? 'failed' : 'cancelled';
          n.error = msg;
          await this.saveNode(n).catch(() => undefined);
        }
      }
      return { status: 'failed', error: msg };
    } finally {
      if (timer) clearTimeout(timer);
      flush();
      this.abort = null;
      this.runningIds.clear();
    }
  }

  /** Layers, width and parameter count of a node's saved model. */
  private async fillModelFacts(n: LabNode): Promise<void> {
    const cfgBytes = await this.runStore.getBytes(`nodes/${n.id}/model/config.json`);
    if (cfgBytes) {
      const c = configFromHf(JSON.parse(decodeText(cfgBytes)));
      n.layers = c.numHiddenLayers;
      n.hiddenSize = c.hiddenSize;
      n.parameters = countParameters(c);
    }
    const st = await readState(this.runStore, n.id);
    if (st?.layerOrigin) n.layerOrigin = st.layerOrigin;
    if (st?.steps !== undefined) n.steps = st.steps;
    if (st?.totalSteps !== undefined) n.totalSteps = st.totalSteps;
    if (st?.finalLoss !== undefined && Number.isFinite(st.finalLoss)) n.lastLoss = st.finalLoss;
  }

  async cancel(): Promise<void> {
    this.abort?.abort();
  }

  async listRuns(): Promise<LabNode[]> {
    return [...(await this.index()).values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  async getNode(id: string): Promise<NodeDetail | undefined> {
    const n = (await this.index()).get(id);
    if (!n) return undefined;
    const history = await readHistory(this.runStore, id);
    const ev = await readEval(this.runStore, id);
    return {
      ...n,
      loss: history.map((p) => ({ step: p.step, epoch: p.epoch, loss: p.loss, lr: p.lr, terms: p.terms })),
      samples: [],
      evalSamples: (ev?.questions ?? []).slice(0, 12),
    };
  }

  async exportNode(id: string): Promise<ExportResult> {
    const n = (await this.index()).get(id);
    if (!n) throw new Error(`unknown node '${id}'`);
    const keys = await this.runStore.list(`nodes/${id}/model/`);
    if (!keys.length) throw new Error(`node '${id}' has no saved model (status: ${n.status})`);
    const folder = `qg-${n.stage}-${id}`;
    const entries: Record<string, Uint8Array> = {};
    const files: ExportResult['files'] = [];
    for (const key of keys) {
      const b = await this.runStore.getBytes(key);
      if (!b) continue;
      const name = key.slice(`nodes/${id}/model/`.length);
      entries[`${folder}/${name}`] = b;
      files.push({ name, bytes: b.byteLength });
    }
    const ev = await readEval(this.runStore, id);
    const lineage: { id: string; stage: string; config: unknown }[] = [];
    const index = await this.index();
    for (let cur: LabNode | undefined = n; cur; cur = cur.parent ? index.get(cur.parent) : undefined)
      lineage.unshift({ id: cur.id, stage: cur.stage, config: cur.config });
    const meta = new TextEncoder().encode(
      JSON.stringify(
        {
          node: { id: n.id, stage: n.stage, label: n.label, layers: n.layers, parameters: n.parameters, layerOrigin: n.layerOrigin },
          evaluation: ev ? { n: ev.n, beamSize: ev.beamSize, metrics: ev.metrics, genTimeMs: ev.genTimeMs, params: ev.params } : null,
          // the recipe options the node ran with: sequence limits / fit policy (recipe.data) and evaluation (recipe.eval)
          recipe: { data: n.runData ?? {}, eval: n.runEval ?? {} },
          lineage,
          exportedAt: new Date().toISOString(),
        },
        null,
        2,
      ) + '\n',
    );
    entries[`${folder}/qg_distill_lab.json`] = meta;
    files.push({ name: 'qg_distill_lab.json', bytes: meta.byteLength });
    const zip = zipSync(entries, { level: 0 });
    return Comlink.transfer({ fileName: `${folder}.zip`, zip, files }, [zip.buffer as ArrayBuffer]);
  }

  async deleteBranch(id: string): Promise<string[]> {
    const index = await this.index();
    if (!index.has(id)) return [];
    const out = new Set<string>([id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const n of index.values())
        if (n.parent && out.has(n.parent) && !out.has(n.id)) {
          out.add(n.id);
          grew = true;
        }
    }
    if ([...out].some((x) => this.runningIds.has(x))) throw new Error('this branch is part of the run in progress: cancel it first');
    for (const x of out) {
      await this.runStore.deletePrefix(`nodes/${x}/`);
      await this.db.delete(K.node(x));
      index.delete(x);
    }
    return [...out];
  }

  async storageUsage(): Promise<StorageUsage> {
    const { total, byPrefix } = await this.db.sizes();
    const out: StorageUsage = { labBytes: total, byArea: byPrefix };
    const sm = (globalThis.navigator as Navigator | undefined)?.storage;
    if (sm?.estimate) {
      const est = await sm.estimate();
      out.usage = est.usage;
      out.quota = est.quota;
    }
    if (sm?.persisted) out.persisted = await sm.persisted().catch(() => false);
    return out;
  }
}

function applyEval(n: LabNode, r: EvaluationResult): void {
  n.scores = { ...r.metrics };
  n.genTotalMs = r.genTimeMs;
  n.genMsPerQuestion = r.n > 0 ? r.genTimeMs / r.n : undefined;
  n.evalCount = r.n;
  n.parameters = r.params;
}

Comlink.expose(new Lab());
