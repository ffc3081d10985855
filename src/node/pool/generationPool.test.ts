// The pool gives exactly the questions of one thread, in item order; frees what it makes; and a worker's failure
// rejects the call with the worker's message, leaving no thread.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncodedItem } from '../../core/data/sqgExamples';
import { generateQuestions, type GenerateOptions } from '../../core/generation/generateQuestions';
import { useBackend } from '../../core/kernels/useBackend';
import { bertPresets } from '../../core/model/bertConfig';
import { BertForMaskedLM } from '../../core/model/bertForMaskedLM';
import { BertTokenizer, buildVocabFromTexts } from '../../core/tokenizer/bertTokenizer';
import { GenerationPool } from './generationPool';

const contexts = ['台北是台灣的首都', '玉山是台灣最高的山，位於中部', '日月潭位於南投', '淡水河流經台北，注入台灣海峽', '高雄有港口'];
const data = Array.from({ length: 11 }, (_, i) => {
  const context = contexts[i % 5]!.repeat(1 + (i % 3));
  return { id: `q${i}`, context, answer: context.slice(i % 4, (i % 4) + 2) };
});
const tok = BertTokenizer.fromVocab(buildVocabFromTexts(contexts).join('\n'));
const items: EncodedItem[] = data.map((d) => ({ id: d.id, contextIds: tok.encodeText(d.context), answerIds: tok.encodeText(d.answer), questionIds: [] }));
const liveThreads = () => (process.report.getReport() as { workers: unknown[] }).workers.length;

let model: BertForMaskedLM;
beforeAll(async () => {
  await useBackend('wasm');
  model = BertForMaskedLM.create(bertPresets.tiny(tok.vocabSize, 128), 7);
});
afterAll(() => model.dispose());

const openPool = async (threads: number, weights?: Map<string, { shape: number[]; data: Float32Array }>) =>
  GenerationPool.open({ threads, backend: 'wasm', config: model.config, weights: weights ?? (await model.toStateDict()), tokenizer: tok });

describe('GenerationPool', () => {
  describe('on 2 threads', () => {
    let pool: GenerationPool;
    let before: number;
    beforeAll(async () => {
      // the reference model keeps its decoder's transpose once it scores several rows on WASM: counted before, not leaked
      await generateQuestions(model, tok, items, { strategy: 'beam', beamSize: 3, maxLen: 2, batchSize: 3 });
      before = tf.memory().numTensors;
      pool = await openPool(2);
    });
    afterAll(async () => {
      await pool.close();
      expect(liveThreads()).toBe(0);
      expect(tf.memory().numTensors).toBe(before);
    });

    it.each<[string, GenerateOptions]>([
      ['greedy', { strategy: 'greedy', maxLen: 8, batchSize: 3 }],
      ['beam 3', { strategy: 'beam', beamSize: 3, maxLen: 8, batchSize: 3 }],
    ])('%s: the questions of one thread, in item order', async (_, opts) => {
      const single = await generateQuestions(model, tok, items, opts);
      expect(new Set(single.map((q) => q.text)).size).toBeGreaterThan(3); // a test that could tell orders apart
      expect(pool.threads).toBe(2);
      expect(await pool.generate(items, opts)).toEqual(single);
      // the workers free what each task makes: their count stays put over a second call
      const after1 = [...pool.workerTensors];
      expect(after1.every((n) => n > 0)).toBe(true);
      expect(await pool.generate(items.slice(2, 9), opts)).toEqual(single.slice(2, 9));
      expect(pool.workerTensors).toEqual(after1);
    });

    it('fewer items than threads: the idle worker gets nothing; no items: no questions', async () => {
      const opts: GenerateOptions = { strategy: 'greedy', maxLen: 5 };
      expect(await pool.generate(items.slice(4, 5), opts)).toEqual(await generateQuestions(model, tok, items.slice(4, 5), opts));
      expect(await pool.generate([], opts)).toEqual([]);
    });
  });

  it("an error in a worker rejects the call with the worker's message and leaves no thread running", async () => {
    const pool = await openPool(2);
    const err = await pool.generate(items, { strategy: 'sample' as 'greedy' }).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'RangeError', message: `strategy must be 'greedy' or 'beam', got "sample"` });
    expect(liveThreads()).toBe(0);
    await pool.close();
  });

  it("a weight the worker refuses fails open with the worker's message; an abort ends the pool", async () => {
    const weights = await model.toStateDict();
    weights.get('bert.encoder.layer.0.output.dense.bias')!.data[3] = NaN;
    await expect(openPool(2, weights)).rejects.toThrow("weight 'bert.encoder.layer.0.output.dense.bias' holds NaN at index 3");
    expect(liveThreads()).toBe(0);

    const pool = await openPool(2);
    const ac = new AbortController();
    const running = pool.generate(items, { strategy: 'beam', maxLen: 40 }, ac.signal);
    ac.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(liveThreads()).toBe(0);
  });
});
