import { packPrompts, type NextTokenScorer, type Prompt } from './nextTokenScorer';

/** Builds the prompt for item `item` with the question prefix generated so far. */
export type PromptOf = (item: number, prefix: readonly number[]) => Prompt;

/** The per-item state of a search (greedy: one row; beam: one row per live hypothesis). */
export interface ItemSearch<R> {
  /** prefixes that need scoring this step; non-empty until `advance` returns true */
  readonly rows: readonly (readonly number[])[];
  /** takes one log-prob row per entry of `rows` (same order; rows may be rewritten); true when the item is done */
  advance(logProbs: Float32Array[]): boolean;
  result(): R;
}

export interface BatchOptions {
  /** at most this many items in flight; a finished item's slot goes to the next waiting item */
  batchSize: number;
  /** start items longest prompt first (default true); false: in item order (benchmarks compare the two) */
  longestFirst?: boolean;
}

/**
 * Runs one search per item, batched: each step makes ONE scorer call holding every live row of every item in
 * flight. Finished items leave the batch at once and waiting items take their places, so no row is wasted.
 * Items enter longest prompt first, so that a batch holds prompts of similar length and little padding (rows are
 * padded to the batch's longest; attention costs the square of it). Results come back in item order.
 */
export async function decodeBatched<R>(
  scorer: NextTokenScorer,
  count: number,
  promptOf: PromptOf,
  start: (item: number) => ItemSearch<R>,
  { batchSize, longestFirst = true }: BatchOptions,
): Promise<R[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const V = scorer.vocabSize;
  const results = new Array<R>(count);
  const order = [...Array(count).keys()];
  if (longestFirst) {
    const promptLength = order.map((i) => promptOf(i, []).inputIds.length);
    order.sort((a, b) => promptLength[b]! - promptLength[a]! || a - b);
  }
  let active: { item: number; search: ItemSearch<R> }[] = [];
  let next = 0;
  for (;;) {
    while (active.length < batchSize && next < count) {
      const item = order[next++]!;
      active.push({ item, search: start(item) });
    }
    if (active.length === 0) return results;

    const prompts: Prompt[] = [];
    for (const { item, search } of active) for (const prefix of search.rows) prompts.push(promptOf(item, prefix));
    const logProbs = await scorer.score(packPrompts(prompts));
    if (logProbs.length !== prompts.length * V) {
      throw new Error(`scorer returned ${logProbs.length} values for ${prompts.length} rows × ${V} tokens`);
    }

    let r = 0;
    const stillActive: typeof active = [];
    for (const a of active) {
      const rows = a.search.rows.map(() => logProbs.subarray(V * r, V * ++r));
      if (a.search.advance(rows)) results[a.item] = a.search.result();
      else stillActive.push(a);
    }
    active = stillActive;
  }
}
