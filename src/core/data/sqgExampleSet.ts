// A training set of BERT-SQG examples that builds each example when it is asked for. At full size (DRCD train:
// ~350,000 examples of ~460 tokens) the examples as JS arrays would take GBs; an implementation keeps the encoded
// items compactly and makes a row only when a batch is drawn. trainStage reads examples through this interface only.
import type { SqgExample } from './sqgExamples';

export interface SqgExampleSet {
  /** number of examples (n + 1 per kept item of n question tokens) */
  readonly size: number;
  /** example i (0-based, file order: an item's examples are consecutive), built on demand */
  example(i: number): SqgExample;
}

/** An in-memory array as an example set (tests, small data). */
export function arrayExampleSet(examples: readonly SqgExample[]): SqgExampleSet {
  return {
    size: examples.length,
    example(i) {
      const ex = examples[i];
      if (ex === undefined) throw new RangeError(`example ${i} is outside the set of ${examples.length}`);
      return ex;
    },
  };
}

/** The first n examples of a set (the study's --data_rate cuts the training fraction from the examples). */
export function headOfSet(set: SqgExampleSet, n: number): SqgExampleSet {
  const size = Math.max(0, Math.min(set.size, Math.floor(n)));
  return {
    size,
    example(i) {
      if (!(i >= 0 && i < size)) throw new RangeError(`example ${i} is outside the set of ${size}`);
      return set.example(i);
    },
  };
}
