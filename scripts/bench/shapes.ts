// Fixed shapes, so the figures can be set beside other implementations on the same machine
// (PyTorch's figures for the same shapes are in ../shared/notes/performance.md):
//   mini4 / mini2: 4 (2) layers, hidden 256, 4 heads, intermediate 1024, vocab 21,128
//   base12 / base6: bert-base shape with 12 (6) layers
//   tiny2 / tiny1: 2 (1) layers, hidden 64, 2 heads, intermediate 256 (for slow backends, e.g. WebGPU on SwiftShader)
// sequence 128, batch 8. Training step = forward + backward + AdamW with one label per row (the [MASK] row);
// generation step = forward + argmax at the last position, at batch 1 and 32. Peak memory = tf.memory().numBytes.
// Run directly: `npx tsx scripts/bench/shapes.ts [backend]` (mini4, mini2); beside it, PyTorch on the same machine:
// `python3 scripts/bench/pytorchReference.py` (Hugging Face's BertForMaskedLM in torch.nn, the same shapes).
import * as tf from '@tensorflow/tfjs';
import type { BenchRow } from './types';
import type { BertConfig } from '../../src/core/model/bertConfig';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import { AdamW } from '../../src/core/training/adamw';
import { runIfMain } from './standalone';

const VOCAB = 21128;
const SEQ = 128;
const BATCH = 8;

function shape(layers: number, hidden: number, heads: number, intermediate: number): BertConfig {
  return {
    vocabSize: VOCAB, hiddenSize: hidden, numHiddenLayers: layers, numAttentionHeads: heads,
    intermediateSize: intermediate, hiddenAct: 'gelu', hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1,
    maxPositionEmbeddings: 512, typeVocabSize: 2, layerNormEps: 1e-12, padTokenId: 0, initializerRange: 0.02,
  };
}

export const BENCH_SHAPES: Record<string, BertConfig> = {
  // for slow backends (WebGPU on SwiftShader in the browser bench): 2 (1) layers, hidden 64
  tiny2: shape(2, 64, 2, 256),
  tiny1: shape(1, 64, 2, 256),
  mini4: shape(4, 256, 4, 1024),
  mini2: shape(2, 256, 4, 1024),
  base12: shape(12, 768, 12, 3072),
  base6: shape(6, 768, 12, 3072),
};

function inputs(batch: number) {
  const ids = Array.from({ length: batch * SEQ }, (_, i) => (i % SEQ === 0 ? 101 : 104 + ((i * 7919) % (VOCAB - 104))));
  return {
    inputIds: tf.tensor2d(ids, [batch, SEQ], 'int32'),
    tokenTypeIds: tf.zeros([batch, SEQ], 'int32') as tf.Tensor2D,
    attentionMask: tf.ones([batch, SEQ], 'int32') as tf.Tensor2D,
  };
}

/**
 * Multiply-add FLOPs of one generation row (sequence SEQ, head at one position, the last layer's output at that row
 * only, as BertForMaskedLM computes it): full layers 2·S·(4H² + 2·H·I) + 4·S²·H; the last layer's K/V over S rows
 * and the rest at one row; the MLM head at one row. With a measured rows/s this gives the backend's achieved rate,
 * and so how much batching can still add on it.
 */
export function generationRowFlops(c: BertConfig, seq = SEQ): number {
  const { hiddenSize: H, intermediateSize: I, vocabSize: V, numHiddenLayers: L } = c;
  const full = 2 * seq * (4 * H * H + 2 * H * I) + 4 * seq * seq * H;
  const last = 2 * seq * 2 * H * H + 2 * (2 * H * H + 2 * H * I) + 4 * seq * H;
  const head = 2 * H * H + 2 * H * V;
  return (L - 1) * full + last + head;
}

/** Mean seconds per call over `reps` timed calls after `warm` warm-up calls. */
async function time(fn: () => Promise<void>, warm: number, reps: number): Promise<number> {
  for (let i = 0; i < warm; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t0) / 1000 / reps;
}

export interface ShapeFigures {
  trainExamplesPerSec: number;
  genRowsPerSecB1: number;
  genRowsPerSecB32: number;
  peakBytes: number;
}

export async function benchShape(name: string, reps: number, recompute = false): Promise<ShapeFigures> {
  const model = BertForMaskedLM.create(BENCH_SHAPES[name]!, 1);
  let peak = tf.memory().numBytes;
  const track = () => (peak = Math.max(peak, tf.memory().numBytes));
  try {
    const opt = new AdamW(model.trainableVariables());
    const x = inputs(BATCH);
    const maskPos = tf.fill([BATCH], SEQ - 1, 'int32') as tf.Tensor1D;
    const labels = tf.tensor1d(Array.from({ length: BATCH }, (_, i) => 200 + i), 'int32');
    const trainStep = async () => {
      const { grads, value } = tf.variableGrads(() => {
        const { logits } = model.forward(x, { training: true, seed: 1, headPositions: maskPos, recompute });
        track();
        return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, VOCAB), logits as tf.Tensor2D) as tf.Scalar;
      }, model.trainableVariables());
      track();
      opt.applyGradients(model.trainableVariables().map((v) => grads[v.name] ?? null), 5e-5);
      await value.data();
      value.dispose();
      tf.dispose(grads);
    };
    const trainSec = await time(trainStep, 1, reps);
    tf.dispose([x.inputIds, x.tokenTypeIds, x.attentionMask, maskPos, labels]);

    const genStep = (batch: number) => {
      const g = inputs(batch);
      const pos = tf.fill([batch], SEQ - 1, 'int32') as tf.Tensor1D;
      return {
        run: async () => {
          const next = tf.tidy(() => tf.argMax(model.forward(g, { headPositions: pos }).logits!, -1));
          track();
          await next.data();
          next.dispose();
        },
        dispose: () => tf.dispose([g.inputIds, g.tokenTypeIds, g.attentionMask, pos]),
      };
    };
    const g1 = genStep(1);
    const g1Sec = await time(g1.run, 1, Math.max(reps, 3));
    g1.dispose();
    const g32 = genStep(32);
    const g32Sec = await time(g32.run, 1, reps);
    g32.dispose();
    opt.dispose();
    return { trainExamplesPerSec: BATCH / trainSec, genRowsPerSecB1: 1 / g1Sec, genRowsPerSecB32: 32 / g32Sec, peakBytes: peak };
  } finally {
    model.dispose();
  }
}

/**
 * Figures for each shape plus the half/full ratios (tiny1/tiny2, mini2/mini4, base6/base12). `recompute`: train with gradient
 * checkpointing (ForwardOptions.recompute), which bert-base needs to fit WASM's 4 GB heap at batch 8.
 */
export async function benchShapes(opts: { names: string[]; reps: number; recompute?: boolean; trainOnly?: boolean }): Promise<BenchRow[]> {
  const backend = tf.getBackend();
  const how = opts.recompute ? ' (recompute layers)' : '';
  const names = opts.names;
  const figs: Record<string, ShapeFigures> = {};
  const rows: BenchRow[] = [];
  for (const n of names) {
    const tag = `${backend} ${n}`;
    let f: ShapeFigures;
    try {
      f = figs[n] = await benchShape(n, opts.reps, opts.recompute);
    } catch (e) {
      // e.g. bert-base training without recompute outgrows the WASM backend's 4 GB heap (weights, gradients and AdamW
      // moments are 1.6 GB before any activation)
      rows.push({ name: `${tag} FAILED: ${(e as Error).message.split('\n')[0]}`, value: NaN, unit: '' });
      continue;
    }
    rows.push({ name: `${tag} train step${how}`, value: +f.trainExamplesPerSec.toFixed(3), unit: 'examples/s' });
    if (!opts.trainOnly) {
      const gf = generationRowFlops(BENCH_SHAPES[n]!) / 1e9;
      rows.push({ name: `${tag} generation step batch 1`, value: +f.genRowsPerSecB1.toFixed(3), unit: 'rows/s' });
      rows.push({ name: `${tag} generation step batch 32`, value: +f.genRowsPerSecB32.toFixed(3), unit: 'rows/s' });
      rows.push({ name: `${tag} generation step batch 1, achieved (model FLOPs)`, value: +(gf * f.genRowsPerSecB1).toFixed(1), unit: 'GFLOP/s' });
      rows.push({ name: `${tag} generation step batch 32, achieved (model FLOPs)`, value: +(gf * f.genRowsPerSecB32).toFixed(1), unit: 'GFLOP/s' });
    }
    rows.push({ name: `${tag} peak tensor memory${how}`, value: +(f.peakBytes / 2 ** 20).toFixed(1), unit: 'MiB' });
  }
  for (const [half, full] of [['tiny1', 'tiny2'], ['mini2', 'mini4'], ['base6', 'base12']] as const) {
    if (!figs[half] || !figs[full] || opts.trainOnly) continue;
    rows.push({
      name: `${backend} ${half}/${full} student/teacher generation time (batch 32)`,
      value: +(figs[full]!.genRowsPerSecB32 / figs[half]!.genRowsPerSecB32).toFixed(3),
      unit: 'x',
    });
    rows.push({
      name: `${backend} ${full} batched/one-by-one generation rows/s (32 vs 1)`,
      value: +(figs[full]!.genRowsPerSecB32 / figs[full]!.genRowsPerSecB1).toFixed(2),
      unit: 'x',
    });
  }
  return rows;
}

/**
 * The losses of `steps` seeded training steps (dropout on, AdamW at 1e-3) of shape `name` at batch 2: the same
 * numbers on the same backend, so two builds of one backend (the WASM backend on 1 and on N threads) can be compared.
 */
export async function trainLosses(name: string, steps = 3): Promise<number[]> {
  const model = BertForMaskedLM.create(BENCH_SHAPES[name]!, 1);
  const opt = new AdamW(model.trainableVariables());
  const batch = 2;
  const x = inputs(batch);
  const maskPos = tf.fill([batch], SEQ - 1, 'int32') as tf.Tensor1D;
  const labels = tf.tensor1d([200, 201], 'int32');
  const losses: number[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      const { grads, value } = tf.variableGrads(() => {
        const { logits } = model.forward(x, { training: true, seed: 1 + s, headPositions: maskPos });
        return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, VOCAB), logits as tf.Tensor2D) as tf.Scalar;
      }, model.trainableVariables());
      opt.applyGradients(model.trainableVariables().map((v) => grads[v.name] ?? null), 1e-3);
      losses.push((await value.data())[0]!);
      value.dispose();
      tf.dispose(grads);
    }
    return losses;
  } finally {
    tf.dispose([x.inputIds, x.tokenTypeIds, x.attentionMask, maskPos, labels]);
    opt.dispose();
    model.dispose();
  }
}

await runIfMain(import.meta.url, (o) => benchShapes({ names: ['mini4', 'mini2'], reps: o.small ? 1 : 3 }));
