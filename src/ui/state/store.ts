// The lab's UI state (zustand). Components read from here and call these actions; the actions talk to the worker.
// Worker events are buffered and applied at most 4 times a second, so charts re-render calmly during training.
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type {
  BackendChoice,
  BackendInfo,
  BaseModelSummary,
  DatasetError,
  DatasetSummary,
  LabEvent,
  LabNode,
  LossPoint,
  NodeDetail,
  Recipe,
  Sample,
  StorageUsage,
} from '../../../workers/labApi';
import { lab, proxy } from './labClient';
import { draftFromNode, presetDraft, recipeForResume, type Draft, type PresetName } from './recipes';

export type Screen = 'data' | 'model' | 'wizard' | 'live' | 'tree' | 'compare' | 'export';

export interface RunState {
  active: boolean;
  name: string;
  nodeIds: string[];
  currentNodeId?: string;
  step?: number;
  totalSteps?: number;
  etaMs?: number;
  examplesPerSec?: number;
  startedAt: number;
  /** what was started (a cancelled run resumes by running it again: done nodes are skipped) */
  recipe?: Recipe;
  outcome?: { status: 'done' | 'failed' | 'cancelled'; error?: string };
}

export interface LogLine {
  t: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'bad';
}

export interface LabState {
  screen: Screen;
  booted: boolean;
  backend: BackendInfo | null;
  backendPref: BackendChoice;
  backendError: string | null;
  engineMissing: string[];

  dataset: DatasetSummary | null;
  datasetError: DatasetError | null;
  datasetBusy: boolean;

  baseModel: BaseModelSummary | null;
  modelError: string | null;
  modelBusy: boolean;

  nodes: Record<string, LabNode>;
  selectedId: string | null;
  detail: NodeDetail | null;

  run: RunState | null;
  series: Record<string, LossPoint[]>;
  liveSamples: Record<string, Sample[]>;
  logs: LogLine[];

  draft: Draft;
  wizardStep: number;
  forkFrom: string | null;

  storage: StorageUsage | null;
  compareIds: string[];
  toasts: Toast[];

  go(screen: Screen): void;
  boot(): Promise<void>;
  setBackendPref(pref: BackendChoice): Promise<void>;
  loadDatasetFile(file: File): Promise<void>;
  loadSample(): Promise<void>;
  loadModelFiles(files: File[]): Promise<void>;
  clearModel(): Promise<void>;
  setDraft(update: (d: Draft) => void): void;
  usePreset(p: PresetName): void;
  setWizardStep(i: number): void;
  startRun(recipe: Recipe): Promise<void>;
  cancelRun(): Promise<void>;
  /** Runs an interrupted node again: finished ancestors are kept, it continues from its last checkpoint. */
  resumeNode(id: string): Promise<void>;
  refreshNodes(): Promise<void>;
  select(id: string | null): Promise<void>;
  forkFromNode(id: string): void;
  deleteBranch(id: string): Promise<void>;
  exportNode(id: string): Promise<{ fileName: string; bytes: number } | null>;
  refreshStorage(): Promise<void>;
  toggleCompare(id: string): void;
  toast(text: string, kind?: 'info' | 'bad'): void;
}

const MAX_POINTS = 1500;
const BACKEND_KEY = 'qglab.backend';

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---- event buffer: filled by the worker callback, drained ≤ 4×/s ----
let pending: LabEvent[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;
const FLUSH_MS = 250;

function scheduleFlush(): void {
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = null;
    const events = pending;
    pending = [];
    if (events.length) applyEvents(events);
  }, FLUSH_MS);
}

function applyEvents(events: LabEvent[]): void {
  let nodesChanged = false;
  useLab.setState((s) => {
    const series = { ...s.series };
    const liveSamples = { ...s.liveSamples };
    const nodes = { ...s.nodes };
    let logs = s.logs;
    let run = s.run ? { ...s.run } : null;
    for (const e of events) {
      switch (e.type) {
        case 'step': {
          const arr = (series[e.nodeId] = [...(series[e.nodeId] ?? [])]);
          arr.push({ step: e.step, epoch: e.epoch, loss: e.loss, lr: e.lr, terms: e.terms });
          if (arr.length > MAX_POINTS) series[e.nodeId] = arr.filter((_, i) => i % 2 === 0 || i === arr.length - 1);
          if (run) {
            run.currentNodeId = e.nodeId;
            run.step = e.step;
            run.totalSteps = e.totalSteps;
            run.etaMs = e.etaMs;
            run.examplesPerSec = e.examplesPerSec;
          }
          if (nodes[e.nodeId]) nodes[e.nodeId] = { ...nodes[e.nodeId], lastLoss: e.loss, steps: e.step, totalSteps: e.totalSteps };
          break;
        }
        case 'node': {
          nodesChanged = true;
          if (nodes[e.nodeId]) nodes[e.nodeId] = { ...nodes[e.nodeId], status: e.status, error: e.error };
          if (run && e.status === 'running') {
            run.currentNodeId = e.nodeId;
            run.step = 0;
            run.totalSteps = undefined;
          }
          break;
        }
        case 'samples':
          liveSamples[e.nodeId] = e.samples;
          break;
        case 'eval':
          nodesChanged = true;
          break;
        case 'log':
          logs = [...logs, { t: Date.now(), level: e.level, message: e.message }].slice(-300);
          break;
      }
    }
    return { series, liveSamples, nodes, logs, run };
  });
  if (nodesChanged) void useLab.getState().refreshNodes();
}

function download(bytes: Uint8Array, fileName: string, type = 'application/zip'): void {
  const blob = new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
export { download };

let toastId = 0;

export const useLab = create<LabState>()((set, get) => ({
  screen: 'data',
  booted: false,
  backend: null,
  backendPref: (typeof localStorage !== 'undefined' && (localStorage.getItem(BACKEND_KEY) as BackendChoice)) || 'auto',
  backendError: null,
  engineMissing: [],
  dataset: null,
  datasetError: null,
  datasetBusy: false,
  baseModel: null,
  modelError: null,
  modelBusy: false,
  nodes: {},
  selectedId: null,
  detail: null,
  run: null,
  series: {},
  liveSamples: {},
  logs: [],
  draft: presetDraft('demo'),
  wizardStep: 0,
  forkFrom: null,
  storage: null,
  compareIds: [],
  toasts: [],

  go(screen) {
    set({ screen });
    if (typeof location !== 'undefined' && location.hash !== `#${screen}`) history.replaceState(null, '', `#${screen}`);
  },

  async boot() {
    // ask the browser not to evict saved checkpoints under storage pressure (best effort)
    void navigator.storage?.persist?.().catch(() => false);
    // the backend starts in the background: the saved lab state does not wait for it
    void lab()
      .init(get().backendPref)
      .then((backend) => set({ backend, backendError: null }))
      .catch((e) => set({ backendError: errText(e) }));
    try {
      const snap = await lab().snapshot();
      const nodes: Record<string, LabNode> = {};
      for (const n of snap.nodes) nodes[n.id] = n;
      const draft = snap.baseModel ? presetDraft('study') : presetDraft('demo');
      set({ dataset: snap.dataset, baseModel: snap.baseModel, nodes, engineMissing: snap.engineMissing, draft });
    } catch (e) {
      get().toast(`Could not read saved lab state: ${errText(e)}`, 'bad');
    }
    set({ booted: true });
    void get().refreshStorage();
  },

  async setBackendPref(pref) {
    localStorage.setItem(BACKEND_KEY, pref);
    set({ backendPref: pref, backend: null });
    try {
      set({ backend: await lab().init(pref), backendError: null });
    } catch (e) {
      set({ backendError: errText(e) });
    }
  },

  async loadDatasetFile(file) {
    set({ datasetBusy: true, datasetError: null });
    try {
      const buf = await file.arrayBuffer();
      const r = await lab().loadDataset(proxyTransfer(buf), file.name);
      if (r.ok) set({ dataset: r.dataset, datasetError: null });
      else set({ datasetError: r.error });
    } catch (e) {
      set({ datasetError: { path: '', reason: errText(e), message: errText(e) } });
    } finally {
      set({ datasetBusy: false });
      void get().refreshStorage();
    }
  },

  async loadSample() {
    set({ datasetBusy: true, datasetError: null });
    try {
      const r = await lab().loadSampleDataset();
      if (r.ok) set({ dataset: r.dataset });
      else set({ datasetError: r.error });
    } catch (e) {
      set({ datasetError: { path: '', reason: errText(e), message: errText(e) } });
    } finally {
      set({ datasetBusy: false });
    }
  },

  async loadModelFiles(files) {
    set({ modelBusy: true, modelError: null });
    try {
      const payload = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
      const r = await lab().loadBaseModel(Comlink.transfer(payload, payload.map((p) => p.bytes)));
      if (r.ok) {
        set({ baseModel: r.model });
        get().setDraft((d) => {
          d.teacher.init = 'pretrained';
          d.student.k = Math.min(d.student.k, Math.max(1, r.model.layers - 1));
        });
      } else set({ modelError: r.error });
    } catch (e) {
      set({ modelError: errText(e) });
    } finally {
      set({ modelBusy: false });
      void get().refreshStorage();
    }
  },

  async clearModel() {
    await lab().clearBaseModel();
    set({ baseModel: null });
    get().setDraft((d) => {
      d.teacher.init = 'scratch';
    });
  },

  setDraft(update) {
    const d = structuredClone(get().draft);
    update(d);
    set({ draft: d });
  },

  usePreset(p) {
    const d = presetDraft(p);
    if (p === 'study' && !get().baseModel) d.teacher.init = 'pretrained';
    set({ draft: d, forkFrom: null });
  },

  setWizardStep(i) {
    set({ wizardStep: i });
  },

  async startRun(recipe) {
    if (get().run?.active) return;
    set({
      run: { active: true, name: recipe.name ?? 'run', nodeIds: recipe.nodes.map((n) => n.id), startedAt: Date.now(), recipe },
      logs: [],
      screen: 'live',
    });
    history.replaceState(null, '', '#live');
    const onEvents = proxy((events: LabEvent[]) => {
      pending.push(...events);
      scheduleFlush();
    });
    const started = lab().runRecipe(recipe, onEvents);
    // the worker registers the recipe's nodes before training starts
    setTimeout(() => void get().refreshNodes(), 300);
    let outcome: RunState['outcome'];
    try {
      outcome = await started;
    } catch (e) {
      outcome = { status: 'failed', error: errText(e) };
    }
    // drain what is still buffered, then settle
    await new Promise((r) => setTimeout(r, FLUSH_MS + 50));
    if (pending.length) {
      const ev = pending;
      pending = [];
      applyEvents(ev);
    }
    set((s) => ({ run: s.run ? { ...s.run, active: false, outcome } : null, forkFrom: null }));
    await get().refreshNodes();
    void get().refreshStorage();
    if (outcome?.status === 'failed') get().toast(`Run failed: ${outcome.error ?? 'unknown error'}`, 'bad');
  },

  async cancelRun() {
    await lab().cancel();
  },

  async resumeNode(id) {
    if (get().run?.active) return;
    let recipe: Recipe;
    try {
      recipe = recipeForResume(id, get().nodes);
    } catch (e) {
      get().toast(`Cannot resume: ${errText(e)}`, 'bad');
      return;
    }
    await get().startRun(recipe);
  },

  async refreshNodes() {
    const list = await lab().listRuns();
    const nodes: Record<string, LabNode> = {};
    for (const n of list) nodes[n.id] = n;
    set({ nodes });
    const sel = get().selectedId;
    if (sel && nodes[sel]) {
      const detail = await lab().getNode(sel);
      if (get().selectedId === sel) set({ detail: detail ?? null });
    }
  },

  async select(id) {
    set({ selectedId: id, detail: null });
    if (!id) return;
    const detail = await lab().getNode(id);
    if (get().selectedId === id) set({ detail: detail ?? null });
  },

  forkFromNode(id) {
    const nodes = get().nodes;
    const node = nodes[id];
    if (!node) return;
    const draft = draftFromNode(id, nodes, get().draft);
    const stepOf: Record<string, number> = { teacher: 0, student: 1, distill: 2, selftrain: 3 };
    set({ draft, forkFrom: id, wizardStep: stepOf[node.stage], screen: 'wizard' });
    history.replaceState(null, '', '#wizard');
  },

  async deleteBranch(id) {
    const removed = await lab().deleteBranch(id);
    set((s) => ({
      selectedId: removed.includes(s.selectedId ?? '') ? null : s.selectedId,
      detail: removed.includes(s.selectedId ?? '') ? null : s.detail,
      compareIds: s.compareIds.filter((c) => !removed.includes(c)),
    }));
    await get().refreshNodes();
    void get().refreshStorage();
    get().toast(`Deleted ${removed.length} node${removed.length === 1 ? '' : 's'}`);
  },

  async exportNode(id) {
    try {
      const r = await lab().exportNode(id);
      download(r.zip, r.fileName);
      return { fileName: r.fileName, bytes: r.zip.byteLength };
    } catch (e) {
      get().toast(`Export failed: ${errText(e)}`, 'bad');
      return null;
    }
  },

  async refreshStorage() {
    try {
      set({ storage: await lab().storageUsage() });
    } catch {
      /* not critical */
    }
  },

  toggleCompare(id) {
    set((s) => ({ compareIds: s.compareIds.includes(id) ? s.compareIds.filter((x) => x !== id) : [...s.compareIds, id] }));
  },

  toast(text, kind = 'info') {
    const id = ++toastId;
    set((s) => ({ toasts: [...s.toasts, { id, text, kind }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), kind === 'bad' ? 9000 : 4000);
  },
}));

/** Big buffers go to the worker as transferables, not copies. */
function proxyTransfer(buf: ArrayBuffer): ArrayBuffer {
  return Comlink.transfer(buf, [buf]);
}
