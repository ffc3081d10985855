// Benchmark of the worker-thread pool (src/node/pool) against one thread, on the current backend:
//  - fixed-shape generation steps (shapes.ts: mini4 / mini2, sequence 128, batch 1 and 32) on 1 and 2 workers, each
//    worker running its own steps at the same time: rows/s of the whole pool, beside PyTorch's 2-thread figures;
//  - evaluation (beam 3) of the first 352 DRCD dev questions on a random mini4-shaped model: in this thread (as
//    `qglab eval --threads 1`) vs a pool of 2 (as --threads 2), questions/s, and whether the questions are the same.
//    Prompts cut to 128 tokens and questions to a few tokens (a random model never says [SEP]; at the study's 512/42
//    this would take hours on 2 cores). Needs ../shared for this part (skipped when absent).
// Figures are medians of 3 rounds for the steps, one run for the evaluation; on a shared machine they are noisy, so
// each comes with the cores the run actually got (CPU time / wall time) and the steps also per CPU-second.
// Run directly: `npx tsx scripts/bench/pool.ts [backend] [--small]` (default wasm).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { BenchRow } from './types';
import { parseDrcd, toQgItems } from '../../src/core/data/drcd';
import { DEFAULT_SQG_LIMITS } from '../../src/core/data/sqgExamples';
import { evaluate, type EvalOptions } from '../../src/core/experiment/evaluate';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import { BertTokenizer } from '../../src/core/tokenizer/bertTokenizer';
import { evaluateOnPool } from '../../src/node/pool/evaluateOnPool';
import { GenerationPool } from '../../src/node/pool/generationPool';
import { WorkerPool } from '../../src/node/pool/workerPool';
import type { StepInit, StepTask } from './poolStepWorker';
import { BENCH_SHAPES } from './shapes';
import { measurePyTorch, type PyTorchReference } from './pytorch';
import { runIfMain } from './standalone';

const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
const THREADS = [1, 2];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs `fn`, returning its wall and CPU seconds (CPU of the whole process: every thread, the main one idle meanwhile).
 * CPU / wall is the cores the run got: on a machine shared with other work it can be well under the threads asked
 * for, and then figures per CPU-second say what the threads would do on cores of their own.
 */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

async function benchSteps(backend: string, small: boolean, pytorch: PyTorchReference): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rounds = 3;
  const reps: Record<number, number> = { 1: small ? 4 : 10, 32: small ? 1 : 2 };
  for (const shape of ['mini4', 'mini2']) {
    const perSec: Record<string, number> = {};
    const perCpuSec: Record<string, number> = {};
    for (const threads of THREADS) {
      const pool = await WorkerPool.open<StepInit, StepTask, number>(new URL('./poolStepWorker.ts', import.meta.url), threads, () => ({ backend, shape }));
      try {
        const all = (task: StepTask) => Promise.all(Array.from({ length: threads }, (_, w) => pool.run(w, task)));
        await all({ batch: 1, reps: 1 }); // warm-up: kernels, packed weights
        await all({ batch: 32, reps: 1 });
        for (const batch of [1, 32]) {
          const measured: { perSec: number; perCpuSec: number; cores: number }[] = [];
          for (let r = 0; r < rounds; r++) {
            const rowsDone = threads * batch * reps[batch]!;
            const { wall, cpu } = await timed(() => all({ batch, reps: reps[batch]! }));
            measured.push({ perSec: rowsDone / wall, perCpuSec: rowsDone / cpu, cores: cpu / wall });
          }
          const m = (k: keyof (typeof measured)[number]) => median(measured.map((x) => x[k]));
          perSec[`${batch}/${threads}`] = m('perSec');
          perCpuSec[`${batch}/${threads}`] = m('perCpuSec');
          const tag = `${backend} ${shape} generation step batch ${batch}, ${threads} thread${threads > 1 ? 's' : ''} (pool, median of ${rounds})`;
          rows.push({ name: tag, value: +m('perSec').toFixed(2), unit: 'rows/s' });
          rows.push({ name: `${tag}, per CPU-second`, value: +m('perCpuSec').toFixed(2), unit: 'rows/cpu-s' });
          rows.push({ name: `${tag}, cores it got (CPU time / wall time)`, value: +m('cores').toFixed(2), unit: 'cores' });
        }
      } finally {
        await pool.close();
      }
    }
    [1, 32].forEach((batch, i) => {
      const two = perSec[`${batch}/2`]!;
      rows.push({ name: `${backend} ${shape} generation step batch ${batch}, 2 threads / 1 thread`, value: +(two / perSec[`${batch}/1`]!).toFixed(2), unit: 'x' });
      // with a core of its own per thread (what a free 2-core machine gives): work per CPU-second × threads
      const free = perCpuSec[`${batch}/2`]! * 2;
      const ref = pytorch.shapes[shape]!;
      const torch = +(i === 0 ? ref.genRowsPerSecB1 : ref.genRowsPerSecB32).toFixed(1);
      rows.push({ name: `${backend} ${shape} generation step batch ${batch}, 2 threads with a core each (per CPU-second × 2, estimate)`, value: +free.toFixed(2), unit: 'rows/s' });
      rows.push({ name: `${backend} ${shape} generation step batch ${batch}, 2 threads / PyTorch 2 threads (${torch} rows/s)`, value: +(two / torch).toFixed(2), unit: 'x' });
      rows.push({ name: `${backend} ${shape} generation step batch ${batch}, 2 threads with a core each / PyTorch 2 threads`, value: +(free / torch).toFixed(2), unit: 'x' });
    });
  }
  return rows;
}

async function benchEvaluation(backend: string, small: boolean): Promise<BenchRow[]> {
  const drcd = resolve(shared, 'drcd/DRCD_dev.json');
  const vocab = resolve(shared, 'vocab/bert-base-chinese-vocab.txt');
  if (!existsSync(drcd) || !existsSync(vocab)) return [{ name: `pool evaluation: ${drcd} or ${vocab} missing, skipped`, value: NaN, unit: '' }];
  const tok = BertTokenizer.fromVocab(readFileSync(vocab, 'utf8'));
  const items = toQgItems(parseDrcd(readFileSync(drcd, 'utf8'), 'DRCD_dev.json')).slice(0, 352);
  const maxQuestionLen = small ? 2 : 4;
  const opts: EvalOptions = { beamSize: 3, batchSize: 32, limits: { ...DEFAULT_SQG_LIMITS, maxSeqLen: 128, maxQuestionLen } };
  const model = BertForMaskedLM.create({ ...BENCH_SHAPES.mini4!, vocabSize: tok.vocabSize }, 1);
  const tag = `${backend} evaluation of ${items.length} DRCD dev questions, beam 3 (random mini4, prompts ≤128, questions ≤${maxQuestionLen} tokens)`;
  try {
    const { value: one, ...oneTime } = await timed(() => evaluate(model, tok, items, opts));
    const t0 = performance.now();
    const pool = await GenerationPool.open({ threads: 2, backend, config: model.config, weights: await model.toStateDict(), tokenizer: tok });
    const startSec = (performance.now() - t0) / 1000;
    try {
      const { value: two, ...twoTime } = await timed(() => evaluateOnPool(pool, model.config, tok, items, opts));
      const same = two.questions.every((q, i) => q.generated === one.questions[i]!.generated);
      return [
        { name: `${tag}, 1 thread (this one)`, value: +one.questionsPerSec.toFixed(2), unit: 'questions/s' },
        { name: `${tag}, 2 threads (pool)`, value: +two.questionsPerSec.toFixed(2), unit: 'questions/s' },
        { name: `${tag}, 2 threads / 1 thread`, value: +(two.questionsPerSec / one.questionsPerSec).toFixed(2), unit: 'x' },
        { name: `${tag}, 1 thread: cores it got (CPU / wall, warm-up and scoring included)`, value: +(oneTime.cpu / oneTime.wall).toFixed(2), unit: 'cores' },
        { name: `${tag}, 2 threads: cores it got (CPU / wall, warm-up and scoring included)`, value: +(twoTime.cpu / twoTime.wall).toFixed(2), unit: 'cores' },
        // per CPU-second of the whole call (warm-up and scoring included, so a little under the generation's own)
        { name: `${tag}, 1 thread, per CPU-second`, value: +(items.length / oneTime.cpu).toFixed(2), unit: 'questions/cpu-s' },
        { name: `${tag}, 2 threads, per CPU-second`, value: +(items.length / twoTime.cpu).toFixed(2), unit: 'questions/cpu-s' },
        { name: `${tag}, 2 threads with a core each (per CPU-second × 2, estimate)`, value: +((2 * items.length) / twoTime.cpu).toFixed(2), unit: 'questions/s' },
        { name: `${tag}, 2 threads give the questions of 1 (1 = yes)`, value: same ? 1 : 0, unit: '' },
        { name: `${backend} pool of 2 threads: start (workers, backends, model copies), not in the figures above`, value: +startSec.toFixed(2), unit: 's' },
      ];
    } finally {
      await pool.close();
    }
  } finally {
    model.dispose();
  }
}

/** `pytorch`: PyTorch's figures for the same shapes (measurePyTorch, run by bench.ts once for every section). */
export async function benchPool(opts: { small?: boolean; pytorch?: PyTorchReference } = {}): Promise<BenchRow[]> {
  await tf.ready();
  const backend = tf.getBackend();
  const pytorch = opts.pytorch ?? measurePyTorch();
  return [...(await benchSteps(backend, !!opts.small, pytorch)), ...(await benchEvaluation(backend, !!opts.small))];
}

await runIfMain(import.meta.url, benchPool);
