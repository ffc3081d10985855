import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { withShared } from '../../testing/withShared';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { bertNormalize, normalizeReference } from './normalize';
import { METRIC_KEYS, scoreQuestions } from './score';

const VOCAB = 'vocab/bert-base-chinese-vocab.txt';
const shared = withShared('normalize.test', VOCAB);
const tok = shared.available ? BertTokenizer.fromVocab(readFileSync(shared.path(VOCAB), 'utf8')) : (undefined as unknown as BertTokenizer);

shared.describe("references normalised as the generated questions are ('bert')", () => {
  it('lower-cases and strips accents as the tokenizer does; Chinese text and punctuation stay', () => {
    expect(bertNormalize(tok, 'NBA球員是誰？')).toBe('nba球員是誰？');
    expect(bertNormalize(tok, 'Café在哪裡')).toBe('cafe在哪裡');
    expect(bertNormalize(tok, '台北市位於哪裡？')).toBe('台北市位於哪裡？');
    expect(normalizeReference(tok, 'NBA球員', 'none')).toBe('NBA球員');
    // what a generated question with the same ids reads as: normalising twice changes nothing more
    const once = bertNormalize(tok, 'iPhone 12的CPU是哪家公司做的？');
    expect(bertNormalize(tok, once)).toBe(once);
  });

  it('a hypothesis that only differs in case scores as identical under bert, and lower raw', () => {
    // the model can only write lower case: "nba" for a reference "NBA"
    const hyps = { a: 'nba球員是誰？', b: '台北市位於哪裡？' };
    const raw = { a: ['NBA球員是誰？'], b: ['台北市位於哪裡？'] };
    const bert = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.map((r) => normalizeReference(tok, r, 'bert'))]));
    const none = scoreQuestions(hyps, raw);
    const norm = scoreQuestions(hyps, bert);
    const same = scoreQuestions({ a: 'NBA球員是誰？', b: hyps.b }, raw);
    for (const k of [...METRIC_KEYS, 'avg_score'] as const) {
      expect(norm[k], k).toBeCloseTo(same[k], 12);
      // METEOR's -norm lower-cases by itself; BLEU and ROUGE-L compare characters as they are
      if (k === 'METEOR') expect(none[k]).toBeCloseTo(norm[k], 12);
      else expect(norm[k], k).toBeGreaterThan(none[k]);
    }
    expect(norm.avg_score).toBeGreaterThan(0.99);
    expect(none.avg_score).toBeLessThan(0.9);
  });
});

it('avg_score is the mean of the six metrics, each within [0, 1]: 1 for identical questions, ~0 for no overlap', () => {
  const refs = { a: ['台北市位於哪裡？'], b: ['誰發明了電話？'] };
  const same = scoreQuestions({ a: '台北市位於哪裡？', b: '誰發明了電話？' }, refs);
  const none = scoreQuestions({ a: '甲乙丙丁戊己', b: '庚辛壬癸子丑' }, refs);
  const half = scoreQuestions({ a: '台北市位於哪裡？', b: '庚辛壬癸子丑' }, refs);
  for (const s of [same, none, half]) {
    const mean = METRIC_KEYS.reduce((t, k) => t + s[k], 0) / METRIC_KEYS.length;
    expect(s.avg_score).toBeCloseTo(mean, 15);
    for (const k of METRIC_KEYS) {
      expect(s[k], k).toBeGreaterThanOrEqual(0);
      expect(s[k], k).toBeLessThanOrEqual(1);
    }
  }
  expect(same.avg_score).toBeGreaterThan(0.999);
  expect(none.avg_score).toBeLessThan(1e-6);
  expect(half.avg_score).toBeGreaterThan(none.avg_score);
  expect(half.avg_score).toBeLessThan(same.avg_score);
});
