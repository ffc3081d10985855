/** Why a sequence stops: it produced the end token, or it reached the length limit. */
export type StopReason = 'eos' | 'maxLength';

/** Decides, from the ids generated so far (including the newest), whether a sequence stops. */
export interface StoppingCriterion {
  check(ids: readonly number[]): StopReason | null;
}

/** Ends a sequence at the end-of-question token ([SEP]); the [SEP] is part of the ids. */
export class EosCriterion implements StoppingCriterion {
  constructor(readonly eosId: number) {}
  check(ids: readonly number[]): StopReason | null {
    return ids.length > 0 && ids[ids.length - 1] === this.eosId ? 'eos' : null;
  }
}

/** Stops after `maxLen` generated tokens, [SEP] included (the study's `iter == args.max_query_length`). */
export class MaxLengthCriterion implements StoppingCriterion {
  constructor(readonly maxLen: number) {
    if (!Number.isInteger(maxLen) || maxLen < 1) throw new RangeError(`maxLen must be a positive integer, got ${maxLen}`);
  }
  check(ids: readonly number[]): StopReason | null {
    return ids.length >= this.maxLen ? 'maxLength' : null;
  }
}

/** The first criterion (in order) that fires; list EOS first so a [SEP] at the limit counts as an ending. */
export class StoppingCriteriaList implements StoppingCriterion {
  constructor(private readonly criteria: StoppingCriterion[]) {}
  check(ids: readonly number[]): StopReason | null {
    for (const c of this.criteria) {
      const r = c.check(ids);
      if (r) return r;
    }
    return null;
  }
}

/** [SEP] then max length (42 in the study's setup). */
export function defaultStoppingCriteria(eosId: number, maxLen: number): StoppingCriteriaList {
  return new StoppingCriteriaList([new EosCriterion(eosId), new MaxLengthCriterion(maxLen)]);
}
