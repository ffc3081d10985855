// distil.py's soft cross-entropy over EVERY position ("softForm 'study'") without the [B, S, V] logits.
// At the study's size one logits tensor is 8 x 512 x 21,128 floats = 346 MB, for the teacher and for the student, and
// TF.js keeps every intermediate of a differentiated op on the tape (logits, softmax, log-softmax, their product...).
// Here the positions are cut into chunks of rows; each chunk is one tf.customGrad whose forward computes the chunk's
// student and teacher logits, reduces them to a scalar and keeps only its inputs (the chunk's final hidden states
// and the head's weights); its gradient recomputes the chunk's logits and differentiates them. At any time at most
// one chunk's logits exist, forward and backward. The teacher's logits are never on a tape (they are recomputed from
// the teacher's final hidden states, which were computed outside the tape).
import * as tf from '@tensorflow/tfjs';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import { mlmHead, MLM_HEAD_PARAMETER_NAMES } from '../model/mlmHead';

/** Positions per chunk by default: 512 x 21,128 floats = 43 MB of logits per model in flight. */
export const DEFAULT_SOFT_CHUNK_ROWS = 512;

/** A model's MLM head with its parameters passed explicitly (so that a custom gradient can return theirs). */
export interface ChunkHead {
  vocabSize: number;
  /** the tensors the head reads, in MLM_HEAD_PARAMETER_NAMES order */
  params: tf.Tensor[];
  /** rows [N, H] -> logits [N, V], reading `params` (same order as above) */
  apply(rows: tf.Tensor2D, params: tf.Tensor[]): tf.Tensor2D;
}

/**
 * The head of `model`. `embeddingsT`: the word embeddings' transpose [H, V], made by the caller once per step on a
 * backend that multiplies by an explicit transpose (WASM); it must stay alive until the backward pass is done.
 */
export function modelHead(model: BertForMaskedLM, embeddingsT?: tf.Tensor2D): ChunkHead {
  const names: readonly string[] = MLM_HEAD_PARAMETER_NAMES;
  return {
    vocabSize: model.config.vocabSize,
    params: names.map((n) => model.getVariable(n)),
    apply: (rows, params) => mlmHead((n) => params[names.indexOf(n)]!, model.config, rows, embeddingsT),
  };
}

interface EngineInternals {
  state: { activeTape: unknown };
  gradients(f: () => tf.Tensor, xs: tf.Tensor[], dy?: tf.Tensor, allowNoGradients?: boolean): { value: tf.Tensor; grads: (tf.Tensor | null)[] };
}

/** sum over the chunk's rows and vocabulary of softmax(teacher) * log_softmax(student). */
function chunkSum(student: ChunkHead, teacher: ChunkHead, sRows: tf.Tensor2D, sParams: tf.Tensor[], tRows: tf.Tensor2D): tf.Scalar {
  const p = tf.tidy(() => tf.softmax(teacher.apply(tRows, teacher.params)));
  const s = tf.sum(tf.mul(p, tf.logSoftmax(student.apply(sRows, sParams)))) as tf.Scalar;
  p.dispose();
  return s;
}

/**
 * Same value and gradients as softCrossEntropyStudy(student logits [B,S,V], teacher logits [B,S,V]):
 *   -(1 / (B*S*V)) * sum over positions and vocabulary of softmax(t) * log_softmax(s)
 * from the final hidden states [B*S, H] of both models (ForwardOptions.outputLastHidden). Gradients reach the
 * student's hidden states and head parameters; `teacherHidden` gets none (it should come from outside the tape).
 */
export function softCrossEntropyStudyChunked(
  studentHidden: tf.Tensor2D,
  teacherHidden: tf.Tensor2D,
  student: ChunkHead,
  teacher: ChunkHead,
  chunkRows = DEFAULT_SOFT_CHUNK_ROWS,
): tf.Scalar {
  if (!tf.util.arraysEqual(studentHidden.shape, teacherHidden.shape)) {
    throw new Error(`softCrossEntropyStudyChunked: student hidden [${studentHidden.shape}] differs from teacher hidden [${teacherHidden.shape}]`);
  }
  if (student.vocabSize !== teacher.vocabSize) throw new Error(`softCrossEntropyStudyChunked: vocabularies differ (${student.vocabSize} vs ${teacher.vocabSize})`);
  if (!(Number.isInteger(chunkRows) && chunkRows >= 1)) throw new Error(`softCrossEntropyStudyChunked: chunkRows must be a positive integer, got ${chunkRows}`);
  const n = studentHidden.shape[0];
  const np = student.params.length;
  const sizes: number[] = [];
  for (let r = 0; r < n; r += chunkRows) sizes.push(Math.min(chunkRows, n - r));

  const f = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const inputs = args as tf.Tensor[];
    save(inputs);
    const [sRows, ...rest] = inputs;
    const sParams = rest.slice(0, np);
    const tRows = rest[np]!;
    return {
      value: tf.tidy(() => chunkSum(student, teacher, sRows as tf.Tensor2D, sParams, tRows as tf.Tensor2D)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const engine = tf.engine() as unknown as EngineInternals;
        // a gradient computed inside a backward pass replaces the outer pass's tape and clears it when done; the
        // outer pass still needs its tape afterwards (as in model/layerCheckpoint.ts)
        const outerTape = engine.state.activeTape;
        try {
          const xs = saved.slice(0, 1 + np);
          const t = saved[1 + np]! as tf.Tensor2D;
          const { value, grads } = engine.gradients(() => chunkSum(student, teacher, xs[0] as tf.Tensor2D, xs.slice(1), t), xs, dy, true);
          value.dispose();
          return [...grads.map((g, i) => g ?? tf.zerosLike(xs[i]!)), tf.zerosLike(t)];
        } finally {
          engine.state.activeTape = outerTape;
        }
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Scalar;

  return tf.tidy(() => {
    const sParts = sizes.length === 1 ? [studentHidden] : tf.split(studentHidden, sizes, 0);
    const tParts = sizes.length === 1 ? [teacherHidden] : tf.split(teacherHidden, sizes, 0);
    const sums = sParts.map((s, i) => f(s, ...student.params, tParts[i]!));
    const total = sums.length === 1 ? sums[0]! : tf.addN(sums);
    return tf.neg(tf.div(total, n * student.vocabSize)) as tf.Scalar;
  });
}
