// A train-state checkpoint at bert-base size (weights + AdamW's two moments, ~1.23 GB): how long saving and loading
// take and how much memory they add, with the lab's per-array chunked writer (src/core/experiment/checkpoints.ts).
// The state is built as trainStage builds it (optimizer.getState() + model.toStateDict()), then saved into a
// store that keeps only sizes (so the figure is the writer's own cost) and into a temp folder (FsStorage).
//   npx tsx scripts/bench/checkpoint.ts [--small]
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadTrainState, saveTrainState } from '../../src/core/experiment/checkpoints';
import { MemoryStorage } from '../../src/core/experiment/storage';
import { bertPresets } from '../../src/core/model/bertConfig';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import { AdamW } from '../../src/core/training/adamw';
import { FsStorage } from '../../src/node/fsStorage';
import { runIfMain } from './standalone';
import type { BenchRow } from './types';

/** Stores nothing but the sizes (and the JSON index, so nothing is lost that the writer must keep). */
class CountingStorage extends MemoryStorage {
  bytes = 0;
  largest = 0;
  override async putBytes(_k: string, b: Uint8Array) {
    this.bytes += b.byteLength;
    this.largest = Math.max(this.largest, b.byteLength);
  }
}

const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
const mem = () => {
  const m = process.memoryUsage();
  return m.rss;
};

async function sampled<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number; peakExtra: number }> {
  const before = mem();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, mem())), 20);
  const t0 = performance.now();
  try {
    const value = await f();
    peak = Math.max(peak, mem());
    return { value, seconds: (performance.now() - t0) / 1000, peakExtra: peak - before };
  } finally {
    clearInterval(timer);
  }
}

export async function benchCheckpoint({ small = false } = {}): Promise<BenchRow[]> {
  const base = bertPresets.tiny(21128, 512);
  const config = small
    ? { ...base, numHiddenLayers: 2, hiddenSize: 256, numAttentionHeads: 4, intermediateSize: 1024 }
    : { ...base, numHiddenLayers: 12, hiddenSize: 768, numAttentionHeads: 12, intermediateSize: 3072 };
  const model = BertForMaskedLM.create(config, 1);
  const vars = model.trainableVariables();
  const opt = new AdamW(vars);
  tf.tidy(() => opt.applyGradients(vars.map((v) => tf.zerosLike(v)), 1e-5)); // creates both moments
  const rows: BenchRow[] = [];
  try {
    // lazy: each tensor read while it is written (what training's checkpoint passes); eager: all read first
    const lazyStore = new CountingStorage();
    const lazySave = await sampled(() => saveTrainState(lazyStore, 'n', { optimizer: opt.lazyState(), weights: model.lazyStateDict(), step: 1 }));
    rows.push({ name: 'save as training does (tensors read one at a time while written)', value: Math.round(lazySave.seconds * 100) / 100, unit: 's' });
    rows.push({ name: '  peak rss added', value: mib(lazySave.peakExtra), unit: 'MiB' });
    const built = await sampled(async () => ({ optimizer: await opt.getState(), weights: await model.toStateDict(), step: 1 }));
    const state = built.value;
    let size = 0;
    for (const w of state.weights.values()) size += w.data.byteLength;
    for (const a of [...state.optimizer.m, ...state.optimizer.v]) size += a?.byteLength ?? 0;
    rows.push({ name: 'checkpoint size (weights + 2 moments)', value: mib(size), unit: 'MiB' });
    rows.push({ name: 'eager: read back every tensor first (the old way)', value: Math.round(built.seconds * 100) / 100, unit: 's' });
    rows.push({ name: '  its memory (rss added)', value: mib(built.peakExtra), unit: 'MiB' });
    const counting = new CountingStorage();
    const save = await sampled(() => saveTrainState(counting, 'n', state));
    rows.push({ name: 'save, chunked writer (sizes only)', value: Math.round(save.seconds * 100) / 100, unit: 's' });
    rows.push({ name: '  peak rss added while saving', value: mib(save.peakExtra), unit: 'MiB' });
    rows.push({ name: '  largest single write', value: mib(counting.largest), unit: 'MiB' });
    const dir = mkdtempSync(path.join(tmpdir(), 'qglab-ckpt-'));
    try {
      const fs = new FsStorage(dir);
      const saveFs = await sampled(() => saveTrainState(fs, 'n', state));
      rows.push({ name: 'save to a folder (FsStorage, fsync per file)', value: Math.round(saveFs.seconds * 100) / 100, unit: 's' });
      rows.push({ name: '  peak rss added', value: mib(saveFs.peakExtra), unit: 'MiB' });
      const load = await sampled(() => loadTrainState(fs, 'n'));
      rows.push({ name: 'load it back', value: Math.round(load.seconds * 100) / 100, unit: 's' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    opt.dispose();
    model.dispose();
  }
  return rows;
}

await runIfMain(import.meta.url, benchCheckpoint);
