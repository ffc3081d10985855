// Benchmark of training throughput (src/core/training/trainStage.ts) on the current TF.js backend: examples/s of a
// teacher fine-tuning step (hard CE at [MASK] + AdamW) for a random teacher and its half-depth student, and of a
// distillation step (frozen teacher forward + student with every layer term), at sequence 128, batch 8.
// The PyTorch reference on this machine (../shared/notes/performance.md): mini4 3.01, mini2 6.46 train examples/s.
// (run directly: `npx tsx scripts/bench/training.ts [backend] [--small]`, default wasm).
import * as tf from '@tensorflow/tfjs';
import type { BenchRow } from './types';
import type { SqgExample } from '../../src/core/data/sqgExamples';
import { arrayExampleSet } from '../../src/core/data/sqgExampleSet';
import { bertPresets, type BertPresetName } from '../../src/core/model/bertConfig';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import { resolveStageConfig, type StageKind } from '../../src/core/training/stageConfig';
import type { GradientsOf } from '../../src/core/training/stepGradients';
import { trainStage } from '../../src/core/training/trainStage';
import { runIfMain } from './standalone';

/** BERT-SQG rows: [CLS] context [SEP] answer [SEP] question-prefix [MASK], lengths seqLen-8..seqLen (a fixed LCG). */
export function benchExamples(vocab: number, seqLen: number, count: number): SqgExample[] {
  let seed = 12345;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  return Array.from({ length: count }, () => {
    const n = seqLen - rand(8);
    const inputIds = Array.from({ length: n }, (_, i) => (i === 0 ? 101 : i === n - 1 ? 103 : 104 + rand(vocab - 104)));
    return { inputIds, tokenTypeIds: inputIds.map(() => 0), maskPos: n - 1, label: 104 + rand(vocab - 104) };
  });
}

export interface TrainingMeasure {
  examplesPerSec: number;
  /** user CPU-seconds of the whole process (every thread) per example, over the same steps */
  userCpuPerExample: number;
  /** process CPU time (user + system) / wall time over the same steps: the cores the run got */
  cores: number;
}

/**
 * One trainStage of a copy of `model` over `examples` (not shuffled, one epoch); examples/s and CPU over the steps
 * after the first (warm-up: kernels, shapes, optimizer moments; a pool's setup). `gradientsOf` / `microBatchSize`:
 * the data-parallel bench's pool (trainingPool.ts); without them this is the step of `qglab run` on one thread.
 */
export async function measureTraining(
  kind: StageKind,
  model: BertForMaskedLM,
  teacher: BertForMaskedLM | undefined,
  examples: SqgExample[],
  batchSize: number,
  pool: { gradientsOf?: GradientsOf; microBatchSize?: number } = {},
): Promise<TrainingMeasure> {
  const student = model.clone(); // train a copy: the source stays untouched for the next measurement
  const times: number[] = [];
  const cpus: NodeJS.CpuUsage[] = [];
  const config = resolveStageConfig(kind, {
    epochs: 1,
    batchSize,
    trainFraction: 1,
    shuffle: false,
    microBatchSize: pool.microBatchSize ?? 0,
    distill: { schedule: 'all', softForm: 'mask' },
  });
  try {
    await trainStage({
      kind, student, teacher, examples: arrayExampleSet(examples), config, gradientsOf: pool.gradientsOf,
      onStep: () => {
        times.push(performance.now());
        cpus.push(process.cpuUsage());
      },
    });
  } finally {
    student.dispose();
  }
  const n = batchSize * (times.length - 1);
  const wall = (times[times.length - 1]! - times[0]!) / 1000;
  const last = cpus[cpus.length - 1]!;
  const user = (last.user - cpus[0]!.user) / 1e6;
  const total = (last.user - cpus[0]!.user + last.system - cpus[0]!.system) / 1e6;
  return { examplesPerSec: n / wall, userCpuPerExample: user / n, cores: total / wall };
}

export async function benchTraining(opts: { small?: boolean } = {}): Promise<BenchRow[]> {
  await tf.ready();
  const backend = tf.getBackend();
  const vocab = opts.small ? 2000 : 21128; // bert-base-chinese's vocabulary
  const [seqLen, batchSize, steps] = opts.small ? [64, 8, 3] : [128, 8, 3];
  const presets: BertPresetName[] = opts.small ? ['tiny'] : ['tiny', 'mini'];
  const examples = benchExamples(vocab, seqLen, batchSize * (steps + 1));
  const measure = async (kind: StageKind, model: BertForMaskedLM, teacher?: BertForMaskedLM): Promise<number> =>
    (await measureTraining(kind, model, teacher, examples, batchSize)).examplesPerSec;

  const rows: BenchRow[] = [];
  for (const name of presets) {
    const config = bertPresets[name](vocab, 512);
    const layers = config.numHiddenLayers;
    const teacher = BertForMaskedLM.create(config, 1);
    const student = teacher.withLayers(Array.from({ length: layers / 2 }, (_, i) => 2 * i));
    try {
      const tag = `${backend} train ${name} (hidden ${config.hiddenSize}, vocab ${vocab}, seq ${seqLen}, batch ${batchSize})`;
      const t = await measure('teacher', teacher);
      const s = await measure('selftrain', student);
      const d = await measure('distill', student, teacher);
      rows.push({ name: `${tag} teacher ${layers} layers examples/s`, value: +t.toFixed(3), unit: 'examples/s' });
      rows.push({ name: `${tag} student ${layers / 2} layers examples/s`, value: +s.toFixed(3), unit: 'examples/s' });
      rows.push({ name: `${tag} distill ${layers}->${layers / 2} (all terms) examples/s`, value: +d.toFixed(3), unit: 'examples/s' });
    } finally {
      teacher.dispose();
      student.dispose();
    }
  }
  return rows;
}

await runIfMain(import.meta.url, benchTraining);
