import { describe, expect, it } from 'vitest';
import { bleuFromCounts, bleuSegmentStats, bleuTotals, corpusBleu, sentenceBleu } from './bleu';

const t = (s: string) => s.split(' ').filter(Boolean);

describe('BLEU (pycocoevalcap BleuScorer, option=closest)', () => {
  it('clips n-gram counts by the max count over references', () => {
    const s = bleuSegmentStats(t('a a a b'), [t('a b'), t('a a c')]);
    expect(s.testlen).toBe(4);
    expect(s.guess).toEqual([4, 3, 2, 1]);
    // unigrams: a min(3, 2) + b min(1, 1) = 3; bigrams: "a a" min(2, 1) + "a b" 1 = 2; no trigram / 4-gram
    expect(s.correct).toEqual([3, 2, 0, 0]);
  });

  it("'closest' reference length, the shorter one on a tie", () => {
    expect(bleuSegmentStats(t('a b c d'), [t('a b c d e f'), t('a b')]).reflen).toBe(2); // |4-6| = |4-2|
    expect(bleuSegmentStats(t('a b c d'), [t('a b'), t('a b c d e f')]).reflen).toBe(2);
    expect(bleuSegmentStats(t('a b c d'), [t('a'), t('a b c d e')]).reflen).toBe(5);
  });

  it('smoothing: identical texts give slightly less than 1, no overlap gives ~1e-17 rather than 0', () => {
    const same = sentenceBleu(bleuSegmentStats(t('a b c d e'), [t('a b c d e')]));
    for (const b of same) {
      expect(b).toBeLessThan(1);
      expect(b).toBeGreaterThan(0.9999999);
    }
    const none = sentenceBleu(bleuSegmentStats(t('x y z w'), [t('a b c d')]));
    for (const b of none) {
      expect(b).toBeGreaterThan(0);
      expect(b).toBeLessThan(1e-15);
    }
  });

  it('brevity penalty exp(1 - 1/ratio) only when the hypothesis is shorter', () => {
    const [b1] = bleuFromCounts(2, 4, [2, 1, 0, 0], [2, 1, 0, 0]);
    const ratio = (2 + 1e-15) / (4 + 1e-9);
    expect(b1).toBeCloseTo(((2 + 1e-15) / (2 + 1e-9)) * Math.exp(1 - 1 / ratio), 15);
    const [l1] = bleuFromCounts(6, 4, [6, 5, 4, 3], [4, 3, 2, 1]);
    expect(l1).toBeCloseTo((4 + 1e-15) / (6 + 1e-9), 15);
  });

  it('corpus BLEU sums counts over ids (not a mean of sentence scores)', () => {
    const segs = [bleuSegmentStats(t('a b c'), [t('a b c')]), bleuSegmentStats(t('x y'), [t('a b')])];
    expect(bleuTotals(segs)).toEqual({ testlen: 5, reflen: 5, guess: [5, 3, 1, 0], correct: [3, 2, 1, 0] });
    const c = corpusBleu(segs);
    expect(c[0]).toBeCloseTo(3 / 5, 9);
    // no 4-gram guessed at all: the factor is (0 + 1e-15) / (0 + 1e-9) = 1e-6, not 0/0
    const p = [(3 + 1e-15) / (5 + 1e-9), (2 + 1e-15) / (3 + 1e-9), (1 + 1e-15) / (1 + 1e-9), 1e-15 / 1e-9];
    // equal lengths still get a tiny brevity penalty: ratio = (5 + 1e-15) / (5 + 1e-9) < 1
    const bp = Math.exp(1 - (5 + 1e-9) / (5 + 1e-15));
    expect(c[3]).toBeCloseTo(Math.pow(p[0]! * p[1]! * p[2]! * p[3]!, 1 / 4) * bp, 15);
  });
});
