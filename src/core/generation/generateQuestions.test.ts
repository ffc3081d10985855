import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncodedItem } from '../data/sqgExamples';
import { bertPresets } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { BertTokenizer, buildVocabFromTexts } from '../tokenizer/bertTokenizer';
import { generateQuestions } from './generateQuestions';
import { scorerFromModel, type NextTokenScorer, type PromptBatch } from './nextTokenScorer';
import { TableScorer } from './testing/tableScorer';

const data = [
  { id: 'q1', context: '台北是台灣的首都', answer: '台北', question: '台灣的首都在哪' },
  { id: 'q2', context: '玉山是台灣最高的山', answer: '玉山', question: '最高的山是什麼' },
  { id: 'q3', context: '日月潭位於南投', answer: '南投', question: '日月潭在哪裡' },
  { id: 'q4', context: '淡水河流經台北', answer: '淡水河', question: '哪條河流經台北' },
  { id: 'q5', context: '高雄有港口', answer: '高雄', question: '港口在哪' },
];
const tok = BertTokenizer.fromVocab(buildVocabFromTexts(data.flatMap((d) => [d.context, d.answer, d.question])).join('\n'));
const items: EncodedItem[] = data.map((d) => ({
  id: d.id,
  contextIds: tok.encodeText(d.context),
  answerIds: tok.encodeText(d.answer),
  questionIds: tok.encodeText(d.question),
}));
const { cls, sep, mask } = tok.special;

/** A scorer that "knows" each item's question: the next reference token (then [SEP]) gets -0.5, all else -3. */
function oracleScorer(): TableScorer {
  const byContext = new Map(items.map((it) => [it.contextIds.join(','), it.questionIds]));
  const scorer = new TableScorer(
    tok.vocabSize,
    (t) => {
      const s1 = t.indexOf(sep);
      const s2 = t.indexOf(sep, s1 + 1);
      expect(t[0]).toBe(cls);
      const q = byContext.get(t.slice(1, s1).join(','))!;
      const prefix = t.slice(s2 + 1);
      if (prefix.some((id, j) => id !== q[j])) return {}; // off the reference (other beams)
      return { [prefix.length < q.length ? q[prefix.length] : sep]: -0.5 };
    },
    -3,
  );
  // token types: 0 for [CLS] context [SEP], 1 for answer [SEP], 0 for the question and [MASK]
  const score = scorer.score.bind(scorer);
  scorer.score = async (b: PromptBatch) => {
    for (let r = 0; r < b.batch; r++) {
      const ids = Array.from(b.inputIds.subarray(r * b.seqLen, r * b.seqLen + b.maskPos[r] + 1));
      const types = Array.from(b.tokenTypeIds.subarray(r * b.seqLen, r * b.seqLen + b.maskPos[r] + 1));
      const s1 = ids.indexOf(sep);
      const s2 = ids.indexOf(sep, s1 + 1);
      expect(types).toEqual(ids.map((_, j) => (j > s1 && j <= s2 ? 1 : 0)));
      expect(ids.at(-1)).toBe(mask);
    }
    return score(b);
  };
  return scorer;
}

describe('generateQuestions with a fake scorer', () => {
  it.each(['greedy', 'beam'] as const)('%s: builds BERT-SQG prompts, decodes text, keeps input order', async (strategy) => {
    const res = await generateQuestions(oracleScorer(), tok, items, { strategy, batchSize: 2 });
    expect(res).toEqual(
      items.map((it, i) => ({ id: it.id, ids: it.questionIds, text: data[i].question })),
    );
  });

  it('handles no items and rejects bad options', async () => {
    expect(await generateQuestions(oracleScorer(), tok, [], { strategy: 'beam' })).toEqual([]);
    const wrongVocab: NextTokenScorer = { vocabSize: tok.vocabSize + 1, score: async () => new Float32Array(0) };
    await expect(generateQuestions(wrongVocab, tok, items, { strategy: 'greedy' })).rejects.toThrow(
      /model's vocabulary \(\d+ tokens\) does not match the tokenizer's/,
    );
    await expect(generateQuestions(oracleScorer(), tok, items, { strategy: 'top-k' as 'beam' })).rejects.toThrow(/strategy/);
  });
});

describe('generateQuestions with a tiny random BertForMaskedLM', () => {
  let model: BertForMaskedLM;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const config = { ...bertPresets.tiny(tok.vocabSize, 64), hiddenSize: 16, intermediateSize: 32, initializerRange: 0.5 };
    model = BertForMaskedLM.create(config, 3);
  });
  afterAll(() => model.dispose());

  it('batched beam and greedy results equal one-at-a-time results', async () => {
    for (const strategy of ['beam', 'greedy'] as const) {
      const opts = { strategy, beamSize: 3, maxLen: 6 };
      const batched = await generateQuestions(model, tok, items, opts);
      const alone = [];
      for (const it of items) alone.push(...(await generateQuestions(model, tok, [it], { ...opts, batchSize: 1 })));
      expect(batched).toEqual(alone);
      expect(batched.map((r) => r.id)).toEqual(items.map((it) => it.id));
      for (const r of batched) {
        expect(r.ids.length).toBeLessThanOrEqual(6);
        expect(r.ids).not.toContain(sep);
        r.ids.forEach((id, j) => expect(id).not.toBe(r.ids[j - 1])); // no immediate repeat
        expect(r.text).toBe(tok.decode(r.ids));
      }
    }
  });

  it('leaks no tensors: the same count at every step, and before and after a call', async () => {
    const inner = scorerFromModel(model);
    const counts: number[] = [];
    const counting: NextTokenScorer = {
      vocabSize: inner.vocabSize,
      score: (b) => {
        counts.push(tf.memory().numTensors);
        return inner.score(b);
      },
    };
    await generateQuestions(counting, tok, items.slice(0, 2), { strategy: 'greedy', maxLen: 1 }); // warm-up
    counts.length = 0;
    const before = tf.memory().numTensors;
    const res = await generateQuestions(counting, tok, items.slice(0, 2), { strategy: 'beam', maxLen: 12 });
    expect(tf.memory().numTensors).toBe(before);
    expect(counts.length).toBeGreaterThanOrEqual(10);
    expect(counts[9]).toBe(counts[1]); // step 10 vs step 2
    expect(new Set(counts).size).toBe(1);
    expect(res).toHaveLength(2);
  });
});
