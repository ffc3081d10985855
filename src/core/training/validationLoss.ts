// The validation loss of a model on held-out BERT-SQG examples: the mean over examples of -log p(label | [MASK]),
// teacher-forced (each example's prefix is the ground-truth question so far), in eval mode (no dropout), in
// micro-batches each run in its own tf.tidy. The same quantity as the hard cross-entropy term of training
// (distillLosses.ts hardCrossEntropy), so a teacher's or self-train node's curve sits on the scale of its training loss.
import * as tf from '@tensorflow/tfjs';
import type { SqgExampleSet } from '../data/sqgExampleSet';
import type { SqgExample } from '../data/sqgExamples';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import { hardCrossEntropy } from './distillLosses';
import { batchTensors, padBatch } from './sqgBatch';

export interface ValidationLoss {
  /** mean CE over the examples */
  loss: number;
  examples: number;
}

/** Thrown by validationLoss when its signal aborts between micro-batches (a cancel does not wait for the pass). */
export class ValidationAbortedError extends Error {
  override name = 'ValidationAbortedError';
}

/** Mean hard CE of `model` over every example of `set`, `batchSize` rows at a time; `signal` stops it between batches. */
export async function validationLoss(
  model: Pick<BertForMaskedLM, 'forward' | 'config'>,
  set: SqgExampleSet,
  batchSize: number,
  signal?: AbortSignal,
): Promise<ValidationLoss> {
  if (set.size === 0) throw new Error('validationLoss: no held-out examples');
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`validationLoss: batchSize must be a positive integer, got ${batchSize}`);
  let sum = 0;
  for (let i = 0; i < set.size; i += batchSize) {
    if (signal?.aborted) throw new ValidationAbortedError(`validation stopped after ${i} of ${set.size} examples`);
    const rows: SqgExample[] = [];
    for (let j = i; j < Math.min(set.size, i + batchSize); j++) rows.push(set.example(j));
    const total = tf.tidy(() => {
      const b = batchTensors(padBatch(rows, model.config.padTokenId));
      const { logits } = model.forward(
        { inputIds: b.inputIds, tokenTypeIds: b.tokenTypeIds, attentionMask: b.attentionMask },
        { training: false, headPositions: b.maskPositions },
      );
      return tf.mul(hardCrossEntropy(logits as tf.Tensor2D, b.labels), rows.length);
    });
    try {
      sum += (await total.data())[0]!;
    } finally {
      total.dispose();
    }
  }
  return { loss: sum / set.size, examples: set.size };
}
