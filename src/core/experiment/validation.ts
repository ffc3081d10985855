// The validation curve of a training node (data.validationItems, eval.validationEverySteps / validationScore): every
// N optimizer steps and after the last one, the mean cross-entropy of the held-out examples (teacher-forced, eval
// mode) and, when asked, avg_score of greedy questions for a few held-out items. Each point is sent as a 'validation'
// event and appended to the node's stored history. A failure is logged once and turns validation off for the rest of
// the stage; it never fails the training.
import type { QgItem } from '../data/drcd';
import type { SqgExampleSet } from '../data/sqgExampleSet';
import { prepareExampleSet } from '../data/sqgExampleStore';
import { predictionContext, type SqgLimits } from '../data/sqgExamples';
import { generateQuestions } from '../generation/generateQuestions';
import type { ValidationPoint } from '../lab/history';
import { DEFAULT_SCORE_NORMALIZATION, normalizeReference } from '../metrics/normalize';
import { scoreQuestions } from '../metrics/score';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import { ValidationAbortedError, validationLoss } from '../training/validationLoss';
import type { LabEvent } from './events';
import { defaultValidationEvery, type RecipeEvalOptions } from './recipe';

export interface ValidatorOptions {
  nodeId: string;
  stage: string;
  model: BertForMaskedLM;
  tokenizer: BertTokenizer;
  heldOut: readonly QgItem[];
  limits: SqgLimits;
  policy: 'skip' | 'window';
  evalOpts: RecipeEvalOptions;
  /** rows per forward pass (the stage's micro-batch, else its batch) */
  batchSize: number;
  /** the run's cancel: a validation pass stops between micro-batches and draws no point */
  signal?: AbortSignal;
  emit(e: LabEvent): void;
  log(level: 'info' | 'warn', message: string): void;
}

export interface Validator {
  /** the step interval for a stage of `totalSteps` steps (0 = after the last step only) */
  every(totalSteps: number): number;
  /** whether step `step` of `totalSteps` gets a point */
  due(step: number, totalSteps: number): boolean;
  /** computes, sends and returns the point (undefined when off after a failure) */
  run(step: number, totalSteps: number): Promise<ValidationPoint | undefined>;
}

/** Undefined when there are no held-out items, or none of them fits the limits. */
export function makeValidator(o: ValidatorOptions): Validator | undefined {
  if (o.heldOut.length === 0) return undefined;
  const { set, report } = prepareExampleSet(o.tokenizer, o.heldOut, o.limits, o.policy);
  if (set.size === 0) {
    o.log('warn', `node '${o.nodeId}': none of the ${o.heldOut.length} held-out items fits the limits; no validation curve`);
    return undefined;
  }
  const items = o.heldOut.length - report.skipped.total;
  const scoreK = Math.min(o.evalOpts.validationScore ?? 0, o.heldOut.length);
  const everyOf = (total: number) => o.evalOpts.validationEverySteps ?? defaultValidationEvery(total);
  let off = false;
  return {
    every: everyOf,
    due: (step, total) => step === total || (everyOf(total) > 0 && step % everyOf(total) === 0),
    run: async (step, totalSteps) => {
      if (off) return undefined;
      try {
        const { loss, examples } = await validationLoss(o.model, set as SqgExampleSet, o.batchSize, o.signal);
        const point: ValidationPoint = { step, totalSteps, loss, examples, items };
        if (scoreK > 0) point.avgScore = await greedyAvgScore(o, scoreK);
        if (scoreK > 0) point.scored = scoreK;
        o.emit({ type: 'validation', nodeId: o.nodeId, stage: o.stage, ...point });
        return point;
      } catch (e) {
        if (e instanceof ValidationAbortedError) return undefined;
        off = true;
        o.log('warn', `node '${o.nodeId}': validation at step ${step} failed (${(e as Error).message}); no more validation points during this stage`);
        return undefined;
      }
    },
  };
}

async function greedyAvgScore(o: ValidatorOptions, k: number): Promise<number> {
  const items = o.heldOut.slice(0, k);
  const encoded = items.map((it) => predictionContext(o.tokenizer, it, o.limits, o.evalOpts.context));
  const generated = await generateQuestions(o.model, o.tokenizer, encoded, { strategy: 'greedy', maxLen: o.limits.maxQuestionLen, batchSize: k });
  const hyps: Record<string, string> = {};
  const refs: Record<string, string[]> = {};
  items.forEach((it, i) => {
    hyps[it.id] = generated[i]!.text;
    refs[it.id] = [normalizeReference(o.tokenizer, it.question, o.evalOpts.normalize ?? DEFAULT_SCORE_NORMALIZATION)];
  });
  return scoreQuestions(hyps, refs).avg_score;
}
