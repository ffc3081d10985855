// The runner's validation curve (held-out training items, points every N steps and at the end, stored in
// history.json and in the record), its evaluation progress and timing runs, and the rule that keeps a tree trained
// before held-out validation existed on every training item.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleItems } from '../data/sampleDataset';
import { nodeKey, readHistory, readState, readValidation } from './checkpoints';
import type { LabEvent } from './events';
import type { Recipe } from './recipe';
import { ExperimentRunner } from './runner';
import { MemoryStorage, type RunStorage } from './storage';
import { tokenizerFor } from '../data/testing/itemsTokenizer';

const items = sampleItems();
const train = items.slice(0, 40);
const test = items.slice(200, 203);
const tok = tokenizerFor(items);
const TEACHER = { init: { preset: 'tiny', layers: 1, hidden: 16, heads: 2, intermediate: 32 }, epochs: 1, batchSize: 16, learningRate: 1e-3 };

const recipe = (over: Partial<Recipe> = {}): Recipe => ({
  version: 1,
  data: { maxSeqLen: 48, policy: 'window' },
  eval: { beamSize: 2, limit: 3, batchSize: 3, samples: 0, sampleEverySteps: 0 },
  nodes: [{ id: 'teacher', parent: null, stage: 'teacher', config: TEACHER }],
  ...over,
});

const run = async (storage: RunStorage, r: Recipe) => {
  const events: LabEvent[] = [];
  const summary = await new ExperimentRunner({ storage, train, test, tokenizer: tok, onEvent: (e) => events.push(e), backend: 'cpu' }).run(r);
  return { events, summary, logs: events.flatMap((e) => (e.type === 'log' ? [e.message] : [])) };
};
const of = <K extends LabEvent['type']>(events: LabEvent[], type: K) => events.filter((e): e is Extract<LabEvent, { type: K }> => e.type === type);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the validation curve in a run', () => {
  it('holds out a tenth of the training items by default, validates every tenth of the steps and after the last, stores the curve', async () => {
    const storage = new MemoryStorage();
    const { events, logs } = await run(storage, recipe());
    expect(logs).toContain(
      'validation: 4 of the 40 training items are held out of training for the validation curve (drawn from the training split, which has no dev part; never from the test split)',
    );
    // the 36 others are the training items
    expect(logs.find((m) => /training items → \d+ examples/.test(m))).toMatch(/^36 of 36 training items/);
    const steps = of(events, 'step');
    const total = steps[0]!.totalSteps;
    const every = Math.max(1, Math.round(total / 10));
    const v = of(events, 'validation');
    const expected = steps.map((s) => s.step).filter((s) => s % every === 0 || s === total);
    expect(v.map((p) => p.step)).toEqual(expected);
    expect(v.every((p) => p.nodeId === 'teacher' && p.stage === 'teacher' && p.items === 4 && p.examples > 4 && Number.isFinite(p.loss))).toBe(true);
    // eval.validationScore unset: loss only
    expect(v.some((p) => 'avgScore' in p || 'scored' in p)).toBe(false);
    // each point follows its step's event and comes before the node is done
    const at = (e: LabEvent) => events.indexOf(e);
    for (const p of v) expect(at(p)).toBeGreaterThan(at(steps.find((s) => s.step === p.step)!));
    expect(at(v.at(-1)!)).toBeLessThan(events.findIndex((e) => e.type === 'node' && e.status === 'done'));
    // stored beside the loss history, and the last point in the record
    const stored = await readValidation(storage, 'teacher');
    expect(stored).toEqual(v.map(({ type: _t, nodeId: _n, stage: _s, ...p }) => p));
    expect((await readHistory(storage, 'teacher')).length).toBe(total);
    const rec = (await readState(storage, 'teacher'))!;
    expect(rec.heldOut).toBe(4);
    expect(rec.validationLoss).toEqual({ step: total, loss: v.at(-1)!.loss, examples: v.at(-1)!.examples });
  });

  it('eval.validationScore n: each point also carries avg_score of greedy questions for the first n held-out items, stored too', async () => {
    const storage = new MemoryStorage();
    const { events } = await run(storage, recipe({ eval: { beamSize: 1, limit: 1, samples: 0, sampleEverySteps: 0, validationScore: 2 } }));
    const v = of(events, 'validation');
    expect(v.length).toBeGreaterThan(1);
    for (const p of v) {
      expect(p.scored).toBe(2);
      expect(p.avgScore).toBeGreaterThanOrEqual(0);
      expect(p.avgScore).toBeLessThanOrEqual(1);
    }
    const stored = await readValidation(storage, 'teacher');
    expect(stored.map((p) => [p.step, p.avgScore, p.scored])).toEqual(v.map((p) => [p.step, p.avgScore, p.scored]));
  });

  it('evaluation: progress events, then the timing runs in the record (median as ms per question)', async () => {
    const storage = new MemoryStorage();
    const { events, logs } = await run(storage, recipe({ eval: { beamSize: 2, limit: 3, batchSize: 3, samples: 0, sampleEverySteps: 0, timingRepeats: 4 } }));
    const p = of(events, 'evalProgress');
    expect(p[0]).toMatchObject({ nodeId: 'teacher', part: 'generating', done: 0, total: 3 });
    expect(p.filter((e) => e.part === 'generating').at(-1)).toMatchObject({ done: 3, total: 3, etaMs: 0 });
    expect(p.filter((e) => e.part === 'timing').at(-1)).toMatchObject({ done: 4, total: 4 });
    expect(events.indexOf(p.at(-1)!)).toBeLessThan(events.findIndex((e) => e.type === 'eval'));
    const rec = (await readState(storage, 'teacher'))!;
    expect(rec.genTiming!.runs).toHaveLength(4);
    expect(rec.genMsPerQuestion).toBe(rec.genTiming!.median);
    expect(rec.evalCount).toBe(3);
    expect(logs.some((m) => /^node 'teacher': generation [\d.]+ ms per question, median of 4 runs of 3 questions/.test(m))).toBe(true);
    expect(logs).toContain(
      "node 'teacher': scores over 3 test questions: too few to tell branches apart (small differences between branches are noise; evaluate on at least 100 questions to compare them)",
    );
  });

  it('validationItems 0 turns it off; validationEverySteps 0 validates after the last step only', async () => {
    const off = await run(new MemoryStorage(), recipe({ data: { maxSeqLen: 48, policy: 'window', validationItems: 0 } }));
    expect(of(off.events, 'validation')).toEqual([]);
    expect(off.logs.find((m) => /training items → \d+ examples/.test(m))).toMatch(/^40 of 40 training items/);
    const last = await run(new MemoryStorage(), recipe({ eval: { beamSize: 1, limit: 1, samples: 0, validationEverySteps: 0 } }));
    const total = of(last.events, 'step')[0]!.totalSteps;
    expect(of(last.events, 'validation').map((p) => p.step)).toEqual([total]);
  });

  it('a tree trained before held-out validation existed keeps training on every item (no redo), and says so', async () => {
    const storage = new MemoryStorage();
    await run(storage, recipe({ data: { maxSeqLen: 48, policy: 'window', validationItems: 0 } }));
    // as a lab before this option wrote it: no heldOut in the record, data options without validationItems
    const key = nodeKey('teacher', 'state.json');
    const { heldOut: _h, ...old } = (await storage.getJson<Record<string, unknown>>(key))!;
    await storage.putJson(key, { ...old, data: { maxSeqLen: 48, policy: 'window' } });
    const again = await run(storage, recipe());
    expect(of(again.events, 'step')).toEqual([]);
    expect(again.summary.nodes[0]!.status).toBe('done');
    expect(again.logs.some((m) => /^validation: data.validationItems is not set and node 'teacher' was trained on every training item/.test(m))).toBe(true);
    // a new node of that tree trains on every item too (the same inputs as its parent)
    const child = await run(storage, recipe({ nodes: [...recipe().nodes, { id: 'st', parent: 'teacher', stage: 'selftrain', config: { epochs: 1, batchSize: 16, learningRate: 1e-3 } }] }));
    expect(of(child.events, 'validation')).toEqual([]);
    expect((await readState(storage, 'st'))!.heldOut).toBe(0);
  });

  it('refuses to hold out every training item', async () => {
    await expect(run(new MemoryStorage(), recipe({ data: { validationItems: 40 } }))).rejects.toThrow(/cannot hold out 40 of 40 training items/);
  });
});
