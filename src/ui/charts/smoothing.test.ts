import { describe, expect, it } from 'vitest';
import { emaSmooth } from './smoothing';

describe('emaSmooth: TensorBoard debiased EMA', () => {
  it('weight 0 returns the values unchanged', () => {
    expect(emaSmooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
  });

  it('is debiased: the first point is the first value, then s_t = w s_(t-1) + (1-w) x_t over 1 - w^t', () => {
    const w = 0.6;
    const out = emaSmooth([10, 0, 5], w);
    // by hand: s1 = 4 → 4/0.4 = 10; s2 = 2.4 → 2.4/0.64 = 3.75; s3 = 1.44 + 2 = 3.44 → 3.44/0.784
    expect(out[0]).toBeCloseTo(10, 12);
    expect(out[1]).toBeCloseTo(3.75, 12);
    expect(out[2]).toBeCloseTo(3.44 / 0.784, 12);
  });

  it('a constant series stays constant at any weight (no drift towards 0)', () => {
    expect(emaSmooth([2, 2, 2, 2], 0.99)).toEqual([2, 2, 2, 2]);
  });

  it('undefined and non-finite values pass through and do not enter the average', () => {
    const out = emaSmooth([4, undefined, Number.NaN, 2], 0.5);
    expect(out[1]).toBeUndefined();
    expect(out[2]).toBeNaN();
    // second finite value: s = 0.5*2 + 0.5*2 = 2 (s1 = 2 → 4), 2 / (1 - 0.25) = 8/3
    expect(out[3]).toBeCloseTo(8 / 3, 12);
  });

  it('higher weight smooths more: a noisy series varies less', () => {
    const x = Array.from({ length: 200 }, (_, i) => 5 + (i % 2 ? 1 : -1));
    const spread = (v: (number | undefined)[]) => {
      const tail = v.slice(100) as number[];
      return Math.max(...tail) - Math.min(...tail);
    };
    expect(spread(emaSmooth(x, 0.9))).toBeLessThan(spread(emaSmooth(x, 0.5)));
    expect(spread(emaSmooth(x, 0.5))).toBeLessThan(spread(x));
  });

  it('refuses a weight outside [0, 1)', () => {
    expect(() => emaSmooth([1], 1)).toThrow(/\[0, 1\)/);
    expect(() => emaSmooth([1], -0.1)).toThrow(RangeError);
    expect(() => emaSmooth([1], Number.NaN)).toThrow(RangeError);
  });
});
