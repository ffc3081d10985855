import { describe, expect, it } from 'vitest';
import { greedySearch } from './greedy';
import { packPrompts } from './nextTokenScorer';
import { testPrompt, TableScorer } from './testing/tableScorer';

describe('packPrompts', () => {
  it('right-pads to the longest prompt of the batch', () => {
    const b = packPrompts([
      { inputIds: [5, 6, 7], tokenTypeIds: [0, 1, 0], maskPos: 2 },
      { inputIds: [8], tokenTypeIds: [0], maskPos: 0 },
    ]);
    expect(b.batch).toBe(2);
    expect(b.seqLen).toBe(3);
    expect(Array.from(b.inputIds)).toEqual([5, 6, 7, 8, 0, 0]);
    expect(Array.from(b.tokenTypeIds)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(Array.from(b.attentionMask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(b.maskPos)).toEqual([2, 0]);
  });

  it('rejects a malformed prompt', () => {
    expect(() => packPrompts([{ inputIds: [1, 2], tokenTypeIds: [0], maskPos: 1 }])).toThrow(/2 ids but 1 token types/);
    expect(() => packPrompts([{ inputIds: [1, 2], tokenTypeIds: [0, 0], maskPos: 2 }])).toThrow(/maskPos 2 outside/);
  });
});

describe('decodeBatched', () => {
  it('handles no items, and rejects a bad batch size or a scorer of the wrong width', async () => {
    const scorer = new TableScorer(4, () => ({ 1: 0 }));
    expect(await greedySearch(scorer, 0, testPrompt, { eosId: 1 })).toEqual([]);
    expect(scorer.calls).toHaveLength(0);
    await expect(greedySearch(scorer, 1, testPrompt, { eosId: 1, batchSize: 0 })).rejects.toThrow(/batchSize/);
    const wrong = { vocabSize: 5, score: async () => new Float32Array(4) };
    await expect(greedySearch(wrong, 1, testPrompt, { eosId: 1 })).rejects.toThrow(/4 values for 1 rows × 5 tokens/);
  });
});
