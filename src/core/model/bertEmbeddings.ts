// BertEmbeddings: word + position + token-type embeddings, LayerNorm, dropout. Rows are flattened: [B*S, H].
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './bertConfig';
import { maybeDropout, type DropoutContext } from './dropout';
import { embeddingLookup } from '../kernels/embeddingLookup';
import { layerNorm } from './layerNorm';

export type ParamGetter = (name: string) => tf.Tensor;

export function bertEmbeddings(
  p: ParamGetter,
  c: BertConfig,
  inputIds: tf.Tensor2D,
  tokenTypeIds: tf.Tensor2D,
  ctx: DropoutContext,
): tf.Tensor2D {
  const [b, s] = inputIds.shape;
  const h = c.hiddenSize;
  const words = embeddingLookup(p('bert.embeddings.word_embeddings.weight') as tf.Tensor2D, inputIds, c.padTokenId);
  const types = embeddingLookup(p('bert.embeddings.token_type_embeddings.weight') as tf.Tensor2D, tokenTypeIds);
  const pos = tf.slice(p('bert.embeddings.position_embeddings.weight') as tf.Tensor2D, [0, 0], [s, h]);
  const sum3 = tf.add(tf.reshape(tf.add(words, types), [b, s, h]), pos);
  const x = tf.reshape(sum3, [b * s, h]) as tf.Tensor2D;
  const normed = layerNorm(
    x,
    p('bert.embeddings.LayerNorm.weight') as tf.Tensor1D,
    p('bert.embeddings.LayerNorm.bias') as tf.Tensor1D,
    c.layerNormEps,
  );
  return maybeDropout(normed, c.hiddenDropoutProb, ctx, 'embeddings');
}
