// Benchmark (not a test) of one training step at the study's size on WASM in Node: a random bert-base-shaped model
// (12 layers, hidden 768, 12 heads, intermediate 3072, vocab 21,128), sequence 512, effective batch 8:
//  (a) a teacher step, (b) a 12 -> 6 distillation step (student = layers 0..5; every term, softForm 'study',
//  layerMap 'study'). The micro-batch comes from probeMicroBatch (gradient checkpointing when nothing fits without).
// Prints peak tensor memory (tf.profile's peak of tf.memory().numBytes), the WASM heap size, seconds per step, and
// estimateStepMemory next to the measured peak. Runs last in `npm run bench` (skipped by --quick); minutes per step.
// (run directly: `npx tsx scripts/bench/fullSize.ts`)
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BenchRow } from './types';
import { arrayExampleSet } from '../../src/core/data/sqgExampleSet';
import type { BertConfig } from '../../src/core/model/bertConfig';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import { estimateStepMemory } from '../../src/core/training/memoryEstimate';
import { probeMicroBatch, syntheticRows, wasmHeapBytes } from '../../src/core/training/microBatchProbe';
import { resolveStageConfig, type StageConfig, type StageKind } from '../../src/core/training/stageConfig';
import { trainStage } from '../../src/core/training/trainStage';
import { runIfMain } from './standalone';

const BASE: BertConfig = {
  vocabSize: 21128, hiddenSize: 768, numHiddenLayers: 12, numAttentionHeads: 12, intermediateSize: 3072, hiddenAct: 'gelu',
  hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1, maxPositionEmbeddings: 512, typeVocabSize: 2, layerNormEps: 1e-12,
  padTokenId: 0, initializerRange: 0.02,
};
const SEQ = 512;
const BATCH = 8;
const GiB = 2 ** 30;
const log = (s: string) => process.stdout.write(`[fullSize ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

export async function benchFullSize(): Promise<BenchRow[]> {
  if (!(await tf.setBackend('wasm'))) return [{ name: 'fullSize: wasm backend unavailable', value: NaN, unit: '' }];
  await tf.ready();
  const rows: BenchRow[] = [];
  const teacher = BertForMaskedLM.create(BASE, 1);
  const data = arrayExampleSet(syntheticRows(BATCH, SEQ, BASE.vocabSize, 7));
  try {
    for (const kind of ['teacher', 'distill'] as StageKind[]) {
      const student = kind === 'teacher' ? teacher.clone() : teacher.withLayers([0, 1, 2, 3, 4, 5]);
      try {
        rows.push(...(await oneStep(kind, student, kind === 'distill' ? teacher : undefined, data)));
      } catch (e) {
        rows.push({ name: `wasm fullSize ${kind} FAILED: ${(e as Error).message.split('\n')[0]}`, value: NaN, unit: '' });
        log(`${kind} failed: ${(e as Error).stack}`);
      } finally {
        student.dispose();
      }
    }
  } finally {
    teacher.dispose();
  }
  return rows;
}

async function oneStep(kind: StageKind, student: BertForMaskedLM, teacher: BertForMaskedLM | undefined, data: ReturnType<typeof arrayExampleSet>): Promise<BenchRow[]> {
  const tag = `wasm fullSize ${kind === 'teacher' ? 'teacher 12 layers' : 'distill 12->6 (all terms, soft study)'} seq ${SEQ} batch ${BATCH}`;
  const base = { epochs: 1, batchSize: BATCH, trainFraction: 1, shuffle: false, distill: { schedule: 'all', softForm: 'study', layerMap: 'study' } };
  let config: StageConfig | undefined;
  let micro: number | null = null;
  for (const recomputeLayers of [false, true]) {
    const c = resolveStageConfig(kind, { ...base, recomputeLayers });
    log(`${kind}: probing micro-batches (recompute ${recomputeLayers})`);
    const probe = await probeMicroBatch({ kind, student, teacher, config: c, seqLen: SEQ });
    for (const t of probe.tries) {
      log(`  micro ${t.microBatch}: ${t.outcome} est ${(t.estimateBytes / GiB).toFixed(2)} GiB${t.peakBytes ? ` peak ${(t.peakBytes / GiB).toFixed(2)} GiB` : ''}${t.seconds ? ` ${t.seconds.toFixed(1)} s` : ''}${t.error ? ` (${t.error})` : ''}`);
    }
    if (probe.microBatch !== null) {
      micro = probe.microBatch;
      config = resolveStageConfig(kind, { ...base, recomputeLayers, microBatchSize: micro });
      break;
    }
  }
  if (!config || micro === null) return [{ name: `${tag}: no micro-batch fits`, value: NaN, unit: '' }];
  log(`${kind}: one step, micro-batch ${micro}, recompute ${config.recomputeLayers}`);
  const t0 = performance.now();
  let loss = NaN;
  const info = await tf.profile(async () => {
    await trainStage({ kind, student, teacher, examples: data, config: config!, onStep: (e) => void (loss = e.loss) });
  });
  const sec = (performance.now() - t0) / 1000;
  const heap = wasmHeapBytes() ?? NaN;
  const est = estimateStepMemory(student.config, {
    seqLen: SEQ, microBatch: micro, kind, recompute: config.recomputeLayers, teacherConfig: teacher?.config, accumulating: micro < BATCH,
  });
  log(`${kind}: ${sec.toFixed(1)} s, loss ${loss.toFixed(4)}, peak ${(info.peakBytes / GiB).toFixed(3)} GiB, heap ${(heap / GiB).toFixed(3)} GiB, estimate ${(est.totalBytes / GiB).toFixed(3)} GiB`);
  log(`  estimate parts (GiB): ${Object.entries(est.parts).map(([k, v]) => `${k} ${(v / GiB).toFixed(3)}`).join(', ')}`);
  const how = `micro ${micro}${config.recomputeLayers ? ', recompute' : ''}`;
  return [
    { name: `${tag} (${how}) seconds per step`, value: +sec.toFixed(1), unit: 's' },
    { name: `${tag} (${how}) peak tensor memory`, value: +(info.peakBytes / 2 ** 20).toFixed(0), unit: 'MiB' },
    { name: `${tag} (${how}) WASM heap size`, value: +(heap / 2 ** 20).toFixed(0), unit: 'MiB' },
    { name: `${tag} (${how}) estimated step memory`, value: +(est.totalBytes / 2 ** 20).toFixed(0), unit: 'MiB' },
    { name: `${tag} (${how}) estimate / measured peak`, value: +(est.totalBytes / info.peakBytes).toFixed(3), unit: 'x' },
  ];
}

await runIfMain(import.meta.url, async () => benchFullSize());
