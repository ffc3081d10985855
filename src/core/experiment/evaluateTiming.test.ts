// evaluate(): the timed repeats of generation (median / min / max of each run's ms per question), the progress it
// reports, and the % of the teacher from medians.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QgItem } from '../data/drcd';
import type { EncodedItem } from '../data/sqgExamples';
import type { GenerateOptions } from '../generation/generateQuestions';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { bertPresets } from '../model/bertConfig';
import { BertTokenizer, buildVocabFromTexts } from '../tokenizer/bertTokenizer';
import { evaluate, msPerQuestion, relativeToTeacher, timingOf, type EvalProgress, type EvaluationResult } from './evaluate';

const items: QgItem[] = Array.from({ length: 10 }, (_, i) => ({
  id: `q${i}`,
  context: `第${i}城位於台灣北部。`,
  answer: '台灣北部',
  answerStart: 5,
  question: `第${i}城位於哪裡？`,
}));
const tok = BertTokenizer.fromVocab(buildVocabFromTexts(items.flatMap((i) => [i.context, i.question])).join('\n'));
const limits = { maxSeqLen: 40, maxAnswerLen: 15, maxQuestionLen: 6 };
let model: BertForMaskedLM;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = BertForMaskedLM.create({ ...bertPresets.tiny(tok.vocabSize, 64), hiddenSize: 16, intermediateSize: 32 }, 3);
});
afterAll(() => model.dispose());

describe('timingOf', () => {
  it('median (middle two averaged for an even count), min, max; keeps the runs in order', () => {
    expect(timingOf([10.9, 6.2, 6.8], 30)).toEqual({ runs: [10.9, 6.2, 6.8], median: 6.8, min: 6.2, max: 10.9, questions: 30 });
    expect(timingOf([4, 1, 3, 2], 5).median).toBe(2.5);
    expect(() => timingOf([], 1)).toThrow(/no runs/);
  });
});

describe('evaluate: timing runs and progress', () => {
  it('times the first min(n, batchSize) questions timingRepeats times, through the generate hook too', async () => {
    const calls: { n: number; maxLen?: number }[] = [];
    const generate = async (its: readonly EncodedItem[], o: GenerateOptions) => {
      calls.push({ n: its.length, maxLen: o.maxLen });
      return its.map((it) => ({ id: it.id, text: '哪裡' }));
    };
    const r = await evaluate({ config: model.config }, tok, items, { beamSize: 1, limits, batchSize: 4, timingRepeats: 5, generate });
    // warm-up (one batch, 2 tokens), the pass over every item, then 5 timed runs of one batch
    expect(calls).toEqual([{ n: 4, maxLen: 2 }, { n: 10, maxLen: 6 }, ...Array(5).fill({ n: 4, maxLen: 6 })]);
    expect(r.genTiming.runs).toHaveLength(5);
    expect(r.genTiming.questions).toBe(4);
    expect(r.genTiming.min).toBeLessThanOrEqual(r.genTiming.median);
    expect(r.genTiming.median).toBeLessThanOrEqual(r.genTiming.max);
    expect(r.genTiming).toEqual(timingOf(r.genTiming.runs, 4));
  });

  it('reports generation progress (questions) and timing progress (runs), ending each part at its total', async () => {
    const seen: EvalProgress[] = [];
    const r = await evaluate(model, tok, items, { beamSize: 2, limits, timingRepeats: 2, progressEveryMs: 0, onProgress: (p) => seen.push(p) });
    const gen = seen.filter((p) => p.part === 'generating');
    // 10 questions decode in chunks of 4 (at least 4, about a tenth of the set): 0, 4, 8, 10, and the final 10
    expect(gen.map((p) => p.done)).toEqual([0, 4, 8, 10, 10]);
    expect(gen.every((p) => p.total === 10)).toBe(true);
    expect(gen[1]!.etaMs).toBeGreaterThan(0);
    expect(gen.at(-1)!.etaMs).toBe(0);
    expect(seen.filter((p) => p.part === 'timing').map((p) => [p.done, p.total])).toEqual([[1, 2], [2, 2]]);
    expect(r.genTiming.runs).toHaveLength(2);
    expect(r.genTiming.questions).toBe(10);
    // same questions as decoding them all in one batch
    const one = await evaluate(model, tok, items, { beamSize: 2, limits, timingRepeats: 1, batchSize: 64 });
    expect(one.questions.map((q) => q.generated)).toEqual(r.questions.map((q) => q.generated));
  });

  it('throttles progress (the final one of each part always comes) and a throwing listener does not stop it', async () => {
    const seen: EvalProgress[] = [];
    await evaluate(model, tok, items, {
      beamSize: 1, limits, timingRepeats: 1, progressEveryMs: 60_000,
      onProgress: (p) => {
        seen.push(p);
        throw new Error('listener');
      },
    });
    expect(seen.map((p) => [p.part, p.done])).toEqual([['generating', 0], ['generating', 10], ['timing', 1]]);
  });

  it('refuses a timingRepeats that is not a positive integer', async () => {
    await expect(evaluate(model, tok, items, { beamSize: 1, limits, timingRepeats: 0 })).rejects.toThrow(/timingRepeats must be a positive integer/);
  });
});

describe('relativeToTeacher', () => {
  const res = (genTimeMs: number, n: number, median?: number) =>
    ({ genTimeMs, n, params: 100, metrics: { avg_score: 0.5 }, ...(median !== undefined ? { genTiming: timingOf([median], n) } : {}) }) as unknown as EvaluationResult;
  it('compares the timing medians; a result without runs uses its one pass', () => {
    expect(relativeToTeacher(res(1000, 10, 5), res(9999, 10, 10)).timePct).toBe(50);
    expect(msPerQuestion(res(300, 10))).toBe(30);
    expect(relativeToTeacher(res(300, 10), res(9999, 10, 60)).timePct).toBe(50);
  });
});
