// BertOnlyMLMHead: transform (dense + erf GELU + LayerNorm), then the decoder tied to the word embeddings
// (hidden · Eᵀ) plus `cls.predictions.bias`.
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './bertConfig';
import type { ParamGetter } from './bertEmbeddings';
import { dense } from './dense';
import { matMulTransposeB, matMulTransposeBCached } from '../kernels/fastMatMul';
import { gelu } from './gelu';
import { layerNorm } from './layerNorm';
import { addRowVector } from '../kernels/rowBroadcast';

/** The parameters mlmHead reads (the decoder is tied to the word embeddings), for callers that pass them explicitly. */
export const MLM_HEAD_PARAMETER_NAMES = [
  'cls.predictions.transform.dense.weight',
  'cls.predictions.transform.dense.bias',
  'cls.predictions.transform.LayerNorm.weight',
  'cls.predictions.transform.LayerNorm.bias',
  'bert.embeddings.word_embeddings.weight',
  'cls.predictions.bias',
] as const;

/** rows [N,H] -> logits [N,V]. `embeddingsT`: the word embeddings' transpose [H,V], when the caller keeps one. */
export function mlmHead(p: ParamGetter, c: BertConfig, rows: tf.Tensor2D, embeddingsT?: tf.Tensor2D): tf.Tensor2D {
  const t = gelu(
    dense(rows, p('cls.predictions.transform.dense.weight') as tf.Tensor2D, p('cls.predictions.transform.dense.bias') as tf.Tensor1D),
  );
  const normed = layerNorm(
    t,
    p('cls.predictions.transform.LayerNorm.weight') as tf.Tensor1D,
    p('cls.predictions.transform.LayerNorm.bias') as tf.Tensor1D,
    c.layerNormEps,
  );
  const E = p('bert.embeddings.word_embeddings.weight') as tf.Tensor2D;
  const logits = embeddingsT ? matMulTransposeBCached(normed, E, embeddingsT) : matMulTransposeB(normed, E);
  return addRowVector(logits, p('cls.predictions.bias') as tf.Tensor1D);
}
