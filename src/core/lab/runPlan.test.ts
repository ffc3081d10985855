import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { labSplit, sampleItems } from '../data/sampleDataset';
import { prepareExampleSet } from '../data/sqgExampleStore';
import { holdOutItems } from '../data/heldOut';
import type { Recipe } from '../experiment/recipe';
import { resolveTokenizer } from './inputs/tokenizerRule';
import { planRun } from './runPlan';

describe('planRun', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const tiny = { preset: 'tiny', layers: 2, hidden: 16, heads: 2, intermediate: 32 };
  const recipe: Recipe = {
    version: 1,
    nodes: [
      { id: 't', parent: null, stage: 'teacher', config: { init: tiny, epochs: 3, batchSize: 4 } },
      { id: 's', parent: 't', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
      { id: 'd', parent: 's', stage: 'distill', config: { epochs: 1, batchSize: 4, microBatchSize: 2 } },
    ],
    data: { maxSeqLen: 64, maxTrainItems: 20 },
  };
  it('counts examples and steps as a run would, times real steps and projects the time and storage', async () => {
    const all = sampleItems();
    const { train } = labSplit(all);
    const { tokenizer } = resolveTokenizer({ items: all });
    const before = tf.memory().numTensors;
    const plan = await planRun({ recipe, train, tokenizer, tokenizerHow: 'built', backend: 'cpu', timeSteps: 2, storage: { usage: 0, quota: 1e9 } });
    expect(tf.memory().numTensors).toBe(before);
    // as the runner trains: the default validation hold-out (16 of 272) out first, then the first 20 items
    const examples = prepareExampleSet(tokenizer, holdOutItems(train, 16).train.slice(0, 20), { maxSeqLen: 64, maxAnswerLen: 15, maxQuestionLen: 42 }).set.size;
    const [t, s, d] = plan.stages;
    expect(plan.data.examples).toBe(examples);
    expect([t!.examples, t!.stepsPerEpoch, t!.totalSteps, t!.microBatchSize]).toEqual([examples, Math.ceil(examples / 4), 3 * Math.ceil(examples / 4), 4]);
    // the study's distill default: half the examples
    expect([d!.examples, d!.totalSteps, d!.microBatchSize]).toEqual([Math.floor(examples * 0.5), Math.ceil(Math.floor(examples * 0.5) / 4), 2]);
    expect(s!.secondsPerStep).toBeUndefined();
    for (const x of [t!, d!]) {
      expect(x.secondsPerStep).toBeGreaterThan(0);
      expect(x.projectedMs).toBeCloseTo(x.secondsPerStep! * 1000 * x.totalSteps, 6);
      expect(x.peakBytes).toBeGreaterThan(0);
    }
    expect(plan.totalMs).toBeCloseTo(t!.projectedMs! + d!.projectedMs!, 6);
    expect(Object.keys(plan.storage.perNode).sort()).toEqual(['d', 's', 't']);
    expect(plan.storage.fits).toBe(true);
    expect(plan.knobs.some((k) => k.name.startsWith('t: epochs 1'))).toBe(true);
  });
  it('counts without a hold-out when data.validationItems is 0, and the hold-out changes the count here', async () => {
    const all = sampleItems();
    const { train } = labSplit(all);
    const { tokenizer } = resolveTokenizer({ items: all });
    const count = (items: typeof train) => prepareExampleSet(tokenizer, items, { maxSeqLen: 64, maxAnswerLen: 15, maxQuestionLen: 42 }).set.size;
    const one = { ...recipe, nodes: recipe.nodes.slice(0, 1), data: { maxSeqLen: 64 } };
    const none = await planRun({ recipe: { ...one, data: { ...one.data, validationItems: 0 } }, train, tokenizer, tokenizerHow: 'built', backend: 'cpu', timeSteps: 1 });
    const dflt = await planRun({ recipe: one, train, tokenizer, tokenizerHow: 'built', backend: 'cpu', timeSteps: 1 });
    expect(none.stages[0]!.examples).toBe(count(train));
    expect(dflt.stages[0]!.examples).toBe(count(holdOutItems(train, 16).train));
    expect(dflt.stages[0]!.examples).not.toBe(none.stages[0]!.examples);
  });

  it('says when the tree will not fit the storage left', async () => {
    const all = sampleItems();
    const { tokenizer } = resolveTokenizer({ items: all });
    const plan = await planRun({ recipe: { ...recipe, nodes: recipe.nodes.slice(0, 2) }, train: labSplit(all).train, tokenizer, tokenizerHow: 'built', backend: 'cpu', timeSteps: 1, storage: { usage: 900, quota: 1000 } });
    expect(plan.storage.fits).toBe(false);
    expect(plan.storage.bytes).toBeGreaterThan(100);
  });
});
