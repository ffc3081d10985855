import { describe, expect, it } from 'vitest';
import { lcsLength, numpyMean, pairwiseSum, rougeL } from './rouge';

const t = (s: string) => s.split(' ').filter(Boolean);

describe('ROUGE-L (pycocoevalcap Rouge)', () => {
  it('LCS length', () => {
    expect(lcsLength(t('a b c d e'), t('a c e'))).toBe(3);
    expect(lcsLength(t('a c e'), t('a b c d e'))).toBe(3);
    expect(lcsLength(t('a b'), t('c d'))).toBe(0);
    expect(lcsLength([], t('a'))).toBe(0);
  });

  it('F with beta = 1.2 from precision and recall', () => {
    // lcs 3, |hyp| 4, |ref| 5: P = 0.75, R = 0.6
    const p = 0.75;
    const r = 0.6;
    expect(rougeL(t('a b c x'), [t('a b c d e')])).toBeCloseTo(((1 + 1.44) * p * r) / (r + 1.44 * p), 15);
    expect(rougeL(t('x y'), [t('a b')])).toBe(0);
  });

  it('takes max precision and max recall over the references independently', () => {
    // ref1: lcs 2 -> P 2/3, R 2/2 = 1; ref2: lcs 3 -> P 1, R 3/6 = 0.5. Max P = 1 (ref2), max R = 1 (ref1).
    expect(rougeL(t('a b c'), [t('a b'), t('a b c d e f')])).toBe(1);
  });

  it('an empty hypothesis is one empty token (Python split(" ")), so it scores 0', () => {
    expect(rougeL([], [t('a b')])).toBe(0);
    expect(rougeL([], [[]])).toBe(1); // "".split(" ") == [""] on both sides, as in the Python code
  });

  it("numpy's pairwise summation", () => {
    const naive = (a: number[]) => a.reduce((s, x) => s + x, 0);
    expect(pairwiseSum([0.1, 0.2, 0.3])).toBe(naive([0.1, 0.2, 0.3])); // < 8: plain loop
    // 8..128 values: 8 accumulators over whole blocks of 8, ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the tail
    const v = Array.from({ length: 21 }, (_, i) => 0.1 * (i + 1) + 1e-3 / (i + 1));
    const r = v.slice(0, 8);
    for (let j = 0; j < 8; j++) r[j]! += v[8 + j]!;
    let want = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (let i = 16; i < 21; i++) want += v[i]!;
    expect(pairwiseSum(v)).toBe(want);
    // > 128: split at n/2 rounded down to a multiple of 8
    const big = Array.from({ length: 300 }, (_, i) => Math.sin(i) * 0.37 + 0.5);
    expect(pairwiseSum(big)).toBe(pairwiseSum(big.slice(0, 144)) + pairwiseSum(big.slice(144)));
    expect(Math.abs(pairwiseSum(big) - naive(big))).toBeLessThan(1e-12);
    expect(numpyMean([1, 2, 3, 4])).toBe(2.5);
  });
});
