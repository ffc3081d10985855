import * as tf from '@tensorflow/tfjs';
import type { SqgExample } from '../data/sqgExamples';

/** One padded batch of BERT-SQG examples as flat int32 arrays ([batch, seq] row-major). */
export interface PaddedBatch {
  batch: number;
  seq: number;
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  attentionMask: Int32Array;
  maskPositions: Int32Array;
  labels: Int32Array;
}

/**
 * Right-pad a batch to its longest row. Padding follows the study's feature builder (`SQ_input_ids.append(0)`,
 * `SQ_token_type_ids.append(0)`, `SQ_attention_mask.append(0)`), except that the study pads every row to
 * max_seq_length (512) and we pad only to the batch's longest row.
 */
export function padBatch(examples: readonly SqgExample[], padTokenId = 0): PaddedBatch {
  if (examples.length === 0) throw new Error('padBatch: empty batch');
  const batch = examples.length;
  let seq = 0;
  examples.forEach((ex, i) => {
    if (ex.inputIds.length !== ex.tokenTypeIds.length) {
      throw new Error(`example ${i}: ${ex.inputIds.length} input ids but ${ex.tokenTypeIds.length} token type ids`);
    }
    if (!Number.isInteger(ex.maskPos) || ex.maskPos < 0 || ex.maskPos >= ex.inputIds.length) {
      throw new Error(`example ${i}: maskPos ${ex.maskPos} is outside its ${ex.inputIds.length} tokens`);
    }
    if (!Number.isInteger(ex.label) || ex.label < 0) throw new Error(`example ${i}: label must be a token id, got ${ex.label}`);
    seq = Math.max(seq, ex.inputIds.length);
  });
  const inputIds = new Int32Array(batch * seq).fill(padTokenId);
  const tokenTypeIds = new Int32Array(batch * seq);
  const attentionMask = new Int32Array(batch * seq);
  const maskPositions = new Int32Array(batch);
  const labels = new Int32Array(batch);
  examples.forEach((ex, b) => {
    inputIds.set(ex.inputIds, b * seq);
    tokenTypeIds.set(ex.tokenTypeIds, b * seq);
    attentionMask.fill(1, b * seq, b * seq + ex.inputIds.length);
    maskPositions[b] = ex.maskPos;
    labels[b] = ex.label;
  });
  return { batch, seq, inputIds, tokenTypeIds, attentionMask, maskPositions, labels };
}

export interface BatchTensors {
  inputIds: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  maskPositions: tf.Tensor1D;
  labels: tf.Tensor1D;
}

/** int32 tensors of a padded batch (the caller disposes them, e.g. by building them inside tf.tidy). */
export function batchTensors(p: PaddedBatch): BatchTensors {
  const shape: [number, number] = [p.batch, p.seq];
  return {
    inputIds: tf.tensor2d(p.inputIds, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(p.tokenTypeIds, shape, 'int32'),
    attentionMask: tf.tensor2d(p.attentionMask, shape, 'int32'),
    maskPositions: tf.tensor1d(p.maskPositions, 'int32'),
    labels: tf.tensor1d(p.labels, 'int32'),
  };
}
