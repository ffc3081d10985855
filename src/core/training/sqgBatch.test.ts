import { describe, expect, it } from 'vitest';
import { padBatch } from './sqgBatch';

describe('padBatch', () => {
  it('right-pads to the longest row with a zero attention mask', () => {
    const p = padBatch([
      { inputIds: [101, 5, 102, 103], tokenTypeIds: [0, 0, 0, 0], maskPos: 3, label: 7 },
      { inputIds: [101, 5, 6, 102, 8, 103], tokenTypeIds: [0, 0, 0, 1, 0, 0], maskPos: 5, label: 9 },
    ]);
    expect([p.batch, p.seq]).toEqual([2, 6]);
    expect(Array.from(p.inputIds)).toEqual([101, 5, 102, 103, 0, 0, 101, 5, 6, 102, 8, 103]);
    expect(Array.from(p.tokenTypeIds)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(Array.from(p.attentionMask)).toEqual([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(p.maskPositions)).toEqual([3, 5]);
    expect(Array.from(p.labels)).toEqual([7, 9]);
  });

  it('rejects malformed examples', () => {
    expect(() => padBatch([])).toThrow(/empty/);
    expect(() => padBatch([{ inputIds: [1, 2], tokenTypeIds: [0], maskPos: 1, label: 1 }])).toThrow(/token type ids/);
    expect(() => padBatch([{ inputIds: [1, 2], tokenTypeIds: [0, 0], maskPos: 2, label: 1 }])).toThrow(/maskPos 2/);
  });
});
