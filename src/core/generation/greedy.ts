import { decodeBatched, type ItemSearch, type PromptOf } from './batchedDecode';
import { resolveDecodeOptions, toDecoded, type Decoded, type DecodeOptions } from './decodeOptions';
import type { NextTokenScorer } from './nextTokenScorer';
import { topK } from './topK';

/**
 * Greedy decoding of `count` items, batched (one scorer call per step for all items in flight).
 * Each step appends the most likely allowed token (ties: lowest id); an item stops at [SEP] or the length limit.
 * Equals the study's beam search with beam_size=1.
 */
export async function greedySearch(
  scorer: NextTokenScorer,
  count: number,
  promptOf: PromptOf,
  opts: DecodeOptions,
): Promise<Decoded[]> {
  const { eosId, batchSize, longestFirst, processors, stopping } = resolveDecodeOptions(opts);
  const start = (): ItemSearch<Decoded> => {
    const ids: number[] = [];
    let sum = 0;
    return {
      rows: [ids],
      advance([row]) {
        processors.process(ids, row);
        const [best] = topK(row, 1);
        if (!best) throw new Error('every token was ruled out');
        ids.push(best.id);
        sum += best.logProb;
        return stopping.check(ids) !== null;
      },
      result: () => toDecoded(ids, sum, eosId),
    };
  };
  return decodeBatched(scorer, count, promptOf, start, { batchSize, longestFirst });
}
