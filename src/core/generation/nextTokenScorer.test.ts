import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bertPresets } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { packPrompts, scorerFromModel, type MaskedLmModel, type Prompt } from './nextTokenScorer';

const V = 24;
let model: BertForMaskedLM;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = BertForMaskedLM.create({ ...bertPresets.tiny(V, 64), hiddenSize: 16, intermediateSize: 32, initializerRange: 0.5 }, 7);
});
afterAll(() => model.dispose());

const prompts: Prompt[] = [
  { inputIds: [2, 5, 6, 3, 7, 3, 4], tokenTypeIds: [0, 0, 0, 0, 1, 1, 0], maskPos: 6 },
  { inputIds: [2, 8, 3, 9, 3, 10, 11, 4], tokenTypeIds: [0, 0, 0, 1, 1, 0, 0, 0], maskPos: 7 },
  { inputIds: [2, 3, 12, 3, 4], tokenTypeIds: [0, 0, 1, 1, 0], maskPos: 4 },
];

describe('scorerFromModel', () => {
  it('returns log-softmax rows at the masks, padded only to the longest row, equal to unpadded single rows', async () => {
    const shapes: number[][] = [];
    const heads: unknown[] = [];
    const spy: MaskedLmModel = {
      config: model.config,
      forward: (inputs, opts) => {
        shapes.push(inputs.inputIds.shape);
        heads.push(opts?.headPositions instanceof tf.Tensor ? Array.from(opts.headPositions.dataSync()) : opts?.headPositions);
        return model.forward(inputs, opts);
      },
    };
    const scorer = scorerFromModel(spy);
    expect(scorer.vocabSize).toBe(V);
    const batched = await scorer.score(packPrompts(prompts));
    expect(shapes).toEqual([[3, 8]]);
    expect(heads).toEqual([[6, 7, 4]]);
    expect(batched.length).toBe(3 * V);
    for (let r = 0; r < prompts.length; r++) {
      const row = batched.subarray(r * V, (r + 1) * V);
      expect(Array.from(row).reduce((s, x) => s + Math.exp(x), 0)).toBeCloseTo(1, 5);
      const alone = await scorer.score(packPrompts([prompts[r]]));
      for (let j = 0; j < V; j++) expect(row[j]).toBeCloseTo(alone[j], 5);
    }
  });

  it('frees every tensor it makes', async () => {
    const scorer = scorerFromModel(model);
    await scorer.score(packPrompts(prompts)); // warm-up (kernels, backend state)
    const before = tf.memory().numTensors;
    await scorer.score(packPrompts(prompts));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("surfaces the model's error for a prompt longer than its positions", async () => {
    const long: Prompt = { inputIds: new Array(65).fill(5), tokenTypeIds: new Array(65).fill(0), maskPos: 64 };
    const before = tf.memory().numTensors;
    await expect(scorerFromModel(model).score(packPrompts([long]))).rejects.toThrow(/exceeds maxPositionEmbeddings 64/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
