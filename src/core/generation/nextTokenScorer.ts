import * as tf from '@tensorflow/tfjs';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';

/** One BERT-SQG prompt: `[CLS] context [SEP] answer [SEP] q1..qi [MASK]` (what `promptFor` builds). */
export interface Prompt {
  inputIds: ArrayLike<number>;
  tokenTypeIds: ArrayLike<number>;
  /** index of the [MASK] whose next-token distribution is wanted */
  maskPos: number;
}

/** A batch of prompts, right-padded to the batch's longest row; row-major int32 [batch, seqLen]. */
export interface PromptBatch {
  batch: number;
  seqLen: number;
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  attentionMask: Int32Array;
  /** int32 [batch] */
  maskPos: Int32Array;
}

/**
 * All that decoding needs from a model: log-probabilities of the next question token at each row's [MASK].
 * `score` resolves to a row-major Float32Array [batch, vocabSize], which the caller owns (it may write to it).
 */
export interface NextTokenScorer {
  readonly vocabSize: number;
  score(batch: PromptBatch): Promise<Float32Array>;
}

/** Pads prompts on the right (id 0, type 0, mask 0) to the longest prompt of this batch only. */
export function packPrompts(prompts: readonly Prompt[], padId = 0): PromptBatch {
  const batch = prompts.length;
  let seqLen = 0;
  for (const p of prompts) seqLen = Math.max(seqLen, p.inputIds.length);
  const inputIds = new Int32Array(batch * seqLen).fill(padId);
  const tokenTypeIds = new Int32Array(batch * seqLen);
  const attentionMask = new Int32Array(batch * seqLen);
  const maskPos = new Int32Array(batch);
  prompts.forEach((p, r) => {
    const n = p.inputIds.length;
    if (p.tokenTypeIds.length !== n) throw new Error(`prompt ${r}: ${n} ids but ${p.tokenTypeIds.length} token types`);
    if (!(p.maskPos >= 0 && p.maskPos < n)) throw new RangeError(`prompt ${r}: maskPos ${p.maskPos} outside [0, ${n})`);
    const o = r * seqLen;
    for (let j = 0; j < n; j++) {
      inputIds[o + j] = p.inputIds[j];
      tokenTypeIds[o + j] = p.tokenTypeIds[j];
      attentionMask[o + j] = 1;
    }
    maskPos[r] = p.maskPos;
  });
  return { batch, seqLen, inputIds, tokenTypeIds, attentionMask, maskPos };
}

/** The part of `BertForMaskedLM` that scoring uses. */
export type MaskedLmModel = Pick<BertForMaskedLM, 'config' | 'forward'>;

/**
 * Scores with a BertForMaskedLM: one forward pass per batch, the MLM head computed only at the [MASK] rows
 * (`headPositions`), then log-softmax; every intermediate tensor is freed.
 */
export function scorerFromModel(model: MaskedLmModel): NextTokenScorer {
  return {
    vocabSize: model.config.vocabSize,
    async score(b: PromptBatch): Promise<Float32Array> {
      const logProbs = tf.tidy(() => {
        const shape: [number, number] = [b.batch, b.seqLen];
        const { logits } = model.forward(
          {
            inputIds: tf.tensor2d(b.inputIds, shape, 'int32'),
            tokenTypeIds: tf.tensor2d(b.tokenTypeIds, shape, 'int32'),
            attentionMask: tf.tensor2d(b.attentionMask, shape, 'int32'),
          },
          { training: false, headPositions: tf.tensor1d(b.maskPos, 'int32') },
        );
        if (!logits) throw new Error('model.forward returned no logits');
        return tf.logSoftmax(logits as tf.Tensor2D);
      });
      try {
        return (await logProbs.data()) as Float32Array;
      } finally {
        logProbs.dispose();
      }
    },
  };
}
