// `npm run bench [-- --backends cpu,wasm] [--quick] [--json out.json]`
// Measures, side by side in one run, on each TF.js backend available in Node: fixed-shape training and generation
// steps (mini4/mini2, base12/base6), the student/teacher and batched/one-by-one ratios, matmul forms, the lab's
// own training and generation loops, metric scoring speed, and data preparation at DRCD-train scale (time and heap).
// --quick skips the bert-base shapes (~4 minutes on 2 cores) and the full-size training steps (scripts/bench/fullSize.ts).
import { writeFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-wasm';
import { parseArgs, optionalFlag } from '../src/cli/args';
import { useBackend } from '../src/core/kernels/useBackend';
import type { BenchRow } from './bench/types';
import { benchShapes } from './bench/shapes';
import { benchMatMul } from './bench/matmul';
import { benchGeneration } from './bench/generation';
import { benchPromptOrder } from './bench/promptOrder';
import { benchPool } from './bench/pool';
import { measurePyTorch, type PyTorchReference } from './bench/pytorch';
import { benchTraining } from './bench/training';
import { benchTrainingPool } from './bench/trainingPool';
import { benchDataScale } from './bench/dataScale';
import { benchCheckpoint } from './bench/checkpoint';

/** One thread of the lab against PyTorch (its 2 threads) for each fixed shape: ratios of the rows just measured. */
function vsPyTorch(backend: string, rows: BenchRow[], pytorch: PyTorchReference): BenchRow[] {
  const value = (name: string) => rows.find((r) => r.name === `${backend} ${name}`)?.value;
  const out: BenchRow[] = [];
  for (const [shape, f] of Object.entries(pytorch.shapes)) {
    const pairs: [string, number][] = [
      ['train step', f.trainExamplesPerSec],
      ['generation step batch 1', f.genRowsPerSecB1],
      ['generation step batch 32', f.genRowsPerSecB32],
    ];
    for (const [what, torch] of pairs) {
      const lab = value(`${shape} ${what}`);
      if (lab !== undefined) out.push({ name: `${backend} ${shape} ${what}, 1 thread / PyTorch 2 threads (${torch.toFixed(1)})`, value: +(lab / torch).toFixed(2), unit: 'x' });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const quick = args.flags.quick === true;
  const backends = (optionalFlag(args, 'backends') ?? 'wasm,cpu').split(',');
  const jsonPath = optionalFlag(args, 'json');
  const results: Record<string, BenchRow[]> = {};
  const print = (section: string, rows: BenchRow[]) => {
    (results[section] ??= []).push(...rows);
    for (const r of rows) process.stdout.write(`${section.padEnd(10)} ${r.name.padEnd(86)} ${String(r.value).padStart(10)} ${r.unit}\n`);
  };

  // data preparation first, before any model is on the heap (no backend involved; `node --expose-gc --import tsx
  // scripts/bench.ts` gives retained-heap figures)
  try {
    print('data', await benchDataScale());
  } catch (e) {
    process.stdout.write(`data benchmark failed: ${(e as Error).message}\n`);
  }
  // a bert-base train-state checkpoint saved and loaded (CPU backend: the writer's cost, not kernels'); ~1.2 GB
  if (!quick && (await useBackend('cpu'))) {
    try {
      print('checkpoint', await benchCheckpoint());
    } catch (e) {
      process.stdout.write(`checkpoint benchmark failed: ${(e as Error).message}\n`);
    }
  }

  // PyTorch on the same shapes, now (scripts/bench/pytorch.ts): the "/ PyTorch" ratios below use these figures
  const pytorch = measurePyTorch();
  process.stdout.write(`PyTorch reference: ${pytorch.source}\n`);
  for (const [shape, f] of Object.entries(pytorch.shapes))
    print('pytorch', [
      { name: `pytorch ${shape} train step`, value: +f.trainExamplesPerSec.toFixed(3), unit: 'examples/s' },
      { name: `pytorch ${shape} generation step batch 1`, value: +f.genRowsPerSecB1.toFixed(2), unit: 'rows/s' },
      { name: `pytorch ${shape} generation step batch 32`, value: +f.genRowsPerSecB32.toFixed(2), unit: 'rows/s' },
    ]);

  for (const backend of backends) {
    if (!(await useBackend(backend))) {
      process.stdout.write(`backend ${backend}: not available, skipped\n`);
      continue;
    }
    const slow = backend === 'cpu';
    const shapeRows = await benchShapes({ names: ['mini4', 'mini2'], reps: slow ? 1 : 2 });
    print('shapes', shapeRows);
    print('shapes', vsPyTorch(backend, shapeRows, pytorch));
    // what gradient checkpointing costs in speed and saves in memory, on a shape that fits either way
    if (!slow) print('shapes', await benchShapes({ names: ['mini4'], reps: 2, recompute: true, trainOnly: true }));
    print('matmul', await benchMatMul({ small: slow }));
    print('generate', await benchGeneration({ small: slow || quick }));
    if (!slow) print('generate', await benchPromptOrder({ small: quick }));
    // generation split over worker threads (src/node/pool), 1 vs 2 threads, beside PyTorch's 2-thread figures
    if (!slow) print('pool', await benchPool({ small: quick, pytorch }));
    // training steps split over worker threads (data-parallel micro-batches), 1 vs 2 threads, mini4 / mini2
    if (!slow) print('pool', await benchTrainingPool({ small: quick }));
    print('train', await benchTraining({ small: slow || quick }));
  }
  // bert-base shapes last, on wasm only (the CPU backend runs at ~0.3 GFLOP/s here: hours). They train with recompute
  // (without it bert-base at batch 8 outgrows WASM's 4 GB heap), the bigger one first (WASM's heap never shrinks, and
  // the smaller one fits in what the bigger one left). A failure (running out of heap aborts the WASM module) must not
  // cost the figures above.
  if (!quick && backends.includes('wasm') && (await useBackend('wasm'))) {
    print('shapes', await benchShapes({ names: ['base12', 'base6'], reps: 1, recompute: true }));
  }
  try {
    const { benchMetrics } = await import('./bench/metrics');
    print('metrics', await benchMetrics());
  } catch (e) {
    process.stdout.write(`metrics benchmark unavailable: ${(e as Error).message}\n`);
  }
  // last: one bert-base step at the study's size (sequence 512, batch 8) with the probed micro-batch, on wasm only;
  // minutes per step on 2 cores, and a WASM heap of up to 4 GB (which never shrinks), hence after everything else
  if (!quick && backends.includes('wasm') && (await useBackend('wasm'))) {
    const { benchFullSize } = await import('./bench/fullSize');
    print('fullsize', await benchFullSize());
  }
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
