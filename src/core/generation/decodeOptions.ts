import { defaultProcessors, type LogitsProcessor } from './logitsProcessors';
import { defaultStoppingCriteria, type StoppingCriterion } from './stoppingCriteria';

/** Options shared by greedy and beam search. */
export interface DecodeOptions {
  /** end-of-question token ([SEP]) */
  eosId: number;
  /** most generated tokens, [SEP] included (default 42) */
  maxLen?: number;
  /** items in flight per scorer call (default 32) */
  batchSize?: number;
  /** start the longest prompts first, for less padding (default true) */
  longestFirst?: boolean;
  /** default: no immediate repeat */
  processors?: LogitsProcessor;
  /** default: [SEP], then maxLen */
  stopping?: StoppingCriterion;
}

/** One generated question. */
export interface Decoded {
  /** question token ids, without the final [SEP] */
  ids: number[];
  /** mean log-probability per generated token, [SEP] included (the study's `score / iter`) */
  score: number;
  /** false when the search hit the length limit before a [SEP] (the study's `error` flag) */
  finished: boolean;
}

export const DEFAULT_MAX_LEN = 42;
export const DEFAULT_BATCH_SIZE = 32;

export function resolveDecodeOptions(opts: DecodeOptions) {
  const maxLen = opts.maxLen ?? DEFAULT_MAX_LEN;
  return {
    eosId: opts.eosId,
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    longestFirst: opts.longestFirst ?? true,
    processors: opts.processors ?? defaultProcessors(),
    stopping: opts.stopping ?? defaultStoppingCriteria(opts.eosId, maxLen),
  };
}

/** Strips a final [SEP] and turns a summed log-probability into the study's per-token mean. */
export function toDecoded(ids: readonly number[], sumLogProb: number, eosId: number): Decoded {
  const finished = ids.length > 0 && ids[ids.length - 1] === eosId;
  return { ids: finished ? ids.slice(0, -1) : [...ids], score: ids.length ? sumLogProb / ids.length : 0, finished };
}
