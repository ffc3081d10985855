// The composed store against a fake worker: event batches are applied as they arrive, the run ends with the
// runner's answer, both resume buttons take the one resume path, and wizard runs get fresh ids.
import type * as Comlink from 'comlink';
import { describe, expect, it, vi } from 'vitest';
import type { LabEvent } from '../../core/experiment/events';
import type { Recipe } from '../../core/experiment/recipe';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import type { LabApi, RunOutcome } from '../../../workers/labApi';
import { resumeRecipe } from './recipes';
import type { LabDeps } from './slices/types';
import { createLabStore } from './store';
import { testRecord } from './testing/nodeRecords';

const record = (id: string, over: Partial<NodeRecord> = {}): NodeRecord => testRecord(id, { config: { init: { preset: 'tiny' } }, ...over });

function fakeLab(script: (recipe: Recipe, emit: (events: LabEvent[]) => void) => Promise<RunOutcome>, listed: () => NodeRecord[] = () => []) {
  const runs: Recipe[] = [];
  const api = {
    runRecipe: vi.fn(async (recipe: Recipe, onEvents: (e: LabEvent[]) => void) => {
      runs.push(recipe);
      return script(recipe, onEvents);
    }),
    listNodes: vi.fn(async () => listed()),
    getNode: vi.fn(async () => undefined),
    storageUsage: vi.fn(async () => ({ labBytes: 0, byArea: {} })),
    cancel: vi.fn(async () => undefined),
  };
  const deps: LabDeps = {
    lab: () => api as unknown as Comlink.Remote<LabApi>,
    proxy: ((fn: unknown) => fn) as LabDeps['proxy'],
    transfer: ((obj: unknown) => obj) as LabDeps['transfer'],
  };
  return { api, runs, store: createLabStore(deps) };
}

describe('lab store', () => {
  it('applies each event batch when it arrives (a running node shows running at once) and ends with the outcome', async () => {
    let seenDuringRun: string | undefined;
    const { store } = fakeLab(
      async (recipe, emit) => {
        const id = recipe.nodes[0]!.id;
        emit([{ type: 'record', record: record(id, { status: 'running' }) }, { type: 'node', nodeId: id, status: 'running' }]);
        seenDuringRun = store.getState().nodes[id]?.status;
        emit([{ type: 'step', nodeId: id, stage: 'teacher', step: 1, totalSteps: 2, epoch: 0, loss: 3, terms: {}, lr: 1, examplesPerSec: 1, elapsedMs: 1, etaMs: 1 }]);
        expect(store.getState().run).toMatchObject({ active: true, currentNodeId: id, step: 1, totalSteps: 2 });
        expect(store.getState().series[id]).toHaveLength(1);
        return { status: 'cancelled' };
      },
      () => [record('x', { status: 'cancelled' })],
    );
    await store.getState().startRun({ version: 1, name: 'r', nodes: [{ id: 't1', parent: null, stage: 'teacher', config: {} }] });
    expect(seenDuringRun).toBe('running');
    expect(store.getState().run).toMatchObject({ active: false, outcome: { status: 'cancelled' }, nodeIds: ['t1'] });
    // reconciled with the worker's list once the run answered
    expect(Object.keys(store.getState().nodes)).toEqual(['x']);
  });

  it("the live screen's Resume and the node panel's Resume run the same resume recipe", async () => {
    const nodes = {
      t: record('t', { status: 'done' }),
      s: record('s', { stage: 'student', parent: 't', config: { strategy: 'drop-top', k: 1 }, status: 'done', createdAt: 1 }),
      d: record('d', { stage: 'distill', parent: 's', config: {}, status: 'cancelled', createdAt: 2 }),
    };
    const { store, runs } = fakeLab(async () => ({ status: 'done' }), () => Object.values(nodes));
    store.setState({ nodes, run: { active: false, name: 'r', nodeIds: ['t', 's', 'd'], startedAt: 0, outcome: { status: 'cancelled' } } });
    await store.getState().resumeRun();
    store.setState({ nodes });
    await store.getState().resumeNode('d');
    expect(runs).toHaveLength(2);
    expect(runs[0]).toEqual(resumeRecipe('d', nodes));
    expect(runs[1]).toEqual(runs[0]);
  });

  it('a wizard run gives its new nodes fresh ids, never the tree’s', async () => {
    const { store, runs } = fakeLab(async () => ({ status: 'done' }));
    store.getState().usePreset('tiny');
    await store.getState().runWizard();
    await store.getState().runWizard();
    const ids = runs.flatMap((r) => r.nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(runs[0]!.nodes.map((n) => n.id.split('-')[0])).toEqual(['teacher', 'student', 'distill', 'selftrain']);
  });
  it('running the same recipe again resumes its stopped run; once it is done, it is not run a second time', async () => {
    // the worker lists the nodes of the first run as it stored them: all done but the last, cancelled
    let listed: NodeRecord[] = [];
    let lastStatus: NodeRecord['status'] = 'cancelled';
    const { store, runs } = fakeLab(
      async (recipe) => {
        listed = recipe.nodes.map((n, i) =>
          testRecord(n.id, { stage: n.stage, parent: n.parent, config: n.config as Record<string, unknown>, data: recipe.data, eval: recipe.eval, createdAt: i, status: i === recipe.nodes.length - 1 ? lastStatus : 'done' }),
        );
        return { status: lastStatus === 'done' ? 'done' : 'cancelled' };
      },
      () => listed,
    );
    store.getState().usePreset('tiny');
    await store.getState().runWizard();
    await store.getState().runWizard();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.nodes.map((n) => n.id)).toEqual(runs[0]!.nodes.map((n) => n.id));
    expect(store.getState().toasts.at(-1)?.text).toMatch(/resuming it/);
    lastStatus = 'done';
    await store.getState().runWizard(); // the resume finishes it
    await store.getState().runWizard();
    expect(runs).toHaveLength(3);
    expect(store.getState().toasts.at(-1)?.text).toMatch(/already ran: its 4 nodes are done/);
    expect(store.getState().screen).toBe('tree');
  });
});
