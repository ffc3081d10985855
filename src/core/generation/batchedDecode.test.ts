import { describe, expect, it } from 'vitest';
import { greedySearch } from './greedy';
import { packPrompts } from './nextTokenScorer';
import { ITEM_BASE, TEST_MASK, testPrompt, TableScorer } from './testing/tableScorer';

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

describe('decodeBatched order', () => {
  it('starts the longest prompts first (less padding) and returns results in item order', async () => {
    const EOS = 1;
    const fill = [0, 4, 2, 4, 1]; // filler tokens per item: prompt lengths 2, 6, 4, 6, 3
    const promptOf = (item: number, prefix: readonly number[]) => {
      const inputIds = [ITEM_BASE + item, ...Array<number>(fill[item]!).fill(7), ...prefix, TEST_MASK];
      return { inputIds, tokenTypeIds: inputIds.map(() => 0), maskPos: inputIds.length - 1 };
    };
    // item i answers 10 + i, then [SEP]
    const scorer = new TableScorer(40, (before) => (before.at(-1)! >= 10 && before.at(-1)! < 20 ? { [EOS]: 0 } : { [10 + before[0]! - ITEM_BASE]: 0 }));
    const out = await greedySearch(scorer, fill.length, promptOf, { eosId: EOS, batchSize: 2 });
    expect(out.map((d) => d.ids)).toEqual([[10], [11], [12], [13], [14]]);
    expect(scorer.calls[0]!.rows.map((r) => r[0]! - ITEM_BASE)).toEqual([1, 3]);
    expect(scorer.calls[0]!.seqLen).toBe(6);
    const firstSeen = [...new Set(scorer.calls.flatMap((c) => c.rows.map((r) => r[0]! - ITEM_BASE)))];
    expect(firstSeen).toEqual([1, 3, 2, 4, 0]);
    const inOrder = new TableScorer(40, (before) => (before.at(-1)! >= 10 && before.at(-1)! < 20 ? { [EOS]: 0 } : { [10 + before[0]! - ITEM_BASE]: 0 }));
    const same = await greedySearch(inOrder, fill.length, promptOf, { eosId: EOS, batchSize: 2, longestFirst: false });
    expect(same).toEqual(out);
    expect(inOrder.calls[0]!.rows.map((r) => r[0]! - ITEM_BASE)).toEqual([0, 1]);
  });
});
