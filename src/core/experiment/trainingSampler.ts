// Samples during training (eval.sampleEverySteps): greedy questions for the first eval.samples test items from the
// model being trained (in place), sent as a 'samples' event. Undefined when off. A failure is logged once and turns
// sampling off for the rest of the stage; it never fails the training.
import type { QgItem } from '../data/drcd';
import { predictionContext, type EncodedItem, type SqgLimits } from '../data/sqgExamples';
import { generateQuestions } from '../generation/generateQuestions';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import type { LabEvent } from './events';
import { DEFAULT_EVAL_SAMPLES, DEFAULT_SAMPLE_EVERY_STEPS, type RecipeEvalOptions } from './recipe';

export interface TrainingSamplerOptions {
  nodeId: string;
  model: BertForMaskedLM;
  tokenizer: BertTokenizer;
  test: readonly QgItem[];
  evalOpts: RecipeEvalOptions;
  limits: SqgLimits;
  signal?: AbortSignal;
  emit(e: LabEvent): void;
  log(message: string): void;
}

export function trainingSampler(o: TrainingSamplerOptions): { every: number; run: (step: number) => Promise<void> } | undefined {
  const { tokenizer, test, evalOpts, limits, signal, model } = o;
  const every = evalOpts.sampleEverySteps ?? DEFAULT_SAMPLE_EVERY_STEPS;
  // the same items as the samples after the evaluation: the first `samples` of the first `limit`
  const k = Math.min(evalOpts.samples ?? DEFAULT_EVAL_SAMPLES, evalOpts.limit ?? Infinity, test.length);
  if (!(every > 0) || !(k > 0)) return undefined;
  const items = test.slice(0, k);
  let encoded: EncodedItem[] | undefined;
  let off = false;
  return {
    every,
    run: async (step) => {
      if (off || signal?.aborted) return;
      try {
        // the prompt cut the evaluation names (unset: the default; the evaluation may take its teacher's instead)
        encoded ??= items.map((it) => predictionContext(tokenizer, it, limits, evalOpts.context));
        // generateQuestions runs the model with training: false (no dropout), each batch in tf.tidy
        const generated = await generateQuestions(model, tokenizer, encoded, { strategy: 'greedy', maxLen: limits.maxQuestionLen, batchSize: k });
        o.emit({
          type: 'samples',
          nodeId: o.nodeId,
          step,
          samples: items.map((it, i) => ({ id: it.id, reference: it.question, generated: generated[i]!.text })),
        });
      } catch (e) {
        off = true;
        o.log(`node '${o.nodeId}': generating samples at step ${step} failed (${(e as Error).message}); no more samples during this stage`);
      }
    },
  };
}
