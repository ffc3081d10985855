// One BertLayer (post-LN): self-attention + output dense/dropout/residual LayerNorm, then the erf-GELU feed-forward.
// Rows stay flattened ([B*S, H]) so every dense layer is one 2-D matmul.
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './bertConfig';
import type { ParamGetter } from './bertEmbeddings';
import { maybeDropout, type DropoutContext } from './dropout';
import { embeddingLookup } from '../kernels/embeddingLookup';
import { dense } from './dense';
import { matMul } from '../kernels/fastMatMul';
import { gelu } from './gelu';
import { layerNorm } from './layerNorm';

/** Added to the attention scores of padded keys: float32's minimum, as Hugging Face does. */
export const MASK_VALUE = -3.4028234663852886e38;

/** [B,S] 0/1 attention mask -> additive [B,1,1,S] mask (0 kept, MASK_VALUE padded). */
export function additiveMask(attentionMask: tf.Tensor2D): tf.Tensor4D {
  const [b, s] = attentionMask.shape;
  return tf.tidy(() =>
    tf.reshape(tf.mul(tf.sub(1, tf.cast(attentionMask, 'float32')), MASK_VALUE), [b, 1, 1, s]),
  ) as tf.Tensor4D;
}

export interface EncoderLayerOutput {
  hidden: tf.Tensor2D; // [B*S, H]; with queryRows [B, H]
  probs: tf.Tensor4D; // [B, heads, S, S] (after attention dropout, like HF); with queryRows [B, heads, 1, S]
}

export function bertEncoderLayer(
  p: ParamGetter,
  prefix: string, // e.g. 'bert.encoder.layer.3.'
  c: BertConfig,
  x: tf.Tensor2D,
  batch: number,
  seq: number,
  maskAdd: tf.Tensor4D,
  ctx: DropoutContext,
  /**
   * int32 [B]: indices into the [B*S] rows of `x`, one per example. The layer then computes its output only at those
   * rows (keys and values still over all positions): the same values as the full layer at those rows, for a last
   * layer whose other rows nobody reads (e.g. the MLM head at the [MASK] position).
   */
  queryRows?: tf.Tensor1D,
): EncoderLayerOutput {
  const h = c.hiddenSize;
  const nh = c.numAttentionHeads;
  const d = h / nh;
  const w = (n: string) => p(prefix + n + '.weight') as tf.Tensor2D;
  const bias = (n: string) => p(prefix + n + '.bias') as tf.Tensor1D;
  const lin = (t: tf.Tensor2D, n: string) => dense(t, w(n), bias(n));

  // query rows: all B*S, or one per example
  const sq = queryRows ? 1 : seq;
  const xq = queryRows ? embeddingLookup(x, queryRows) : x; // [B*sq, H]

  // [B*n,H] -> [B*nh,n,d] (q, v) and [B*nh,d,S] (kᵀ, transposed once here rather than inside the product)
  const split = (t: tf.Tensor2D, n: number) =>
    tf.reshape(tf.transpose(tf.reshape(t, [batch, n, nh, d]), [0, 2, 1, 3]), [batch * nh, n, d]) as tf.Tensor3D;
  const q = split(lin(xq, 'attention.self.query'), sq);
  const kT = tf.reshape(
    tf.transpose(tf.reshape(lin(x, 'attention.self.key'), [batch, seq, nh, d]), [0, 2, 3, 1]),
    [batch * nh, d, seq],
  ) as tf.Tensor3D;
  const v = split(lin(x, 'attention.self.value'), seq);

  const scores = tf.add(tf.reshape(tf.mul(matMul(q, kT), 1 / Math.sqrt(d)), [batch, nh, sq, seq]), maskAdd);
  const probs = maybeDropout(tf.softmax(scores) as tf.Tensor4D, c.attentionProbsDropoutProb, ctx, `${prefix}attention.probs`);
  const context = matMul(tf.reshape(probs, [batch * nh, sq, seq]) as tf.Tensor3D, v); // [B*nh,sq,d]
  const merged = tf.reshape(tf.transpose(tf.reshape(context, [batch, nh, sq, d]), [0, 2, 1, 3]), [batch * sq, h]) as tf.Tensor2D;

  const attnOut = layerNorm(
    tf.add(maybeDropout(lin(merged, 'attention.output.dense'), c.hiddenDropoutProb, ctx, `${prefix}attention.output`), xq),
    p(prefix + 'attention.output.LayerNorm.weight') as tf.Tensor1D,
    p(prefix + 'attention.output.LayerNorm.bias') as tf.Tensor1D,
    c.layerNormEps,
  ) as tf.Tensor2D;
  const inter = gelu(lin(attnOut, 'intermediate.dense'));
  const out = layerNorm(
    tf.add(maybeDropout(lin(inter, 'output.dense'), c.hiddenDropoutProb, ctx, `${prefix}output`), attnOut),
    p(prefix + 'output.LayerNorm.weight') as tf.Tensor1D,
    p(prefix + 'output.LayerNorm.bias') as tf.Tensor1D,
    c.layerNormEps,
  ) as tf.Tensor2D;
  return { hidden: out, probs };
}
