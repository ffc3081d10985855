// Find the largest micro-batch that trains in memory on this backend: a forward + backward of one micro-batch of
// synthetic rows of the given length, at decreasing sizes, catching out-of-memory errors. Pure core (no DOM).
// Caveat: WASM's "memory access out of bounds" can leave the WASM module unusable (its heap is not rolled back), so
// sizes whose estimate (memoryEstimate.ts) is above the heap limit are skipped without a try.
import * as tf from '@tensorflow/tfjs';
import type { SqgExample } from '../data/sqgExamples';
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import { estimateStepMemory } from './memoryEstimate';
import type { StageConfig, StageKind } from './stageConfig';
import { computeGradients, lossPlan } from './stepGradients';

export interface MicroBatchProbeOptions {
  kind: StageKind;
  student: BertForMaskedLM;
  teacher?: BertForMaskedLM;
  config: StageConfig;
  seqLen: number;
  /** the backend to probe (default: the current one); it is set while probing and restored after */
  backend?: string;
  /** sizes to try, largest first (default 8, 4, 2, 1, capped at config.batchSize) */
  candidates?: number[];
  /**
   * skip a size whose estimated step memory is above this many bytes (default on WASM: 70 % of its 4 GiB heap, the
   * headroom for the heap's growth steps and fragmentation and for the estimate's error; none elsewhere). Measured:
   * bert-base, sequence 512, micro-batch 1 without recompute (estimate 3.15 GiB) exhausted the WASM heap.
   */
  skipAboveBytes?: number;
}

export interface MicroBatchTry {
  microBatch: number;
  outcome: 'fits' | 'out-of-memory' | 'skipped';
  estimateBytes: number;
  /** peak of tf.memory().numBytes during the try (tf.profile) */
  peakBytes?: number;
  /** WASM only: the module's heap size after the try (it only grows: the peak so far) */
  wasmHeapBytes?: number;
  seconds?: number;
  error?: string;
}

export interface MicroBatchProbeResult {
  /** the largest size that fits; null if none did */
  microBatch: number | null;
  peakBytes: number | null;
  wasmHeapBytes: number | null;
  secondsPerMicroBatch: number | null;
  tries: MicroBatchTry[];
}

/** Whether `e` is a backend's out-of-memory error (WASM: RangeError / memory access out of bounds; WebGL/WebGPU). */
export function isOutOfMemoryError(e: unknown): boolean {
  const msg = String((e as Error)?.message ?? e).toLowerCase();
  if (e instanceof RangeError) return true;
  return [
    'memory access out of bounds',
    'out of memory',
    'cannot enlarge memory',
    'allocation failed',
    'failed to allocate',
    'array buffer allocation failed',
    'gl_out_of_memory',
    'context lost',
    'device lost',
    'createbuffer',
    'aborted(',
  ].some((s) => msg.includes(s));
}

/** The WASM module's heap size in bytes when the current backend is WASM, else null. */
export function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const w = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return w?.HEAPU8?.buffer.byteLength ?? null;
}

/** BERT-SQG-shaped synthetic rows of exactly `seqLen` tokens: [CLS] context [SEP] answer [SEP] [MASK]. */
export function syntheticRows(n: number, seqLen: number, vocabSize: number, seed = 1): SqgExample[] {
  let s = seed >>> 0;
  const rand = (k: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % k);
  const lo = Math.min(104, vocabSize - 1);
  return Array.from({ length: n }, () => {
    const inputIds = Array.from({ length: seqLen }, (_, i) => (i === 0 ? Math.min(101, lo) : i === seqLen - 1 ? Math.min(103, lo) : lo + rand(vocabSize - lo)));
    const tokenTypeIds = inputIds.map((_, i) => (i >= seqLen - 4 ? 1 : 0));
    return { inputIds, tokenTypeIds, maskPos: seqLen - 1, label: lo + rand(vocabSize - lo) };
  });
}

export async function probeMicroBatch(o: MicroBatchProbeOptions): Promise<MicroBatchProbeResult> {
  const previous = tf.getBackend();
  if (o.backend && o.backend !== previous && !(await tf.setBackend(o.backend))) throw new Error(`backend ${o.backend} is not available`);
  await tf.ready();
  try {
    const backend = tf.getBackend();
    const limit = o.skipAboveBytes ?? (backend === 'wasm' ? 0.7 * 4 * 2 ** 30 : Infinity);
    const candidates = (o.candidates ?? [8, 4, 2, 1]).filter((m) => m >= 1 && m <= o.config.batchSize);
    const plan = lossPlan(o.kind, o.student, o.teacher, o.config, 1);
    const { terms } = plan.termsAt(0);
    const d = o.config.distill;
    const tries: MicroBatchTry[] = [];
    for (const m of candidates) {
      const est = estimateStepMemory(o.student.config, {
        seqLen: o.seqLen, microBatch: m, kind: o.kind, recompute: o.config.recomputeLayers, teacherConfig: o.teacher?.config,
        terms: { hidden: terms.some((t) => t.startsWith('hidden/')), attn: terms.some((t) => t.startsWith('attn/')), soft: terms.includes('soft') ? d.softForm : false },
        accumulating: m < o.config.batchSize,
      }).totalBytes;
      if (est > limit) {
        tries.push({ microBatch: m, outcome: 'skipped', estimateBytes: est, error: `estimate ${(est / 2 ** 30).toFixed(2)} GiB > limit ${(limit / 2 ** 30).toFixed(2)} GiB` });
        continue;
      }
      const rows = syntheticRows(m, o.seqLen, o.student.config.vocabSize);
      const vars = o.student.trainableVariables();
      const t0 = performance.now();
      try {
        const info = await tf.profile(async () => {
          const { stats, grads } = computeGradients({
            model: o.student, teacher: o.teacher, vars, rows, terms, plan, seed: 1,
            dropout: { hidden: o.config.hiddenDropout, attention: o.config.attentionDropout },
            recompute: o.config.recomputeLayers, microBatchSize: 0,
          });
          try {
            await stats.data();
          } finally {
            stats.dispose();
            for (const g of grads) g?.dispose();
          }
        });
        const seconds = (performance.now() - t0) / 1000;
        const heap = wasmHeapBytes();
        tries.push({ microBatch: m, outcome: 'fits', estimateBytes: est, peakBytes: info.peakBytes, wasmHeapBytes: heap ?? undefined, seconds });
        return { microBatch: m, peakBytes: info.peakBytes, wasmHeapBytes: heap, secondsPerMicroBatch: seconds, tries };
      } catch (e) {
        // after WASM runs out of heap, later kernels fail with unrelated-looking errors (the module is broken)
        const heap = wasmHeapBytes();
        if (!isOutOfMemoryError(e) && !(heap !== null && heap > 0.9 * 4 * 2 ** 30)) throw e;
        tries.push({ microBatch: m, outcome: 'out-of-memory', estimateBytes: est, wasmHeapBytes: wasmHeapBytes() ?? undefined, error: String((e as Error).message ?? e).split('\n')[0] });
      }
    }
    return { microBatch: null, peakBytes: null, wasmHeapBytes: wasmHeapBytes(), secondsPerMicroBatch: null, tries };
  } finally {
    if (tf.getBackend() !== previous) await tf.setBackend(previous);
  }
}
