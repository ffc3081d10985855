import { describe, expect, it } from 'vitest';
import { dealLongestFirst } from './dealLongestFirst';

describe('dealLongestFirst', () => {
  it('deals the longest first in a snake, each share in item order', () => {
    // lengths by item:   0  1  2  3  4  5  6
    const lengths = [10, 70, 30, 60, 50, 40, 20];
    // ranked 1 3 4 5 2 6 0; two workers take them as 0 1 | 1 0 | 0 1 | 1: worker 0 gets 1 5 2, worker 1 gets 3 4 6 0
    expect(dealLongestFirst(lengths, 2)).toEqual([[1, 2, 5], [0, 3, 4, 6]]);
    // three: 0 1 2 | 2 1 0 | 0
    expect(dealLongestFirst(lengths, 3)).toEqual([[0, 1, 6], [2, 3], [4, 5]]);
  });

  it('ties keep item order; one worker takes all; more workers than items leaves some empty', () => {
    expect(dealLongestFirst([5, 5, 5, 5], 2)).toEqual([[0, 3], [1, 2]]);
    expect(dealLongestFirst([3, 1, 2], 1)).toEqual([[0, 1, 2]]);
    expect(dealLongestFirst([3], 3)).toEqual([[0], [], []]);
    expect(() => dealLongestFirst([1], 0)).toThrow(RangeError);
  });
});
