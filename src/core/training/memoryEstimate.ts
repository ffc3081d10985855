// A model-of-the-step estimate of the tensor memory (float32 bytes, as TF.js counts them in tf.memory().numBytes) at
// the peak of one training step: the trained model's weights, gradients (and their running sum when accumulating),
// AdamW's two moments, a frozen teacher's weights, and the activations the gradient tape keeps for one micro-batch.
// The Model screen (src/ui/screens/ModelScreen.tsx) shows it for the uploaded model at sequence 512.
// The per-layer coefficients count the tensors this code base's encoder layer saves for its backward pass (inputs of
// each matmul, the softmax output, dropout masks, layer-norm inputs); they are an engineering estimate, checked
// against measured peaks in scripts/bench/fullSize.ts.
import type { BertConfig } from '../model/bertConfig';
import { countParameters } from '../model/parameterCount';
import { DEFAULT_SOFT_CHUNK_ROWS } from './chunkedSoftCrossEntropy';
import type { StageKind } from './stageConfig';

export interface StepMemoryOptions {
  seqLen: number;
  /** rows per micro-batch */
  microBatch: number;
  kind: StageKind;
  /** gradient checkpointing of encoder layers (StageConfig.recomputeLayers) */
  recompute: boolean;
  /** distill: the frozen teacher */
  teacherConfig?: BertConfig;
  /** distill: which terms are on (default: every term, soft form 'study', as the study's best recipe) */
  terms?: { hidden?: boolean; attn?: boolean; soft?: 'study' | 'mask' | false };
  /** true when the batch is accumulated over several micro-batches (a running sum of gradients); default false */
  accumulating?: boolean;
  softChunkRows?: number;
}

export interface StepMemoryEstimate {
  totalBytes: number;
  /** the parts summed into totalBytes */
  parts: Record<string, number>;
}

const F = 4; // bytes per float32

/** Tensor bytes one encoder layer keeps for its backward pass, for n = rows * seqLen positions. */
function layerSavedBytes(c: BertConfig, rows: number, seqLen: number): number {
  const n = rows * seqLen;
  const h = c.hiddenSize;
  const scores = rows * c.numAttentionHeads * seqLen * seqLen;
  // hidden-sized: input, q, k, v and their head-split copies, context (+ merged), attention output dense, its dropout
  // mask and output, residual sum, layer-norm input and output, FFN output dense, dropout mask, residual: ~14
  // intermediate-sized: FFN input dense output, erf-GELU's saved input/intermediates: ~4
  // attention-sized: scores + mask, softmax output, dropout mask, dropped probabilities: ~4
  return F * (14 * n * h + 4 * n * c.intermediateSize + 4 * scores);
}

export function estimateStepMemory(config: BertConfig, o: StepMemoryOptions): StepMemoryEstimate {
  if (!(o.seqLen >= 1 && o.microBatch >= 1)) throw new Error(`estimateStepMemory: seqLen and microBatch must be >= 1`);
  const p = countParameters(config);
  const distill = o.kind === 'distill';
  const t = distill ? o.teacherConfig : undefined;
  if (distill && !t) throw new Error("estimateStepMemory: a 'distill' stage needs teacherConfig");
  const terms = distill ? { hidden: o.terms?.hidden ?? true, attn: o.terms?.attn ?? true, soft: o.terms?.soft ?? 'study' } : { hidden: false, attn: false, soft: false as const };
  const n = o.microBatch * o.seqLen;
  const L = config.numHiddenLayers;
  const scores = (c: BertConfig) => F * o.microBatch * c.numAttentionHeads * o.seqLen * o.seqLen;
  const perLayer = layerSavedBytes(config, o.microBatch, o.seqLen);
  const parts: Record<string, number> = {
    weights: F * p,
    adamMoments: 2 * F * p,
    gradients: F * p,
  };
  if (o.accumulating) parts.gradientSum = F * p;
  if (t) parts.teacherWeights = F * countParameters(t);
  // activations on the tape: every layer's (or, with recompute, each layer's input plus one layer re-run with its
  // gradients during the backward pass); attention probabilities returned for the loss stay on the tape either way
  parts.activations = o.recompute
    ? L * F * n * config.hiddenSize + 2 * perLayer + (terms.attn ? L * scores(config) : 0)
    : L * perLayer;
  // the backward pass's transient activation gradients: about one layer's worth
  parts.backwardTransient = perLayer;
  parts.embeddings = 4 * F * n * config.hiddenSize;
  if (t) {
    // the teacher's outputs, kept for the loss (computed outside the tape): hidden states, attentions, final hidden
    parts.teacherOutputs =
      (terms.hidden ? (t.numHiddenLayers + 1) * F * n * t.hiddenSize : 0) +
      (terms.attn ? t.numHiddenLayers * scores(t) : 0) +
      (terms.soft === 'study' ? F * n * t.hiddenSize : 0);
    // the teacher's forward: one layer's working set at a time
    parts.teacherForwardTransient = layerSavedBytes(t, o.microBatch, o.seqLen) / 2;
  }
  if (terms.soft === 'study') {
    // one chunk of positions in flight: both models' logits, softmax / log-softmax, product, their gradients; the
    // head's embedding gradient per chunk and the decoders' transposes
    const rows = Math.min(o.softChunkRows ?? DEFAULT_SOFT_CHUNK_ROWS, n);
    parts.softChunk = 8 * F * rows * config.vocabSize + 3 * F * config.vocabSize * config.hiddenSize;
  } else {
    parts.head = 4 * F * o.microBatch * config.vocabSize + F * config.vocabSize * config.hiddenSize;
  }
  const totalBytes = Object.values(parts).reduce((a, b) => a + b, 0);
  return { totalBytes, parts };
}
