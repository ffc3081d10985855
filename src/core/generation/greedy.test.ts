import { describe, expect, it } from 'vitest';
import { beamSearch } from './beamSearch';
import { greedySearch } from './greedy';
import { hashScorer, itemTableScorer, testPrompt, type Row } from './testing/tableScorer';

// vocabulary of the fake scorer: 0 [PAD], 1 [SEP], 2 [MASK], then words a..e
const E = 1, a = 3, b = 4, c = 5;
const V = 8;

describe('greedySearch', () => {
  it('takes the best token but never the previous one again; a later repeat is allowed; stops at [SEP]', async () => {
    const scorer = itemTableScorer(V, [
      {
        '': { [a]: -0.5, [b]: -1 },
        [`${a}`]: { [a]: -0.25, [b]: -1, [E]: -2 }, // a is best but repeats: b
        [`${a},${b}`]: { [a]: -0.25, [E]: -0.5 }, // a again, not immediately: allowed
        [`${a},${b},${a}`]: { [a]: -0.125, [E]: -0.5 }, // a repeats: [SEP]
      },
    ]);
    const [r] = await greedySearch(scorer, 1, testPrompt, { eosId: E });
    expect(r).toEqual({ ids: [a, b, a], score: (-0.5 - 1 - 0.25 - 0.5) / 4, finished: true });
    expect(scorer.rowCounts).toEqual([1, 1, 1, 1]);
  });

  it('stops at maxLen tokens without a [SEP]', async () => {
    const scorer = itemTableScorer(V, [{ '': { [a]: -1 }, [`${a}`]: { [b]: -1 }, [`${a},${b}`]: { [c]: -1 } }]);
    const [r] = await greedySearch(scorer, 1, testPrompt, { eosId: E, maxLen: 3 });
    expect(r).toEqual({ ids: [a, b, c], score: -1, finished: false });
    expect(scorer.calls).toHaveLength(3);
  });

  it('finished items leave the batch and waiting ones take their places; results in input order', async () => {
    const tables: Record<string, Row>[] = [
      { '': { [E]: -0.5 } }, // ends at step 1
      { '': { [b]: -0.5 }, [`${b}`]: { [E]: -0.5 } }, // step 2
      { '': { [c]: -0.5 }, [`${c}`]: { [a]: -0.5 }, [`${c},${a}`]: { [b]: -0.5 }, [`${c},${a},${b}`]: { [E]: -0.5 } }, // step 4
    ];
    const all = itemTableScorer(V, tables);
    const res = await greedySearch(all, 3, testPrompt, { eosId: E });
    expect(res.map((r) => r.ids)).toEqual([[], [b], [c, a, b]]);
    expect(all.rowCounts).toEqual([3, 2, 1, 1]); // one call per step, only live rows

    const two = itemTableScorer(V, tables);
    expect(await greedySearch(two, 3, testPrompt, { eosId: E, batchSize: 2 })).toEqual(res);
    expect(two.rowCounts).toEqual([2, 2, 1, 1, 1]); // item 2 enters at step 2, when item 0 is done
  });

  it('batched results equal one-at-a-time results, and equal the study beam search with k = 1', async () => {
    const n = 12;
    const one = await greedySearch(hashScorer(16, E), n, testPrompt, { eosId: E, maxLen: 9, batchSize: 1 });
    const batched = hashScorer(16, E);
    expect(await greedySearch(batched, n, testPrompt, { eosId: E, maxLen: 9 })).toEqual(one);
    expect(batched.calls.length).toBe(Math.max(...one.map((r) => r.ids.length + (r.finished ? 1 : 0))));
    expect(new Set(one.map((r) => r.ids.length)).size).toBeGreaterThan(2); // items really end at different steps
    expect(await beamSearch(hashScorer(16, E), n, testPrompt, { eosId: E, maxLen: 9, beamSize: 1 })).toEqual(one);
  });
});
