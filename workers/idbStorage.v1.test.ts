// The browser lab's IndexedDB as the lab left it before versioned records (schema 1: a second node index under
// lab/nodes/, no sizes table; fixtures/v1/idb-v1.json, written by commit 772c5ab with the page gone mid-distill)
// opens under schema 2, shows the tree, resumes the interrupted node and forks.
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import Dexie from 'dexie';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../src/core/experiment/events';
import type { Recipe } from '../src/core/experiment/recipe';
import { LabService } from '../src/core/lab/labService';
import { INTERRUPTED_MESSAGE } from '../src/core/lab/nodeIndex';
import entries from '../src/core/lab/records/fixtures/v1/idb-v1.json';
import recipeJson from '../src/core/lab/records/fixtures/v1/run-v1.recipe.json';
import { IdbStorage } from './idbStorage';

const recipe = recipeJson as unknown as Recipe;

/** Writes the fixture's entries into a schema-1 database, as the old lab had it. */
async function restoreV1(name: string): Promise<void> {
  const db = new Dexie(name);
  db.version(1).stores({ entries: 'key' });
  await db.table('entries').bulkPut(
    (entries as { key: string; json?: string; bytesBase64?: string; size: number; updatedAt: number }[]).map((e) => ({
      key: e.key,
      ...(e.json !== undefined ? { json: e.json } : {}),
      ...(e.bytesBase64 !== undefined ? { bytes: new Uint8Array(Buffer.from(e.bytesBase64, 'base64')) } : {}),
      size: e.size,
      updatedAt: e.updatedAt,
    })),
  );
  db.close();
}

describe('an IndexedDB written before versioned records (v1)', () => {
  const name = `v1-fixture-${Date.now()}`;
  let lab: LabService;
  let store: IdbStorage;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await restoreV1(name);
    store = new IdbStorage(name);
    lab = new LabService({ store });
  });

  it('upgrades to one node record per node and a sizes table', async () => {
    expect(await store.list('lab/nodes/')).toEqual([]);
    const nodes = await lab.listNodes();
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    expect(nodes.map((n) => n.id)).toEqual(['teacher', 'student', 'distill', 'selftrain']);
    // what only the worker's old record knew survives the merge
    expect(byId.teacher!.label).toBe('Teacher · tiny 2L h32');
    expect(byId.teacher!.runName).toMatch(/^storage fixture v1/);
    expect(byId.teacher!.backend).toBe('cpu');
    expect(byId.teacher!.scores?.avg_score).toBeGreaterThanOrEqual(0);
    expect(byId.teacher!.model).toEqual({ layers: 2, hiddenSize: 32, parameters: expect.any(Number) });
    expect(byId.student!.layerOrigin).toEqual([0]);
    expect(byId.distill!.data).toEqual({ maxSeqLen: 96, maxTrainItems: 40 });
    // the page went away mid-distill: shown as interrupted, at its checkpoint's step
    expect([byId.distill!.status, byId.distill!.steps, byId.distill!.error]).toEqual(['cancelled', 2, INTERRUPTED_MESSAGE]);
    expect(byId.selftrain!.status).toBe('cancelled');
    const usage = await lab.storageUsage();
    expect(usage.labBytes).toBeGreaterThan(100_000);
    expect(Object.keys(usage.byArea).sort()).toEqual(['lab', 'run']);
    expect(Object.keys(usage.byNode).sort()).toEqual(['distill', 'selftrain', 'student', 'teacher']); // selftrain: the record merged from the old index
    const snap = await lab.snapshot(null);
    expect(snap.dataset?.isSample).toBe(true);
  });

  it('resumes the interrupted node, keeps the finished ones, then forks', async () => {
    const events: LabEvent[] = [];
    const out = await lab.runRecipe(recipe, (b) => events.push(...b), 'cpu');
    expect(out).toEqual({ status: 'done' });
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(logs).toContain("node 'distill': resuming distill from step 2 of 29");
    expect(logs).toContain("tokenizer: the vocabulary saved with teacher 'teacher'");
    expect(events.some((e) => e.type === 'step' && e.nodeId === 'teacher')).toBe(false);
    const nodes = Object.fromEntries((await lab.listNodes()).map((n) => [n.id, n]));
    expect([nodes.distill!.status, nodes.distill!.steps, nodes.distill!.resumes]).toEqual(['done', 29, 1]);
    expect(nodes.selftrain!.status).toBe('done');
    expect(nodes.teacher!.label).toBe('Teacher · tiny 2L h32');

    const fork: Recipe = {
      ...recipe,
      nodes: [...recipe.nodes.slice(0, 3), { id: 'distill-b', parent: 'student', stage: 'distill', config: { epochs: 1, batchSize: 8, learningRate: 0.001, hiddenDropout: 0.1, attentionDropout: 0.1 } }],
    };
    events.length = 0;
    expect(await lab.runRecipe(fork, (b) => events.push(...b), 'cpu')).toEqual({ status: 'done' });
    expect(new Set(events.flatMap((e) => (e.type === 'step' ? [e.nodeId] : [])))).toEqual(new Set(['distill-b']));
    const zip = await lab.exportNode('distill-b');
    expect(zip.files.map((f) => f.name).sort()).toEqual(['config.json', 'model.safetensors', 'qg_distill_lab.json', 'vocab.txt']);
  });
});
