import { decodeBatched, type ItemSearch, type PromptOf } from './batchedDecode';
import { resolveDecodeOptions, toDecoded, type Decoded, type DecodeOptions } from './decodeOptions';
import type { LogitsProcessor } from './logitsProcessors';
import type { NextTokenScorer } from './nextTokenScorer';
import type { StoppingCriterion } from './stoppingCriteria';
import { topK } from './topK';

// Beam search exactly as the study's `predict()` in SQG_prediction.py (YuTing-Fang1999/BERT-Compression),
// but batched: every live hypothesis of every item in flight is scored in one call. Quoted lines are that code.

/** A hypothesis: generated ids (a final [SEP] included once it ended) and the SUM of their log-probabilities. */
export interface Hypothesis {
  ids: number[];
  /** `score = all_candidates[i]['score'] + logits` — a sum of log-probs, not of probs */
  score: number;
}

export interface BeamStepResult {
  /** hypotheses that ended with [SEP] this step, best first */
  finished: Hypothesis[];
  /** hypotheses kept for the next step (at most beamSize), best first */
  live: Hypothesis[];
}

/**
 * Expands every live hypothesis with its best next tokens and prunes back, as one iteration of the study's
 * `while(len(result) < beam_size)` loop. `logProbs[i]` is the next-token row of `live[i]` (rewritten here).
 */
export function beamStep(
  live: readonly Hypothesis[],
  logProbs: Float32Array[],
  beamSize: number,
  processors: LogitsProcessor,
  stopping: StoppingCriterion,
): BeamStepResult {
  const candidates: Hypothesis[] = [];
  live.forEach((h, i) => {
    // `while(len(prob_result) < beam_size + 1)` takes the k+1 best tokens, then
    // `if id in all_candidates[i]['prediction_ids'][-1:]: continue` drops the previous token and
    // `if len(tmp_candidates) == beam_size: break` keeps k of them. Ruling the previous token out first
    // (NoImmediateRepeatProcessor) and taking the k best is the same set in the same order.
    processors.process(h.ids, logProbs[i]);
    for (const t of topK(logProbs[i], beamSize)) candidates.push({ ids: [...h.ids, t.id], score: h.score + t.logProb });
  });
  // `for candidate in sorted(iter_candidates, key=lambda x: x['score'], reverse=True):` — by summed log-prob;
  // Python's sort is stable and so is Array.prototype.sort: ties keep hypothesis order, then token rank.
  candidates.sort((a, b) => b.score - a.score);
  const finished: Hypothesis[] = [];
  const next: Hypothesis[] = [];
  for (const c of candidates) {
    // `if EOF_flag in candidate['prediction_ids']: result.append(candidate)` / `else: iter_result.append(candidate)`
    if (stopping.check(c.ids) === 'eos') finished.push(c);
    else next.push(c);
    // `if len(iter_result) == beam_size: break` — pruning counts live hypotheses only: every [SEP] ending ranked
    // above the k-th live one is kept (so more than k can end in one step), any ranked below it is dropped.
    if (next.length === beamSize) break;
  }
  return { finished, live: next };
}

/**
 * The study's final choice: `score = candidate['score'] / candidate['iter']` (mean log-prob per token, the [SEP]
 * counted, since it is in prediction_ids and its log-prob in the sum) and `sorted(predictions, key=score,
 * reverse=True)[0]` (stable: ties go to the earlier result).
 */
export function bestByMeanLogProb(results: readonly Hypothesis[]): Hypothesis {
  if (results.length === 0) throw new Error('no hypothesis to choose from');
  let best = results[0];
  for (const h of results) if (h.score / h.ids.length > best.score / best.ids.length) best = h;
  return best;
}

export interface BeamOptions extends DecodeOptions {
  /** k (default 3) */
  beamSize?: number;
}

/** Beam search over `count` items; per item, the hypothesis with the best mean log-prob per token. */
export async function beamSearch(
  scorer: NextTokenScorer,
  count: number,
  promptOf: PromptOf,
  opts: BeamOptions,
): Promise<Decoded[]> {
  const k = opts.beamSize ?? 3;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`beamSize must be a positive integer, got ${k}`);
  const { eosId, batchSize, longestFirst, processors, stopping } = resolveDecodeOptions(opts);

  const start = (): ItemSearch<Decoded> => {
    // `all_candidates = [{'prediction_ids' : [] , 'score' : 0, 'iter' : 0}]`
    let live: Hypothesis[] = [{ ids: [], score: 0 }];
    const result: Hypothesis[] = [];
    return {
      get rows() {
        return live.map((h) => h.ids);
      },
      advance(logProbs) {
        const step = beamStep(live, logProbs, k, processors, stopping);
        result.push(...step.finished);
        // `if len(result) == beam_size: break`
        if (result.length === k) return true;
        // `all_candidates = iter_result`
        live = step.live;
        // `if iter == args.max_query_length: ... result += all_candidates[:beam_size-len(result)]; break`
        // (all live hypotheses have the same length, so checking one is checking the step). When more than
        // k ended in this last step, k - len(result) is negative and Python's slice drops that many from the
        // end; JS's slice(0, negative) does the same. `error = True` when none ended: `finished` below.
        if (live.length > 0 && stopping.check(live[0].ids) === 'maxLength') {
          result.push(...live.slice(0, k - result.length));
          return true;
        }
        // `while(len(result) < beam_size)`; and, not in the study (it would loop forever), nothing left to expand.
        return result.length >= k || live.length === 0;
      },
      result() {
        // No hypothesis at all (only when every token is ruled out): the study writes an empty question.
        if (result.length === 0) return { ids: [], score: -Infinity, finished: false };
        const best = bestByMeanLogProb(result);
        return toDecoded(best.ids, best.score, eosId);
      },
    };
  };
  return decodeBatched(scorer, count, promptOf, start, { batchSize, longestFirst });
}
