import { describe, expect, it } from 'vitest';
import { beamSearch, beamStep, bestByMeanLogProb, type Hypothesis } from './beamSearch';
import { defaultProcessors } from './logitsProcessors';
import { defaultStoppingCriteria } from './stoppingCriteria';
import { hashScorer, itemTableScorer, testPrompt, type Row } from './testing/tableScorer';

// vocabulary of the fake scorer: 0 [PAD], 1 [SEP], 2 [MASK], then words a..e. Log-probs are dyadic so that every
// sum below is exact and the hand-worked orders hold bit for bit.
const E = 1, a = 3, b = 4, c = 5, d = 6;
const V = 8;
const FLOOR = -100;

function row(entries: Row): Float32Array {
  const r = new Float32Array(V).fill(FLOOR);
  for (const [id, lp] of Object.entries(entries)) r[Number(id)] = lp;
  return r;
}
const step = (live: Hypothesis[], rows: Row[], k: number) =>
  beamStep(live, rows.map(row), k, defaultProcessors(), defaultStoppingCriteria(E, 42));

// Scenario A (k = 3): every rule of one step; three hypotheses end in step 2, so the search stops there.
//  step 1 []: a -0.5, b -1, c -1.5, d -2                → live [a] -0.5, [b] -1, [c] -1.5   (d, the 4th, unused)
//  step 2 [a]: a -0.125 (repeat, skipped), E -0.75, b -1, c -3, d -3.5  → a,E  -1.25 | a,b -1.5 | a,c -3.5
//              (c is the 4th best: used because the repeat was skipped)
//         [b]: d -0.25, E -0.5, a -2, c -2.5            → b,d -1.25 | b,E -1.5 | b,a -3       (c, the 4th, unused)
//         [c]: E -0.0625, a -3, b -3.25                 → c,E -1.5625 | c,a -4.5 | c,b -4.75
//  sorted by sum (stable): a,E -1.25 (end) | b,d -1.25 | a,b -1.5 | b,E -1.5 (end) | c,E -1.5625 (end) | b,a -3 (3rd live: stop)
//  3 ended = k → done. Means: a,E -0.625; b,E -0.75; c,E -0.78125 → "a".
const scenarioA: Record<string, Row> = {
  '': { [a]: -0.5, [b]: -1, [c]: -1.5, [d]: -2 },
  [`${a}`]: { [a]: -0.125, [E]: -0.75, [b]: -1, [c]: -3, [d]: -3.5 },
  [`${b}`]: { [d]: -0.25, [E]: -0.5, [a]: -2, [c]: -2.5 },
  [`${c}`]: { [E]: -0.0625, [a]: -3, [b]: -3.25 },
};

// Scenario B (k = 2): the answer is the best MEAN log-prob per token with the [SEP] counted — neither the best
// sum nor the best mean without the [SEP] would pick it.
//  step 1 []: b -0.5, a -0.75                       → live [b] -0.5, [a] -0.75
//  step 2 [b]: E -1.5, d -3   → b,E -2 | b,d -3.5;  [a]: c -0.75, d -1.75 → a,c -1.5 | a,d -2.5
//         sorted: a,c -1.5 | b,E -2 (end 1) | a,d -2.5 (2nd live: stop)
//  step 3 [a,c]: E -1.25, d -2 → a,c,E -2.75 | a,c,d -3.5;  [a,d]: E -2, c -2.5 → a,d,E -4.5 | a,d,c -5
//         sorted: a,c,E -2.75 (end 2) → 2 ended = k → done
//  b,E: sum -2, mean -1 (without [SEP]: -0.5);  a,c,E: sum -2.75, mean -0.9167 (without [SEP]: -0.75) → "a c"
const scenarioB: Record<string, Row> = {
  '': { [b]: -0.5, [a]: -0.75 },
  [`${b}`]: { [E]: -1.5, [d]: -3 },
  [`${a}`]: { [c]: -0.75, [d]: -1.75 },
  [`${a},${c}`]: { [E]: -1.25, [d]: -2 },
  [`${a},${d}`]: { [E]: -2, [c]: -2.5 },
};

// Scenario M (k = 2, maxLen 3): nothing ends in time; the k best live hypotheses fill the result.
//  step 1 []: a -0.5, b -1               → live [a] -0.5, [b] -1
//  step 2 [a]: b -0.25, c -0.5           → a,b -0.75 | a,c -1
//         [b]: b -0.125 (repeat), a -0.5, E -1 → b,a -1.5 | b,E -2
//         sorted: a,b -0.75 | a,c -1 (2nd live: stop; b,E below it is dropped, not kept as ended)
//  step 3 [a,b]: a -0.5, c -0.75 → a,b,a -1.25 | a,b,c -1.5;  [a,c]: a -0.25, b -2 → a,c,a -1.25 | a,c,b -3
//         sorted: a,b,a -1.25 | a,c,a -1.25 → step 3 = maxLen: result = these two; equal means → the first
const scenarioM: Record<string, Row> = {
  '': { [a]: -0.5, [b]: -1 },
  [`${a}`]: { [b]: -0.25, [c]: -0.5 },
  [`${b}`]: { [b]: -0.125, [a]: -0.5, [E]: -1 },
  [`${a},${b}`]: { [a]: -0.5, [c]: -0.75 },
  [`${a},${c}`]: { [a]: -0.25, [b]: -2 },
};

describe('beamStep (one iteration of the study loop)', () => {
  it('expands each hypothesis by its k best of the k+1 best tokens, the previous token skipped', () => {
    const tokens = (s: { finished: Hypothesis[]; live: Hypothesis[] }) =>
      [...s.finished, ...s.live].map((h) => h.ids.at(-1)).sort();
    // [a]: a is best but repeats, so E, b and c (the 4th best) are used
    expect(tokens(step([{ ids: [a], score: -0.5 }], [scenarioA[`${a}`]], 3))).toEqual([E, b, c].sort());
    // [b]: no repeat among d, E, a, c: the 4th (c) is not used
    expect(tokens(step([{ ids: [b], score: -1 }], [scenarioA[`${b}`]], 3))).toEqual([E, a, d].sort());
  });

  it('scores by summed log-prob and keeps every ending ranked above the k-th live hypothesis', () => {
    const s = step(
      [{ ids: [a], score: -0.5 }, { ids: [b], score: -1 }, { ids: [c], score: -1.5 }],
      [scenarioA[`${a}`], scenarioA[`${b}`], scenarioA[`${c}`]],
      3,
    );
    expect(s.finished).toEqual([
      { ids: [a, E], score: -1.25 },
      { ids: [b, E], score: -1.5 },
      { ids: [c, E], score: -1.5625 },
    ]);
    expect(s.live).toEqual([
      { ids: [b, d], score: -1.25 },
      { ids: [a, b], score: -1.5 },
      { ids: [b, a], score: -3 },
    ]);
  });

  it('drops an ending ranked below the k-th live hypothesis', () => {
    const s = step([{ ids: [a], score: -0.5 }, { ids: [b], score: -1 }], [scenarioM[`${a}`], scenarioM[`${b}`]], 2);
    expect(s.finished).toEqual([]);
    expect(s.live).toEqual([
      { ids: [a, b], score: -0.75 },
      { ids: [a, c], score: -1 },
    ]);
  });

  it('chooses by mean log-prob, ties to the earlier', () => {
    const h = (ids: number[], score: number) => ({ ids, score });
    expect(bestByMeanLogProb([h([b, E], -2), h([a, c, E], -2.75)]).ids).toEqual([a, c, E]);
    expect(bestByMeanLogProb([h([a, E], -1), h([b, E], -1)]).ids).toEqual([a, E]);
  });
});

describe('beamSearch', () => {
  it('A: stops as soon as k hypotheses ended', async () => {
    const scorer = itemTableScorer(V, [scenarioA]);
    expect(await beamSearch(scorer, 1, testPrompt, { eosId: E, beamSize: 3 })).toEqual([
      { ids: [a], score: -0.625, finished: true },
    ]);
    expect(scorer.rowCounts).toEqual([1, 3]);
  });

  it('B: returns the best mean log-prob per token, [SEP] counted', async () => {
    const scorer = itemTableScorer(V, [scenarioB]);
    expect(await beamSearch(scorer, 1, testPrompt, { eosId: E, beamSize: 2 })).toEqual([
      { ids: [a, c], score: -2.75 / 3, finished: true },
    ]);
    expect(scorer.rowCounts).toEqual([1, 2, 2]);
  });

  it('M: at the length limit with nothing ended, the best live hypotheses fill in (finished false)', async () => {
    const scorer = itemTableScorer(V, [scenarioM]);
    expect(await beamSearch(scorer, 1, testPrompt, { eosId: E, beamSize: 2, maxLen: 3 })).toEqual([
      { ids: [a, b, a], score: -1.25 / 3, finished: false },
    ]);
    expect(scorer.rowCounts).toEqual([1, 2, 2]);
  });

  it('decodes items together, one call per step over all beams; ended items leave the batch', async () => {
    // Scenario S (k = 2): step 1 → [a] -0.5, [b] -1; step 2 → a,E -0.75 (end) | b,E -1.5 (end): done → "a"
    const scenarioS: Record<string, Row> = {
      '': { [a]: -0.5, [b]: -1 },
      [`${a}`]: { [E]: -0.25, [c]: -3 },
      [`${b}`]: { [E]: -0.5, [c]: -3 },
    };
    const tables = [scenarioS, scenarioB, scenarioM];
    const opts = { eosId: E, beamSize: 2, maxLen: 3 };
    const scorer = itemTableScorer(V, tables);
    const res = await beamSearch(scorer, 3, testPrompt, opts);
    expect(res.map((r) => r.ids)).toEqual([[a], [a, c], [a, b, a]]);
    expect(scorer.rowCounts).toEqual([3, 6, 4]); // S left after step 2
    for (let i = 0; i < 3; i++) {
      expect(await beamSearch(itemTableScorer(V, [tables[i]]), 1, testPrompt, opts)).toEqual([res[i]]);
    }
  });

  it('batched results equal one-at-a-time results (pseudo-random scores, k = 3)', async () => {
    const n = 10;
    const opts = { eosId: E, beamSize: 3, maxLen: 8 };
    const one = await beamSearch(hashScorer(16, E), n, testPrompt, { ...opts, batchSize: 1 });
    const all = hashScorer(16, E);
    expect(await beamSearch(all, n, testPrompt, opts)).toEqual(one);
    expect(await beamSearch(hashScorer(16, E), n, testPrompt, { ...opts, batchSize: 3 })).toEqual(one);
    expect(all.rowCounts[0]).toBe(n); // step 1: one hypothesis per item
    expect(Math.max(...all.rowCounts)).toBeLessThanOrEqual(n * 3);
    expect(all.rowCounts.at(-1)).toBeLessThan(n * 3); // the batch shrank
  });

  it('rejects a bad beam size', async () => {
    await expect(beamSearch(hashScorer(8, E), 1, testPrompt, { eosId: E, beamSize: 0 })).rejects.toThrow(/beamSize/);
  });
});
