import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { labSplit, sampleItems } from '../../data/sampleDataset';
import { readState, writeState } from '../../experiment/checkpoints';
import type { LabEvent } from '../../experiment/events';
import type { Recipe } from '../../experiment/recipe';
import { ExperimentRunner } from '../../experiment/runner';
import { MemoryStorage } from '../../experiment/storage';
import { resolveTokenizer } from '../inputs/tokenizerRule';
import { defineSchema, migrate, RecordVersionError, stamp } from './recordSchema';
import { NODE_RECORD_SCHEMA } from './schemas';

describe('record schemas', () => {
  const schema = defineSchema<{ schemaVersion?: number; a: number; b?: number; c?: number }>({
    name: 'thing',
    version: 3,
    field: 'schemaVersion',
    migrations: [
      { to: 2, note: 'b added', up: (r) => ({ ...r, b: (r.a as number) * 2 }) },
      { to: 3, note: 'c added', up: (r) => ({ ...r, c: (r.b as number) + 1 }) },
    ],
  });
  it('runs every migration after the stored version, in order', () => {
    expect(migrate(schema, { a: 1 })).toEqual({ a: 1, b: 2, c: 3, schemaVersion: 3 });
    expect(migrate(schema, { a: 1, b: 5, schemaVersion: 2 })).toEqual({ a: 1, b: 5, c: 6, schemaVersion: 3 });
    expect(migrate(schema, { a: 1, b: 5, c: 0, schemaVersion: 3 })).toEqual({ a: 1, b: 5, c: 0, schemaVersion: 3 });
    expect(stamp(schema, { a: 1 })).toEqual({ a: 1, schemaVersion: 3 });
  });
  it('refuses a record from a newer lab and a bad version, naming where', () => {
    expect(() => migrate(schema, { a: 1, schemaVersion: 4 }, 'x.json')).toThrow(RecordVersionError);
    expect(() => migrate(schema, { a: 1, schemaVersion: 4 }, 'x.json')).toThrow(/thing \(x\.json\) was written by a newer version of the lab \(schemaVersion 4; this one reads up to 3\)/);
    expect(() => migrate(schema, { a: 1, schemaVersion: 'x' })).toThrow(/must be a positive integer/);
    expect(() => migrate(schema, [1])).toThrow(/not a JSON object/);
  });
  it('checks that migrations cover every version', () => {
    expect(() => defineSchema({ name: 'bad', version: 3, field: 'v', migrations: [{ to: 3, note: '', up: (r) => r }] })).toThrow(/ordered and cover/);
  });
  it('upgrades a v1 NodeState to a NodeRecord', () => {
    const v1 = { id: 'd', stage: 'distill', parent: 's', config: { hiddenDropout: 0.3, distill: { schedule: 'all' } }, status: 'done', finalLoss: 1.5, startedAt: 7 };
    expect(migrate(NODE_RECORD_SCHEMA, v1)).toEqual({
      id: 'd', stage: 'distill', parent: 's', config: v1.config, status: 'done', startedAt: 7,
      label: 'Distill all · drop 0.3', createdAt: 7, lastLoss: 1.5, schemaVersion: 2,
    });
  });
});

describe('staleness compares resolved configs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const recipe: Recipe = {
    version: 1,
    nodes: [{ id: 't', parent: null, stage: 'teacher', config: { init: { preset: 'tiny', layers: 1, hidden: 16, heads: 2, intermediate: 32 }, epochs: 1, batchSize: 8, learningRate: 0.001 } }],
    data: { maxSeqLen: 64, maxTrainItems: 8 },
    eval: { limit: 2, samples: 0, sampleEverySteps: 0 },
  };
  it('keeps a done node made under older defaults and says which fields differ; same model under another spelling is kept', async () => {
    const storage = new MemoryStorage();
    const all = sampleItems();
    const { train, test } = labSplit(all);
    const { tokenizer } = resolveTokenizer({ items: all });
    const events: LabEvent[] = [];
    const runner = () => new ExperimentRunner({ storage, train, test, tokenizer, onEvent: (e) => events.push(e) });
    await runner().run(recipe);
    const done = (await readState(storage, 't'))!;
    expect(done.status).toBe('done');
    // pretend the node was made when the default weightDecay was 0.01
    await writeState(storage, { ...done, resolved: { ...(done.resolved as object), weightDecay: 0.01 } });
    events.length = 0;
    await runner().run(recipe);
    const kept = (await readState(storage, 't'))!;
    expect(kept.olderDefaults).toEqual(['weightDecay']);
    expect(kept.finishedAt).toBe(done.finishedAt);
    expect(events.some((e) => e.type === 'step')).toBe(false);
    expect(events.some((e) => e.type === 'log' && /made under older defaults \(weightDecay/.test(e.message))).toBe(true);
    // writing a default out explicitly resolves to the same config: not redone
    const spelled: Recipe = { ...recipe, nodes: [{ ...recipe.nodes[0]!, config: { ...recipe.nodes[0]!.config, weightDecay: 0 } }] };
    await writeState(storage, { ...kept, resolved: done.resolved });
    events.length = 0;
    await runner().run(spelled);
    expect(events.some((e) => e.type === 'step')).toBe(false);
    expect((await readState(storage, 't'))!.finishedAt).toBe(done.finishedAt);
    // a memory-only setting (micro-batch, recompute) is the same node: it keeps its work and can resume with it
    events.length = 0;
    await runner().run({ ...recipe, nodes: [{ ...recipe.nodes[0]!, config: { ...recipe.nodes[0]!.config, microBatchSize: 2, recomputeLayers: true } }] });
    expect(events.some((e) => e.type === 'step')).toBe(false);
    expect((await readState(storage, 't'))!.config).toMatchObject({ microBatchSize: 2, recomputeLayers: true });
    // a real change is redone
    events.length = 0;
    await runner().run({ ...recipe, nodes: [{ ...recipe.nodes[0]!, config: { ...recipe.nodes[0]!.config, learningRate: 0.002 } }] });
    expect(events.some((e) => e.type === 'step')).toBe(true);
  });
});
