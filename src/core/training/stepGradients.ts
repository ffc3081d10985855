// The gradient of one training step: the loss plan of a stage (which terms, with which weights, at which step) and
// forward + backward over a batch, run as one or more micro-batches (gradient accumulation).
//
// Normalisation of accumulated micro-batches. Every term of the study's loss is a mean: hard CE over the batch's
// [MASK] rows; soft CE 'study' over every position (padding included) and vocabulary entry; hidden / attention MSE
// over every element of padded tensors; soft CE 'mask' over rows. A micro-batch of m of the batch's B rows computes
// each term as its own mean, padded to ITS longest row, and its loss is weighted by m / B before the backward pass;
// the step's gradient, loss and term values are the sums over micro-batches. So:
// - hard CE and soft CE 'mask' (means over rows): the full batch's value and gradient exactly (up to float rounding).
// - soft CE 'study' and the MSEs (means over padded positions): exact when every micro-batch pads to the same length
//   as the full batch (rows of equal length, or a data set padded to a fixed length as the study's 512). With rows of
//   different lengths a micro-batch pads less than the full batch would, so its padding positions (which these means
//   include) are fewer: each micro-batch counts as m / B of the batch, which is not the full-batch mean over
//   B x S_max positions. We do not try to reproduce the full batch's padding: a micro-batch's own mean is what its
//   rows say, and weighting by rows keeps every row's share of the step equal.
// Gradient clipping and the optimizer step happen once per batch, on the summed gradients (trainStage).
// Dropout: the step draws one seed from the stage's stream (as before accumulation existed); micro-batch 0 uses it
// unchanged and micro-batch k > 0 uses microBatchSeed(seed, k). With one micro-batch the step is exactly the one of
// a run without accumulation (same ops, same masks).
import * as tf from '@tensorflow/tfjs';
import type { SqgExample } from '../data/sqgExamples';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import { prefersExplicitTransposeB } from '../kernels/fastMatMul';
import { DEFAULT_SOFT_CHUNK_ROWS, modelHead } from './chunkedSoftCrossEntropy';
import { computeLossTerms, type ForwardOutputs } from './distillLosses';
import { globalNorm } from './gradClip';
import { resolveLayerMap, type LayerMap } from './layerMaps';
import { activeTermsAt, layerTermGroups, phaseStepCount } from './schedules';
import { batchTensors, padBatch } from './sqgBatch';
import type { StageConfig, StageKind } from './stageConfig';

export interface LossPlan {
  termsAt(step: number): { phase: number; terms: string[] };
  weightOf(term: string): number;
  hiddenPairs: Map<number, number>;
  attnPairs: Map<number, number>;
  softForm: 'mask' | 'study';
  temperature: number;
}

export function lossPlan(
  kind: StageKind,
  student: BertForMaskedLM,
  teacher: BertForMaskedLM | undefined,
  cfg: StageConfig,
  stepsPerEpoch: number,
): LossPlan {
  const d = cfg.distill;
  if (kind !== 'distill') {
    // SQG_train.py: `loss = outputs[0]` — hard cross-entropy at [MASK] only
    return {
      termsAt: () => ({ phase: 0, terms: ['logits'] }),
      weightOf: () => 1,
      hiddenPairs: new Map(),
      attnPairs: new Map(),
      softForm: d.softForm,
      temperature: d.temperature,
    };
  }
  if (!teacher) throw new Error("a 'distill' stage needs a teacher model");
  const sc = student.config;
  const tc = teacher.config;
  if (sc.vocabSize !== tc.vocabSize) {
    throw new Error(`student vocabulary (${sc.vocabSize}) differs from the teacher's (${tc.vocabSize}): logits cannot be distilled`);
  }
  const usesLayers = d.schedule !== 'logits-only' && (d.weights.hidden > 0 || d.weights.attn > 0);
  let map: LayerMap = { hidden: [], attn: [] };
  if (usesLayers) {
    map = resolveLayerMap(d.layerMap, sc.numHiddenLayers, tc.numHiddenLayers);
    if (d.weights.hidden > 0 && map.hidden.length > 0 && sc.hiddenSize !== tc.hiddenSize) {
      throw new Error(`hidden-state distillation needs equal hidden sizes (student ${sc.hiddenSize}, teacher ${tc.hiddenSize}); set distill.weights.hidden to 0`);
    }
    if (d.weights.attn > 0 && map.attn.length > 0 && sc.numAttentionHeads !== tc.numAttentionHeads) {
      throw new Error(`attention distillation needs equal head counts (student ${sc.numAttentionHeads}, teacher ${tc.numAttentionHeads}); set distill.weights.attn to 0`);
    }
  }
  const groups = usesLayers ? layerTermGroups(map, { hidden: d.weights.hidden > 0, attn: d.weights.attn > 0 }) : [];
  const stepsPerPhase = phaseStepCount(d.phaseLength, stepsPerEpoch);
  const weightOf = (term: string): number =>
    term === 'logits' ? d.weights.hard : term === 'soft' ? d.weights.soft : term.startsWith('hidden/') ? d.weights.hidden : d.weights.attn;
  return {
    termsAt: (step) => {
      const { phase, terms } = activeTermsAt(d.schedule, groups, step, stepsPerPhase);
      return { phase, terms: terms.filter((t) => weightOf(t) > 0) };
    },
    weightOf,
    hiddenPairs: new Map(map.hidden.map((p) => [p.student, p.teacher])),
    attnPairs: new Map(map.attn.map((p) => [p.student, p.teacher])),
    softForm: d.softForm,
    temperature: d.temperature,
  };
}

/** Everything one step's gradient depends on. */
export interface StepGradientInputs {
  model: BertForMaskedLM;
  teacher?: BertForMaskedLM;
  vars: tf.Variable[];
  rows: SqgExample[];
  terms: string[];
  plan: LossPlan;
  /** the step's dropout seed (one draw of the stage's stream) */
  seed: number;
  dropout: { hidden: number; attention: number };
  recompute: boolean;
  /** rows per micro-batch; 0 or >= rows.length: the batch at once */
  microBatchSize: number;
  /** positions per chunk of the 'study' soft CE */
  softChunkRows?: number;
}

/** The dropout seed of micro-batch k of a step with seed `seed` (k = 0: the step's seed itself). */
export function microBatchSeed(seed: number, k: number): number {
  return k === 0 ? seed : (seed + Math.imul(k, 0x9e3779b9)) >>> 0;
}

/** Split rows into consecutive micro-batches of `size` rows (the last may be short); 0: one. */
export function microBatches<T>(rows: readonly T[], size: number): T[][] {
  if (!(size > 0) || size >= rows.length) return [rows.slice()];
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** One step's gradient: [loss, gradNorm, ...term values] of the whole batch and the summed gradient of each variable. */
export interface StepGradients {
  stats: tf.Tensor1D;
  grads: (tf.Tensor | null)[];
}

/**
 * Where trainStage gets a step's gradient from: computeGradients in this thread unless a caller plugs in another
 * (src/node/pool/trainingPool.ts splits the micro-batches over worker threads). It must return what computeGradients
 * would for the same inputs (the caller disposes it) and leave the model's weights as they are.
 */
export type GradientsOf = (inp: StepGradientInputs) => StepGradients | Promise<StepGradients>;

/**
 * Forward + backward of one batch, as micro-batches (see the top of this file for the weighting). Returns
 * [loss, gradNorm, ...term values] of the whole batch (one read-back) and the summed gradient of each variable
 * (null where the active terms do not reach it). The caller disposes both.
 */
export function computeGradients(inp: StepGradientInputs): StepGradients {
  const parts = microBatches(inp.rows, inp.microBatchSize);
  if (parts.length === 1) {
    // one micro-batch: exactly the step without accumulation
    return tf.tidy(() => {
      const r = microBatchGradients(inp, parts[0]!, inp.seed, 1);
      const stats = tf.concat([tf.reshape(r.value, [1]), tf.reshape(globalNorm(r.grads), [1]), r.terms]) as tf.Tensor1D;
      r.terms.dispose(); // kept through variableGrads (tf.keep), so not freed by this tidy
      return { stats, grads: r.grads } as unknown as tf.TensorContainerObject;
    }) as unknown as StepGradients;
  }
  const acc = accumulateMicroBatches(inp, parts.map((_, k) => k));
  try {
    const stats = tf.tidy(() => tf.concat([tf.reshape(acc.value, [1]), tf.reshape(globalNorm(acc.grads), [1]), acc.terms]) as tf.Tensor1D);
    return { stats, grads: acc.grads };
  } catch (e) {
    for (const g of acc.grads) g?.dispose();
    throw e;
  } finally {
    acc.value.dispose();
    acc.terms.dispose();
  }
}

/**
 * The sums over micro-batches `ks` (indices into microBatches(inp.rows, inp.microBatchSize), added in the order
 * given) of each one's weighted loss, term values and gradients: micro-batch k runs with seed microBatchSeed(seed, k)
 * and weight rows / inp.rows.length, as in computeGradients. The caller disposes everything returned. A worker of a
 * data-parallel pool runs its share of a step's micro-batches with this; the pool adds the shares in worker order.
 */
export function accumulateMicroBatches(inp: StepGradientInputs, ks: readonly number[]): MicroResult {
  const parts = microBatches(inp.rows, inp.microBatchSize);
  const n = inp.rows.length;
  if (ks.length === 0) throw new Error('accumulateMicroBatches needs at least one micro-batch');
  let acc: (tf.Tensor | null)[] = inp.vars.map(() => null);
  let value: tf.Tensor | null = null;
  let terms: tf.Tensor | null = null;
  const addInto = (a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null => {
    if (a === null) return b;
    if (b === null) return a;
    const s = tf.add(a, b);
    a.dispose();
    b.dispose();
    return s;
  };
  try {
    for (const k of ks) {
      const rows = parts[k];
      if (!rows) throw new RangeError(`no micro-batch ${k} in a step of ${parts.length}`);
      const r = tf.tidy(() => microBatchGradients(inp, rows, microBatchSeed(inp.seed, k), rows.length / n) as unknown as tf.TensorContainerObject) as unknown as MicroResult;
      acc = acc.map((a, i) => addInto(a, r.grads[i] ?? null));
      value = addInto(value, r.value);
      terms = addInto(terms, r.terms);
    }
    return { value: value as unknown as tf.Scalar, terms: terms as unknown as tf.Tensor1D, grads: acc };
  } catch (e) {
    for (const g of acc) g?.dispose();
    (value as tf.Tensor | null)?.dispose();
    (terms as tf.Tensor | null)?.dispose();
    throw e;
  }
}

export interface MicroResult {
  /** weight * weighted sum of the terms */
  value: tf.Scalar;
  /** weight * each term */
  terms: tf.Tensor1D;
  grads: (tf.Tensor | null)[];
}

/** One micro-batch inside the caller's tf.tidy (`terms` is tf.keep'd: the caller disposes it); `weight` scales its loss (and so its gradients) and term values. */
function microBatchGradients(inp: StepGradientInputs, rows: SqgExample[], seed: number, weight: number): MicroResult {
  const { model, teacher, vars, terms, plan, dropout, recompute } = inp;
  const needSoft = terms.includes('soft');
  const needHard = terms.includes('logits');
  const allPositions = needSoft && plan.softForm === 'study';
  const needHidden = terms.some((t) => t.startsWith('hidden/'));
  const needAttn = terms.some((t) => t.startsWith('attn/'));
  const chunkRows = inp.softChunkRows ?? DEFAULT_SOFT_CHUNK_ROWS;
  const batch = batchTensors(padBatch(rows, model.config.padTokenId));
  const inputs = { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask };
  // The 'study' soft CE applies both heads per chunk of positions (chunkedSoftCrossEntropy.ts) to the final hidden
  // states. On a backend that multiplies by an explicit transpose, the student's tied decoder's transpose is made once
  // here, outside the tape (the weights do not change within a step).
  const decoderT = (m: BertForMaskedLM) =>
    prefersExplicitTransposeB(chunkRows) ? (tf.transpose(m.getVariable('bert.embeddings.word_embeddings.weight')) as tf.Tensor2D) : undefined;
  // distil.py: `with torch.no_grad(): tea_outputs = tea_model(**inputs)` with tea_model.eval() (no dropout).
  // Run outside variableGrads, so nothing of it is recorded on the tape.
  let teacherOut: ForwardOutputs | undefined;
  if (teacher && (needSoft || needHidden || needAttn)) {
    teacherOut = teacher.forward(inputs, {
      training: false,
      headPositions: needSoft && !allPositions ? batch.maskPositions : 'none',
      outputLastHidden: allPositions,
      outputHiddenStates: needHidden,
      outputAttentions: needAttn,
    });
    // the frozen teacher's decoder transpose is the one it keeps for inference (owned by the model, kept across steps)
    if (allPositions) teacherOut.head = modelHead(teacher, teacher.inferenceDecoderT());
  }
  const studentHead = allPositions ? modelHead(model, decoderT(model)) : undefined;
  let termStack: tf.Tensor1D | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out: ForwardOutputs = model.forward(inputs, {
      training: true,
      seed,
      dropout,
      recompute,
      headPositions: needHard || (needSoft && !allPositions) ? batch.maskPositions : 'none',
      outputLastHidden: allPositions,
      outputHiddenStates: needHidden,
      outputAttentions: needAttn,
    });
    out.head = studentHead;
    const byName = computeLossTerms({
      terms,
      labels: batch.labels,
      maskPositions: batch.maskPositions,
      student: out,
      teacher: teacherOut,
      hiddenPairs: plan.hiddenPairs,
      attnPairs: plan.attnPairs,
      softForm: plan.softForm,
      temperature: plan.temperature,
      softChunkRows: chunkRows,
    });
    const values = terms.map((t) => byName.get(t)!);
    const stacked = tf.stack(values) as tf.Tensor1D;
    termStack = tf.keep(weight === 1 ? stacked : (tf.mul(stacked, weight) as tf.Tensor1D));
    const loss = tf.addN(values.map((v, i) => tf.mul(v, plan.weightOf(terms[i]!)))) as tf.Scalar;
    return weight === 1 ? loss : (tf.mul(loss, weight) as tf.Scalar);
  }, vars);
  return { value, terms: termStack!, grads: vars.map((v) => grads[v.name] ?? null) };
}
