import { describe, expect, it } from 'vitest';
import { topK } from './topK';

describe('topK', () => {
  it('returns the k best, best first, ties by ascending id, skipping -Infinity', () => {
    const row = Float32Array.from([-3, -1, -Infinity, -1, -0.5, -2]);
    expect(topK(row, 3)).toEqual([
      { id: 4, logProb: -0.5 },
      { id: 1, logProb: -1 },
      { id: 3, logProb: -1 },
    ]);
    expect(topK(row, 10).map((t) => t.id)).toEqual([4, 1, 3, 5, 0]);
    expect(topK(Float32Array.from([-Infinity, -Infinity]), 2)).toEqual([]);
  });
});
