import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeKey } from '../experiment/checkpoints';
import type { LabEvent } from '../experiment/events';
import type { Recipe } from '../experiment/recipe';
import { MemoryStorage } from '../experiment/storage';
import { LabService, type LabStore } from './labService';
import { deviceLostFailure } from './runFailure';
import { withShared } from '../../testing/withShared';

/** MemoryStorage with the sizes a LabStore reports (bytes of JSON text or blob). */
class MemoryLabStore extends MemoryStorage implements LabStore {
  private readonly size = new Map<string, number>();
  override async putJson(key: string, value: unknown) {
    this.size.set(key, JSON.stringify(value).length * 2);
    return super.putJson(key, value);
  }
  override async putBytes(key: string, bytes: Uint8Array) {
    this.size.set(key, bytes.byteLength);
    return super.putBytes(key, bytes);
  }
  override async deletePrefix(prefix: string) {
    for (const k of [...this.size.keys()]) if (k.startsWith(prefix)) this.size.delete(k);
    return super.deletePrefix(prefix);
  }
  async keySizes(): Promise<[string, number][]> {
    return [...this.size.entries()];
  }
}

const recipe: Recipe = {
  version: 1,
  nodes: [
    { id: 't', parent: null, stage: 'teacher', config: { init: { preset: 'tiny', layers: 1, hidden: 16, heads: 2, intermediate: 32 }, epochs: 2, batchSize: 4, checkpointEverySteps: 1 } },
    { id: 's', parent: 't', stage: 'student', config: { strategy: 'keep', keep: [0] } },
  ],
  data: { maxSeqLen: 64, maxTrainItems: 12 },
  eval: { limit: 2, samples: 0, sampleEverySteps: 0, beamSize: 1 },
};

describe('LabService', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a lost GPU device fails the running node with what to try, keeps its checkpoint, and the same recipe resumes it', async () => {
    const store = new MemoryLabStore();
    const lab = new LabService({ store });
    await lab.loadSampleDataset();
    const events: LabEvent[] = [];
    let lost = false;
    const outcome = await lab.runRecipe(
      recipe,
      (batch) => {
        events.push(...batch);
        // the device goes away once the teacher has checkpointed a step
        if (!lost && batch.some((e) => e.type === 'record' && e.record.id === 't' && (e.record.steps ?? 0) >= 2)) {
          lost = true;
          lab.fail(deviceLostFailure('GPU process crashed', ['wasm', 'cpu']));
        }
      },
      'webgpu',
      ['wasm', 'cpu'],
    );
    expect(lost).toBe(true);
    expect(outcome.status).toBe('failed');
    expect(outcome.hint?.kind).toBe('device-lost');
    expect(outcome.hint?.tryBackends).toEqual(['wasm', 'cpu']);
    const nodes = Object.fromEntries((await lab.listNodes()).map((n) => [n.id, n]));
    expect(nodes.t!.status).toBe('failed');
    expect(nodes.t!.error).toMatch(/the GPU device was lost \(GPU process crashed\)\. The last checkpoint is kept: resume with a smaller micro-batch, or on another backend \(wasm, cpu\)/);
    expect(nodes.s!.status).toBe('cancelled'); // the run stopped before it: shown as interrupted, resumable
    expect(await store.list(`run/${nodeKey('t', 'train-state/')}`)).not.toEqual([]);

    events.length = 0;
    expect(await lab.runRecipe(recipe, (b) => events.push(...b), 'cpu')).toEqual({ status: 'done' });
    expect(events.some((e) => e.type === 'log' && /node 't': resuming teacher from step [1-9]/.test(e.message))).toBe(true);
    const usage = await lab.storageUsage();
    expect(Object.keys(usage.byNode).sort()).toEqual(['s', 't']);
    expect(usage.byNode.t).toBeGreaterThan(1000);
  });

  it("an exported model's config.json says the dropout the node trained with, also for a model stored before that was written", async () => {
    const store = new MemoryLabStore();
    const lab = new LabService({ store });
    await lab.loadSampleDataset();
    const tree: Recipe = {
      ...recipe,
      nodes: [
        { id: 't', parent: null, stage: 'teacher', config: { init: { preset: 'tiny', layers: 2, hidden: 16, heads: 2, intermediate: 32 }, epochs: 1, batchSize: 8, hiddenDropout: 0.2, attentionDropout: 0.15 } },
        { id: 's', parent: 't', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
        { id: 'x', parent: 's', stage: 'selftrain', config: { epochs: 1, batchSize: 8, hiddenDropout: 0.3, attentionDropout: 0.25 } },
      ],
      eval: { limit: 0 },
    };
    expect(await lab.runRecipe(tree, () => undefined, 'cpu')).toEqual({ status: 'done' });
    const exported = async (id: string) => {
      const zip = unzipSync((await lab.exportNode(id)).zip);
      const name = Object.keys(zip).find((k) => k.endsWith('/config.json'))!;
      return JSON.parse(strFromU8(zip[name]!)) as Record<string, unknown>;
    };
    const rates = (c: Record<string, unknown>) => [c.hidden_dropout_prob, c.attention_probs_dropout_prob];
    expect(rates(await exported('t'))).toEqual([0.2, 0.15]);
    expect(rates(await exported('s'))).toEqual([0.2, 0.15]); // a cut keeps its teacher's config, as the study's cut does
    expect(rates(await exported('x'))).toEqual([0.3, 0.25]);
    // the stored folder says it too (the command line's nodes/<id>/model/ is what transformers loads)
    const stored = `run/${nodeKey('x', 'model/config.json')}`;
    const config = JSON.parse(strFromU8((await store.getBytes(stored))!)) as Record<string, unknown>;
    expect(rates(config)).toEqual([0.3, 0.25]);
    // a model stored by an older lab says the base model's 0.1: the export writes what the node used
    await store.putBytes(stored, strToU8(JSON.stringify({ ...config, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1 })));
    const fixed = await exported('x');
    expect(rates(fixed)).toEqual([0.3, 0.25]);
    expect({ ...fixed, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }).toEqual({ ...config, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 });
  });

  it('a run cancelled during its last checkpoint resumes from that checkpoint in a new lab (a reload)', async () => {
    const store = new MemoryLabStore();
    // a checkpoint write as slow as at full size, so the cancel lands while it is written
    const putJson = store.putJson.bind(store);
    store.putJson = async (k, v) => {
      if (k.endsWith('train-state/state.json')) await new Promise((r) => setTimeout(r, 400));
      return putJson(k, v);
    };
    const lab = new LabService({ store });
    await lab.loadSampleDataset();
    const one: Recipe = { ...recipe, nodes: [{ ...recipe.nodes[0]!, config: { ...(recipe.nodes[0]!.config as object), epochs: 1 } }, recipe.nodes[1]!], eval: { limit: 0 } };
    let total = 0;
    const outcome = await lab.runRecipe(one, (batch) => {
      for (const e of batch)
        if (e.type === 'step' && e.nodeId === 't' && e.step === e.totalSteps && !total) {
          total = e.totalSteps;
          lab.cancel();
        }
    }, 'cpu');
    expect(outcome.status).toBe('cancelled');
    expect(await store.getJson(`run/${nodeKey('t', 'train-state/state.json')}`)).toBeDefined();
    const reloaded = new LabService({ store });
    const events: LabEvent[] = [];
    expect(await reloaded.runRecipe(one, (b) => events.push(...b), 'cpu')).toEqual({ status: 'done' });
    const lines = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`node 't': resuming teacher from step ${total} of ${total}`)));
    expect(events.some((e) => e.type === 'step' && e.nodeId === 't')).toBe(false);
  });

  it("sends a node's status at once: the page sees the teacher running before its examples, model and first step are made", async () => {
    const events: LabEvent[] = [];
    const seen: string[] = [];
    const store = new MemoryLabStore();
    const getJson = store.getJson.bind(store);
    // the runner reads the train-state checkpoint after building the examples and the model, before the first step;
    // MemoryStorage never yields to a timer, like the synchronous work it stands for
    store.getJson = async <T,>(key: string) => {
      if (key.endsWith(nodeKey('t', 'train-state/state.json')))
        seen.push(events.filter((e) => e.type === 'record' && e.record.id === 't').map((e) => (e as { record: { status: string } }).record.status).join(','));
      return getJson<T>(key);
    };
    const lab = new LabService({ store });
    await lab.loadSampleDataset();
    expect(await lab.runRecipe(recipe, (b) => events.push(...b), 'cpu')).toEqual({ status: 'done' });
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['queued,running']));
    expect(events.some((e) => e.type === 'log' && e.message.includes('training items →'))).toBe(true);
  });

  it('reports the data figures through the training path (kept, skipped and windowed items by reason)', async () => {
    const lab = new LabService({ store: new MemoryLabStore() });
    await lab.loadSampleDataset();
    const wide = await lab.dataReport({ limits: { maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 }, policy: 'skip' });
    const tight = await lab.dataReport({ limits: { maxSeqLen: 40, maxAnswerLen: 15, maxQuestionLen: 42 }, policy: 'skip' });
    const window = await lab.dataReport({ limits: { maxSeqLen: 40, maxAnswerLen: 15, maxQuestionLen: 42 }, policy: 'window' });
    expect(wide.kept).toBe(wide.items);
    expect(tight.skipped.byReason['context-too-long']).toBeGreaterThan(0);
    expect(window.windowed.total).toBe(tight.skipped.byReason['context-too-long']);
    expect(wide.tokenizer).toMatch(/character vocabulary built from the dataset/);
  });
});

const TINY_FILES = ['config.json', 'model.safetensors', 'vocab.txt'];
const shared = withShared('labService.test', ...TINY_FILES.map((f) => `fixtures/hf-bert-tiny/${f}`));

describe('LabService base model upload', () => {
  const read = async (name: string) => {
    const { readFileSync } = await import('node:fs');
    const b = readFileSync(shared.path(`fixtures/hf-bert-tiny/${name}`));
    return { name, relativePath: `hf-bert-tiny/${name}`, bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer };
  };
  const files = async () => Promise.all(TINY_FILES.map(read));

  shared.it('names the model after its folder, refuses one bigger than the storage left, and a failed write keeps the old model', async () => {
    const store = new MemoryLabStore();
    let quota = 1e9;
    const lab = new LabService({ store, storageManager: { estimate: async () => ({ usage: 0, quota }) } });
    const first = await lab.loadBaseModel(await files());
    expect(first.ok && first.model.name).toBe('hf-bert-tiny');
    const keysBefore = (await store.list('lab/')).sort();

    quota = 1000;
    const refused = await lab.loadBaseModel(await files());
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/hf-bert-tiny: its files take .* but the browser grants this lab only .* more\. Nothing was changed/);
    expect((await store.list('lab/')).sort()).toEqual(keysBefore);

    quota = 1e9;
    const putBytes = store.putBytes.bind(store);
    let n = 0;
    store.putBytes = async (k, b) => {
      if (++n === 2) throw new Error('QuotaExceededError');
      return putBytes(k, b);
    };
    const failed = await lab.loadBaseModel(await files());
    expect(!failed.ok && failed.error).toMatch(/QuotaExceededError \(the previous model is kept\)/);
    expect((await store.list('lab/')).sort()).toEqual(keysBefore);
    const snap = await lab.snapshot(null);
    expect(snap.baseModel?.name).toBe('hf-bert-tiny');
  });

  shared.it("counts the data figures with the uploaded model's vocabulary without reading its weights", async () => {
    const store = new MemoryLabStore();
    await new LabService({ store }).loadBaseModel(await files());
    const lab = new LabService({ store }); // a fresh worker: nothing in memory
    await lab.loadSampleDataset();
    const read: string[] = [];
    const getBytes = store.getBytes.bind(store);
    store.getBytes = async (k) => {
      read.push(k);
      return getBytes(k);
    };
    const report = await lab.dataReport({ limits: { maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 }, policy: 'skip' });
    expect(report.tokenizer).toMatch(/hf-bert-tiny/);
    expect(read.some((k) => k.endsWith('vocab.txt'))).toBe(true);
    expect(read.filter((k) => /safetensors|pytorch_model/.test(k))).toEqual([]);
  });
});
