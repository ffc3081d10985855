/**
 * A logits processor rewrites one row of next-token log-probabilities in place, given the question prefix
 * generated so far (transformers.js style). A token set to -Infinity can no longer be chosen.
 */
export interface LogitsProcessor {
  process(prefix: readonly number[], logProbs: Float32Array): void;
}

/**
 * Forbids repeating the previous token. The study's SQG_prediction.py skips it while expanding a hypothesis:
 * `if id in all_candidates[i]['prediction_ids'][-1:]: continue`.
 */
export class NoImmediateRepeatProcessor implements LogitsProcessor {
  process(prefix: readonly number[], logProbs: Float32Array): void {
    if (prefix.length > 0) logProbs[prefix[prefix.length - 1]] = -Infinity;
  }
}

/** Applies processors in order. */
export class LogitsProcessorList implements LogitsProcessor {
  private readonly processors: LogitsProcessor[];
  constructor(processors: LogitsProcessor[] = []) {
    this.processors = [...processors];
  }
  push(p: LogitsProcessor): this {
    this.processors.push(p);
    return this;
  }
  process(prefix: readonly number[], logProbs: Float32Array): void {
    for (const p of this.processors) p.process(prefix, logProbs);
  }
}

/** The study's rules: no immediate repeat. */
export function defaultProcessors(): LogitsProcessorList {
  return new LogitsProcessorList([new NoImmediateRepeatProcessor()]);
}
