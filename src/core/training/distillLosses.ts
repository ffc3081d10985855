import * as tf from '@tensorflow/tfjs';
import { embeddingLookup } from '../kernels/embeddingLookup';
import { softCrossEntropyStudyChunked, type ChunkHead } from './chunkedSoftCrossEntropy';

/**
 * The loss terms of BERT-SQG training and distillation. All functions return scalars and are meant to run inside
 * tf.tidy / tf.variableGrads. What each one mirrors in the study's code (YuTing-Fang1999/BERT-Compression):
 *
 * - hard CE: `outputs = model(**inputs); loss = outputs.loss` — HF BertForMaskedLM's CrossEntropyLoss over all
 *   positions with label -100 everywhere except the [MASK] position (`label_ids = [-100] * args.max_seq_length;
 *   label_ids[label_indexs] = question_id`), i.e. the mean over rows of -log p(label | [MASK]).
 * - soft CE, form 'study': distil.py's TinyBERT helper
 *     def soft_cross_entropy(predicts, targets):
 *         student_likelihood = F.log_softmax(predicts, dim=-1)
 *         targets_prob = F.softmax(targets, dim=-1)
 *         return (- targets_prob * student_likelihood).mean()
 *   called as `loss += soft_cross_entropy(outputs.logits, tea_outputs.logits)` on the full [B, S, V] logits: the
 *   mean over every position (padding included) AND every vocabulary entry, with no temperature (T = 1).
 * - soft CE, form 'mask': Hinton-style KD at the [MASK] row only: T^2 * mean_rows( sum_v -softmax(t/T) log softmax(s/T) ).
 *   (Soft cross-entropy rather than KL: same gradient, value = KL + teacher entropy.)
 * - hidden / attention MSE: `loss += F.mse_loss(outputs.hidden_states[e], tea_outputs.hidden_states[e*2])` and
 *   `loss += F.mse_loss(outputs.attentions[e], tea_outputs.attentions[e*2])` — F.mse_loss's default reduction
 *   'mean' over all B*S*H (resp. B*heads*S*S) elements, with no attention mask, so padding is included.
 */

/** Mean over rows of -log softmax(logits)[label]. logits [B, V], labels int32 [B]. */
export function hardCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  if (logits.rank !== 2) throw new Error(`hardCrossEntropy: logits must be [batch, vocab], got [${logits.shape}]`);
  if (labels.shape[0] !== logits.shape[0]) {
    throw new Error(`hardCrossEntropy: ${labels.shape[0]} labels for ${logits.shape[0]} rows`);
  }
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1])), -1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}

/**
 * Soft cross-entropy at the [MASK] rows with temperature T, scaled by T^2 (Hinton et al.):
 * T^2 * mean over rows of sum_v -softmax(teacher/T)_v * log softmax(student/T)_v. student/teacher [B, V].
 */
export function softCrossEntropyAtMask(student: tf.Tensor2D, teacher: tf.Tensor2D, temperature: number): tf.Scalar {
  assertSameShape('softCrossEntropyAtMask', student, teacher);
  if (!(temperature > 0)) throw new Error(`softCrossEntropyAtMask: temperature must be > 0, got ${temperature}`);
  return tf.tidy(() => {
    const logq = tf.logSoftmax(tf.div(student, temperature));
    const p = tf.softmax(tf.div(teacher, temperature));
    const perRow = tf.neg(tf.sum(tf.mul(p, logq), -1));
    return tf.mul(tf.mean(perRow), temperature * temperature) as tf.Scalar;
  });
}

/**
 * distil.py's `soft_cross_entropy`: (-softmax(teacher) * log_softmax(student)).mean() over ALL elements of the
 * logits (any rank; in the study [B, S, V] with S = 512 padded positions). T = 1.
 */
export function softCrossEntropyStudy(student: tf.Tensor, teacher: tf.Tensor): tf.Scalar {
  assertSameShape('softCrossEntropyStudy', student, teacher);
  return tf.tidy(() => tf.neg(tf.mean(tf.mul(tf.softmax(teacher), tf.logSoftmax(student)))) as tf.Scalar);
}

/** F.mse_loss(student, teacher) with reduction 'mean': mean over every element. */
export function meanSquaredError(student: tf.Tensor, teacher: tf.Tensor, what = 'meanSquaredError'): tf.Scalar {
  assertSameShape(what, student, teacher);
  return tf.tidy(() => tf.mean(tf.squaredDifference(student, teacher)) as tf.Scalar);
}

/** Hidden-state MSE of one mapped pair: [B, S, H] each, mean over all elements (padding included). */
export function hiddenStateMse(student: tf.Tensor, teacher: tf.Tensor): tf.Scalar {
  return meanSquaredError(student, teacher, 'hiddenStateMse (student and teacher hidden sizes must match)');
}

/** Attention-probability MSE of one mapped pair: [B, heads, S, S] each, mean over all elements. */
export function attentionMse(student: tf.Tensor, teacher: tf.Tensor): tf.Scalar {
  return meanSquaredError(student, teacher, 'attentionMse (student and teacher head counts must match)');
}

/**
 * Rows of [B, S, V] logits at one position per row (e.g. the [MASK] positions) -> [B, V].
 * Uses embeddingLookup (kernels/): tf.gather's own gradient needs UnsortedSegmentSum, which WASM lacks.
 */
export function rowsAtPositions(logits: tf.Tensor3D, positions: tf.Tensor1D): tf.Tensor2D {
  const [b, s, v] = logits.shape;
  if (positions.shape[0] !== b) throw new Error(`rowsAtPositions: ${positions.shape[0]} positions for batch ${b}`);
  return tf.tidy(() => {
    const flat = tf.reshape(logits, [b * s, v]);
    const idx = tf.add(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(s, 'int32')), tf.cast(positions, 'int32'));
    return embeddingLookup(flat as tf.Tensor2D, idx);
  });
}

function assertSameShape(what: string, a: tf.Tensor, b: tf.Tensor): void {
  if (!tf.util.arraysEqual(a.shape, b.shape)) {
    throw new Error(`${what}: student shape [${a.shape}] differs from teacher shape [${b.shape}]`);
  }
}

/**
 * What one forward pass hands to the loss: logits [B, V] (mask rows) or [B, S, V] (every position). For softForm
 * 'study' without [B, S, V] logits: the final hidden states at every position [B*S, H] and the model's head, which
 * the loss applies per chunk of positions (chunkedSoftCrossEntropy.ts).
 */
export interface ForwardOutputs {
  logits?: tf.Tensor;
  hiddenStates: tf.Tensor[];
  attentions: tf.Tensor[];
  lastHidden?: tf.Tensor2D;
  head?: ChunkHead;
}

export type SoftForm = 'mask' | 'study';

export interface LossTermInputs {
  /** names of the terms to compute: 'logits', 'soft', 'hidden/<s>', 'attn/<s>' */
  terms: readonly string[];
  labels: tf.Tensor1D;
  maskPositions: tf.Tensor1D;
  student: ForwardOutputs;
  teacher?: ForwardOutputs;
  /** student index -> teacher index, per kind (see layerMaps.ts) */
  hiddenPairs?: ReadonlyMap<number, number>;
  attnPairs?: ReadonlyMap<number, number>;
  softForm?: SoftForm;
  temperature?: number;
  /** positions per chunk of the chunked 'study' soft CE (default DEFAULT_SOFT_CHUNK_ROWS) */
  softChunkRows?: number;
}

/**
 * Compute the requested loss terms by name. Hidden states are indexed as HF's `hidden_states` (0 = embeddings);
 * attention term 'attn/k' reads the 1-based layer k, i.e. `attentions[k - 1]`.
 */
export function computeLossTerms(inp: LossTermInputs): Map<string, tf.Scalar> {
  const out = new Map<string, tf.Scalar>();
  const atMask = (o: ForwardOutputs, who: string): tf.Tensor2D => {
    if (!o.logits) throw new Error(`${who} forward returned no logits`);
    return o.logits.rank === 3
      ? rowsAtPositions(o.logits as tf.Tensor3D, inp.maskPositions)
      : (o.logits as tf.Tensor2D);
  };
  const teacher = (): ForwardOutputs => {
    if (!inp.teacher) throw new Error('distillation terms need teacher outputs');
    return inp.teacher;
  };
  for (const name of inp.terms) {
    if (name === 'logits') {
      out.set(name, hardCrossEntropy(atMask(inp.student, 'student'), inp.labels));
    } else if (name === 'soft') {
      const form = inp.softForm ?? 'mask';
      const so = inp.student;
      const to = form === 'study' ? teacher() : undefined;
      if (to && so.lastHidden && so.head && to.lastHidden && to.head) {
        out.set(name, softCrossEntropyStudyChunked(so.lastHidden, to.lastHidden, so.head, to.head, inp.softChunkRows));
      } else if (form === 'study') {
        const s = inp.student.logits;
        const t = teacher().logits;
        if (!s || !t || s.rank !== 3 || t.rank !== 3) {
          throw new Error("soft form 'study' needs logits at every position ([batch, seq, vocab]) or lastHidden and head from both models");
        }
        out.set(name, softCrossEntropyStudy(s, t));
      } else {
        out.set(name, softCrossEntropyAtMask(atMask(inp.student, 'student'), atMask(teacher(), 'teacher'), inp.temperature ?? 1));
      }
    } else {
      const m = /^(hidden|attn)\/(\d+)$/.exec(name);
      if (!m) throw new Error(`unknown loss term '${name}'`);
      const k = Number(m[2]);
      const pairs = m[1] === 'hidden' ? inp.hiddenPairs : inp.attnPairs;
      const t = pairs?.get(k);
      if (t === undefined) throw new Error(`loss term '${name}' has no teacher layer in the layer map`);
      if (m[1] === 'hidden') {
        out.set(name, hiddenStateMse(pick(inp.student.hiddenStates, k, 'student hidden state'), pick(teacher().hiddenStates, t, 'teacher hidden state')));
      } else {
        out.set(name, attentionMse(pick(inp.student.attentions, k - 1, 'student attention'), pick(teacher().attentions, t - 1, 'teacher attention')));
      }
    }
  }
  return out;
}

function pick(list: tf.Tensor[], i: number, what: string): tf.Tensor {
  const x = list[i];
  if (!x) throw new Error(`${what} ${i} is missing (forward returned ${list.length}; was it asked for?)`);
  return x;
}
