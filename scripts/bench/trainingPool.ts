// Benchmark of data-parallel training (src/node/pool/trainingPool.ts) against one thread, in one run: training
// examples/s of the fixed shapes of shapes.ts (mini4 / mini2: hidden 256, vocab 21,128; sequence 128, batch 8) —
// teacher fine-tuning of each (hard CE at [MASK] + AdamW) and a distill step mini4 -> mini2 (every term) — on 1
// thread (trainStage's own computeGradients, as training.ts and `qglab run`) and on a pool of 2 (micro-batches of 4,
// one per thread, gradients summed here, clipping and AdamW here). The ratio 2 / 1 is what decides whether the pool
// pays (medians of 3 alternating rounds; --small: 1 round of 3 steps). On a shared machine wall figures are noisy: each comes with the user CPU-seconds per example (every thread of
// the process) and the cores the run got (CPU time / wall time).
// Run directly: `npx tsx scripts/bench/trainingPool.ts [backend] [--small]` (default wasm).
import * as tf from '@tensorflow/tfjs';
import type { BenchRow } from './types';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import type { StageKind } from '../../src/core/training/stageConfig';
import { poolMicroBatchSize, TrainingPool } from '../../src/node/pool/trainingPool';
import { BENCH_SHAPES } from './shapes';
import { runIfMain } from './standalone';
import { benchExamples, measureTraining, type TrainingMeasure } from './training';

const SEQ = 128;
const BATCH = 8;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medianOf = (ms: TrainingMeasure[]): TrainingMeasure => ({
  examplesPerSec: median(ms.map((m) => m.examplesPerSec)),
  userCpuPerExample: median(ms.map((m) => m.userCpuPerExample)),
  cores: median(ms.map((m) => m.cores)),
});

export async function benchTrainingPool(opts: { small?: boolean } = {}): Promise<BenchRow[]> {
  await tf.ready();
  const backend = tf.getBackend();
  const steps = opts.small ? 3 : 5; // measured steps, after one warm-up step
  const rounds = opts.small ? 1 : 3;
  const mini4 = BENCH_SHAPES.mini4!;
  const examples = benchExamples(mini4.vocabSize, SEQ, BATCH * (steps + 1));
  const t0 = performance.now();
  const pool = await TrainingPool.open({ threads: 2, backend });
  const startSec = (performance.now() - t0) / 1000;
  const teacher = BertForMaskedLM.create(mini4, 1);
  const student = teacher.withLayers([0, 2]);
  const rows: BenchRow[] = [];
  try {
    const cases: [string, StageKind, BertForMaskedLM, BertForMaskedLM | undefined][] = [
      ['mini4 teacher', 'teacher', teacher, undefined],
      ['mini2 teacher', 'teacher', student, undefined],
      ['distill mini4->mini2 (all terms)', 'distill', student, teacher],
    ];
    for (const [name, kind, model, t] of cases) {
      // 1 and 2 threads alternate, so a change in what else runs on the machine falls on both; medians of the rounds
      const ones: TrainingMeasure[] = [];
      const twos: TrainingMeasure[] = [];
      for (let r = 0; r < rounds; r++) {
        ones.push(await measureTraining(kind, model, t, examples, BATCH));
        twos.push(await measureTraining(kind, model, t, examples, BATCH, { gradientsOf: pool.gradientsOf, microBatchSize: poolMicroBatchSize(BATCH, 0, 2) }));
      }
      const one = medianOf(ones);
      const two = medianOf(twos);
      const tag = `${backend} train ${name} (seq ${SEQ}, batch ${BATCH}, ${steps} steps after 1 warm-up, median of ${rounds})`;
      const add = (threads: string, m: TrainingMeasure) => {
        rows.push({ name: `${tag}, ${threads} examples/s`, value: +m.examplesPerSec.toFixed(3), unit: 'examples/s' });
        rows.push({ name: `${tag}, ${threads} user CPU-seconds per example (all threads)`, value: +m.userCpuPerExample.toFixed(3), unit: 'cpu-s/example' });
        rows.push({ name: `${tag}, ${threads} cores it got (CPU time / wall time)`, value: +m.cores.toFixed(2), unit: 'cores' });
      };
      add('1 thread', one);
      add('2 threads (pool, micro-batches of 4)', two);
      rows.push({ name: `${tag}, 2 threads / 1 thread`, value: +(two.examplesPerSec / one.examplesPerSec).toFixed(2), unit: 'x' });
      // each with a core of its own (a free machine): 2 cores' examples per CPU-second against 1 core's (an estimate)
      rows.push({ name: `${tag}, 2 threads with a core each / 1 thread with its core (2 × CPU-s per example of 1 / of 2, estimate)`, value: +((2 * one.userCpuPerExample) / two.userCpuPerExample).toFixed(2), unit: 'x' });
    }
    rows.push({ name: `${backend} training pool of 2 threads: start (workers, backends), not in the figures above`, value: +startSec.toFixed(2), unit: 's' });
  } finally {
    teacher.dispose();
    student.dispose();
    await pool.close();
  }
  return rows;
}

await runIfMain(import.meta.url, benchTrainingPool);
