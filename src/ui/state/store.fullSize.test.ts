// The store's part in running the study at full size, against a fake worker: a worker that dies ends the run with
// the worker-died hint and a new worker starts on the same backend; failure hints resume through the one resume path;
// the storage meter follows checkpoints (throttled); resume checkpoints are dropped; the data figures and the plan.
import type * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabEvent } from '../../core/experiment/events';
import type { Recipe } from '../../core/experiment/recipe';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import type { BackendInfo, LabApi, RunOutcome } from '../../../workers/labApi';
import type { DataReport, RunPlan } from './labExtras';
import { WORKER_DIED_MESSAGE } from './plan';
import { previewIds, recipeForWizard, resumeRecipe } from './recipes';
import { dataReportOf, skippedBy } from '../../core/data/testing/dataReports';
import { STORAGE_REFRESH_MS } from './slices/sessionSlice';
import type { LabDeps } from './slices/types';
import { planKeyOf } from './slices/wizardSlice';
import { createLabStore } from './store';
import { testRecord } from './testing/nodeRecords';

const record = (id: string, over: Partial<NodeRecord> = {}): NodeRecord => testRecord(id, { config: { init: { preset: 'tiny' } }, ...over });

const info = (backend: BackendInfo['backend']): BackendInfo => ({ backend, reasons: [], notes: [], initMs: 1 });

const report = (maxSeqLen: number): DataReport => ({
  ...dataReportOf({ limits: { maxSeqLen, maxAnswerLen: 15, maxQuestionLen: 42 }, items: 3524, kept: 2242, skipped: skippedBy({ 'context-too-long': 1282 }), examples: 40_000 }),
  tokenizer: "bert-base-chinese's vocabulary",
});

function fakeLab(opts: { run?: (recipe: Recipe, emit: (e: LabEvent[]) => void) => Promise<RunOutcome>; nodes?: () => NodeRecord[] } = {}) {
  const listeners = new Set<(reason: string) => void>();
  const runs: Recipe[] = [];
  const api = {
    init: vi.fn(async (pref: string) => info(pref === 'auto' ? 'webgpu' : (pref as BackendInfo['backend']))),
    runRecipe: vi.fn(async (recipe: Recipe, onEvents: (e: LabEvent[]) => void) => {
      runs.push(recipe);
      return opts.run ? opts.run(recipe, onEvents) : { status: 'done' as const };
    }),
    listNodes: vi.fn(async () => opts.nodes?.() ?? []),
    getNode: vi.fn(async () => undefined),
    storageUsage: vi.fn(async () => ({ labBytes: 0, byArea: {}, byNode: {} })),
    cancel: vi.fn(async () => undefined),
    snapshot: vi.fn(async () => ({ backend: null, dataset: null, baseModel: null, nodes: [] })),
    dataReport: vi.fn(async (o: { limits: { maxSeqLen: number } }) => report(o.limits.maxSeqLen)),
    planRun: vi.fn(async (): Promise<RunPlan> => ({
      backend: 'webgpu',
      stages: [],
      totalMs: 1000,
      storage: { bytes: 1, perNode: {} },
      data: report(512),
      knobs: [],
    })),
    clearTrainStates: vi.fn(async (ids: string[]) => ids.length * 1000),
  };
  const deps: LabDeps = {
    lab: () => api as unknown as Comlink.Remote<LabApi>,
    proxy: ((fn: unknown) => fn) as LabDeps['proxy'],
    transfer: ((obj: unknown) => obj) as LabDeps['transfer'],
    onWorkerDied(l) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
  const die = (reason: string) => [...listeners].forEach((l) => l(reason));
  return { api, runs, die, listeners, store: createLabStore(deps) };
}

const stoppedTree = () => ({
  t: record('t', { status: 'done' }),
  s: record('s', { stage: 'student', parent: 't', config: { strategy: 'drop-top', k: 1 }, status: 'done', createdAt: 1 }),
  d: record('d', { stage: 'distill', parent: 's', config: { batchSize: 8 }, status: 'failed', steps: 12, createdAt: 2 }),
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the backend timings', () => {
  it("are kept for the browser session: the next worker's init gets them instead of timing again", async () => {
    const kept = new Map<string, string>();
    vi.stubGlobal('sessionStorage', { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) });
    const timings = [
      { backend: 'webgpu' as const, ms: 2 },
      { backend: 'wasm' as const, ms: 40 },
    ];
    const { store, api, die } = fakeLab();
    api.init.mockImplementationOnce(async () => ({ ...info('webgpu'), timings }));
    await store.getState().setBackendPref('auto');
    expect(api.init).toHaveBeenLastCalledWith('auto');
    die('Uncaught RangeError'); // a new worker (as after a reload) starts on the same preference
    await vi.waitFor(() => expect(api.init).toHaveBeenCalledTimes(2));
    expect(api.init).toHaveBeenLastCalledWith('auto', timings);
  });
});

describe('dismissing a stopped run', () => {
  it('hides its offer, keeps the node, and is remembered in this browser', () => {
    const kept = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) });
    const { store } = fakeLab();
    store.setState({ nodes: stoppedTree(), dismissedStops: ['gone:3:failed'] });
    store.getState().dismissStop(store.getState().nodes.d!);
    expect(store.getState().dismissedStops).toEqual(['d:12:failed']); // a node no longer in the tree is forgotten
    expect(JSON.parse(kept.get('qglab.dismissedStops')!)).toEqual(['d:12:failed']);
    expect(store.getState().nodes.d!.status).toBe('failed');
    expect(fakeLab().store.getState().dismissedStops).toEqual(['d:12:failed']); // a new page reads it back
  });
});

describe('a worker that dies', () => {
  it('ends the run as failed with the worker-died hint, and the next worker starts on the same backend', async () => {
    const { store, api, die, listeners } = fakeLab({
      run: (recipe, emit) => {
        const id = recipe.nodes[0]!.id;
        emit([{ type: 'record', record: record(id, { status: 'running', config: { batchSize: 16 } }) }, { type: 'node', nodeId: id, status: 'running' }]);
        return new Promise<RunOutcome>(() => undefined); // a dead worker never answers
      },
    });
    store.setState({ backend: info('webgpu'), backendPref: 'webgpu' });
    const done = store.getState().startRun({ version: 1, name: 'r', nodes: [{ id: 't1', parent: null, stage: 'teacher', config: { batchSize: 16 } }] });
    await vi.waitFor(() => expect(store.getState().run?.currentNodeId).toBe('t1'));
    die('Uncaught RangeError');
    await done;
    const run = store.getState().run!;
    expect(run.active).toBe(false);
    expect(run.outcome).toMatchObject({
      status: 'failed',
      hint: { kind: 'worker-died', message: WORKER_DIED_MESSAGE, tryMicroBatch: 8, tryBackends: ['webgl', 'wasm'] },
    });
    expect(api.init).toHaveBeenLastCalledWith('webgpu');
    expect(listeners.size).toBe(1); // the run's own listener is gone, the session's stays
  });

  it('a plan waiting on a worker that dies stops being busy', async () => {
    const { store, api, die } = fakeLab();
    api.planRun.mockImplementation(() => new Promise<RunPlan>(() => undefined));
    store.getState().usePreset('tiny');
    const p = store.getState().planWizard();
    expect(store.getState().planBusy).toBe(true);
    die('gone');
    await p;
    expect(store.getState()).toMatchObject({ planBusy: false, plan: null });
    expect(store.getState().planError).toMatch(/worker stopped/);
  });
});

describe('failure hints', () => {
  it('"Resume with micro-batch N" resumes the stopped node with microBatchSize N (same ids, the one resume path)', async () => {
    const nodes = stoppedTree();
    const { store, runs } = fakeLab({ nodes: () => Object.values(nodes) });
    store.setState({ nodes, run: { active: false, name: 'r', nodeIds: ['t', 's', 'd'], startedAt: 0, outcome: { status: 'failed' } } });
    await store.getState().resumeWithMicroBatch(4);
    expect(runs).toEqual([resumeRecipe('d', nodes, { microBatchSize: 4 })]);
    expect(runs[0]!.nodes.find((n) => n.id === 'd')!.config).toEqual({ batchSize: 8, microBatchSize: 4 });
    expect(runs[0]!.nodes.find((n) => n.id === 's')!.config).toEqual(nodes.s.config);
  });

  it('"Resume on <backend>" switches the backend first, then resumes; a backend that does not start runs nothing', async () => {
    const nodes = stoppedTree();
    const { store, runs, api } = fakeLab({ nodes: () => Object.values(nodes) });
    store.setState({ nodes, run: { active: false, name: 'r', nodeIds: ['t', 's', 'd'], startedAt: 0, outcome: { status: 'failed' } } });
    await store.getState().resumeOnBackend('wasm');
    expect(api.init).toHaveBeenCalledWith('wasm');
    expect(api.init.mock.invocationCallOrder[0]!).toBeLessThan(api.runRecipe.mock.invocationCallOrder[0]!);
    expect(runs).toEqual([resumeRecipe('d', nodes)]);

    store.setState({ nodes, run: { active: false, name: 'r', nodeIds: ['t', 's', 'd'], startedAt: 0, outcome: { status: 'failed' } } });
    api.init.mockRejectedValueOnce(new Error('no WebGL here'));
    await store.getState().resumeOnBackend('webgl');
    expect(runs).toHaveLength(1);
    expect(store.getState().toasts.at(-1)?.text).toMatch(/Cannot resume on webgl: no WebGL here/);
  });
});

describe('storage', () => {
  it('the meter follows record events that change status or steps, at most once per 2 s', async () => {
    vi.useFakeTimers();
    const { store, api } = fakeLab();
    const rec = (steps: number, status: NodeRecord['status'] = 'running'): LabEvent => ({ type: 'record', record: record('a', { status, steps }) });
    store.getState().applyEvents([rec(0)]);
    expect(api.storageUsage).toHaveBeenCalledTimes(1);
    store.getState().applyEvents([rec(0)]); // nothing changed
    store.getState().applyEvents([rec(1)]);
    store.getState().applyEvents([rec(2)]);
    expect(api.storageUsage).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(STORAGE_REFRESH_MS);
    expect(api.storageUsage).toHaveBeenCalledTimes(2);
    store.getState().applyEvents([{ type: 'log', level: 'info', message: 'x' }]);
    await vi.advanceTimersByTimeAsync(10 * STORAGE_REFRESH_MS);
    expect(api.storageUsage).toHaveBeenCalledTimes(2);
  });

  it('drops the resume checkpoints of the stopped nodes and shows the bytes freed', async () => {
    const nodes = { ...stoppedTree(), c: record('c', { status: 'cancelled', steps: 3, createdAt: 3 }), q: record('q', { status: 'cancelled', steps: 0 }) };
    const { store, api } = fakeLab({ nodes: () => Object.values(nodes) });
    store.setState({ nodes });
    expect(await store.getState().dropCheckpoints()).toBe(2000);
    expect(api.clearTrainStates).toHaveBeenCalledWith(['d', 'c']);
    expect(store.getState().freedBytes).toBe(2000);
    expect(api.storageUsage).toHaveBeenCalled();
    store.setState({ run: { active: true, name: 'r', nodeIds: [], startedAt: 0 } });
    expect(await store.getState().dropCheckpoints()).toBeNull();
    expect(api.clearTrainStates).toHaveBeenCalledTimes(1);
  });

  it('asks for persistent storage once at boot and keeps the answer', async () => {
    const persist = vi.fn(async () => false);
    vi.stubGlobal('navigator', { storage: { persist } });
    const { store } = fakeLab();
    await store.getState().boot();
    await vi.waitFor(() => expect(store.getState().persistent).toBe(false));
    expect(persist).toHaveBeenCalledTimes(1);
  });
});

describe('data figures and plan', () => {
  it('shows the answer for the latest limits only (an older answer arriving late is dropped)', async () => {
    const { store, api } = fakeLab();
    store.setState({ dataset: { name: 'd' } as never });
    let releaseFirst!: () => void;
    api.dataReport.mockImplementationOnce((o) => new Promise((r) => (releaseFirst = () => r(report(o.limits.maxSeqLen)))));
    const first = store.getState().loadDataReport({ limits: { maxSeqLen: 256, maxAnswerLen: 15, maxQuestionLen: 42 }, policy: 'skip' });
    await store.getState().loadDataReport({ limits: { maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 }, policy: 'skip' });
    releaseFirst();
    await first;
    expect(store.getState().dataReport?.limits.maxSeqLen).toBe(512);
    expect(store.getState().dataReportBusy).toBe(false);
  });

  it('a worker without the call says so', async () => {
    const { store, api } = fakeLab();
    store.setState({ dataset: { name: 'd' } as never });
    api.dataReport.mockRejectedValueOnce(new TypeError('t.dataReport is not a function'));
    await store.getState().loadDataReport({ limits: { maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 }, policy: 'skip' });
    expect(store.getState().dataReportError).toBe("this build's lab worker has no dataReport() yet");
  });

  it("plans the draft's previewed recipe and remembers which recipe the plan is for", async () => {
    const { store, api } = fakeLab();
    store.getState().usePreset('tiny');
    await store.getState().planWizard();
    const recipe = recipeForWizard(store.getState().draft, null, {}, previewIds);
    expect(api.planRun).toHaveBeenCalledWith(recipe);
    expect(store.getState().planKey).toBe(planKeyOf(recipe));
    expect(store.getState().plan?.totalMs).toBe(1000);
    expect(store.getState().planBusy).toBe(false);
  });
});
