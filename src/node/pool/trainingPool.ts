// Data-parallel training steps over worker threads (trainingWorker.ts), plugged into trainStage as its gradientsOf
// hook: TF.js-WASM computes on one core in Node, so a step's micro-batches are split over threads, each with its own
// backend, a copy of the student's current weights and (distill) of the frozen teacher.
//
// One step: this thread copies the student's weights into one SharedArrayBuffer; worker w uploads them, runs its
// consecutive share of the step's micro-batches (accumulateMicroBatches: micro-batch k with the dropout seed
// microBatchSeed(seed, k) and weight rows / B, exactly as one thread) and writes its gradient sum into its own shared
// buffer; this thread adds the shares in worker order (never in order of arrival, so the sum does not depend on
// timing) and returns what computeGradients returns. Clipping and AdamW stay in trainStage, in this thread.
// The step equals one thread's step with the same micro-batches to float rounding (trainingPool.test.ts: 1e-5).
//
// Micro-batches: the pool runs the step's micro-batches as the stage config makes them (microBatchSize), so a step
// with one micro-batch runs on one worker. A caller that wants every thread busy sets the stage's microBatchSize with
// poolMicroBatchSize (one micro-batch per thread, ceil(batchSize / threads) rows, unless the stage already has as
// many): a run with --threads N then equals a one-thread run with that microBatchSize, dropout masks included (a
// micro-batch draws its own), not a run with microBatchSize 0.
import * as tf from '@tensorflow/tfjs';
import type { SqgExample } from '../../core/data/sqgExamples';
import type { BertConfig } from '../../core/model/bertConfig';
import { hfParamName, type BertForMaskedLM } from '../../core/model/bertForMaskedLM';
import { globalNorm } from '../../core/training/gradClip';
import { microBatches, type StepGradientInputs, type StepGradients } from '../../core/training/stepGradients';
import { WorkerPool } from './workerPool';

/** A flat list of float32 tensors in one shared buffer, in internal (TF.js variable) layouts. */
export interface SharedVars {
  buffer: SharedArrayBuffer;
  vars: { name: string; shape: number[]; offset: number; length: number }[];
}

export interface TrainingInit {
  backend: string;
}

/** Builds the worker's student (and teacher) copies: a new stage, or the first step. */
export interface SetupTask {
  kind: 'setup';
  student: BertConfig;
  /** the student's trainable variables by HF name, in the order of the step's `vars`; rewritten every step */
  weights: SharedVars;
  /** this worker's gradient sum, same layout as `weights` */
  grads: SharedVars;
  teacher?: { config: BertConfig; weights: SharedVars };
}

export interface StepTask {
  kind: 'step';
  rows: SqgExample[];
  /** the micro-batches of this worker (indices into microBatches(rows, microBatchSize)), in order */
  ks: number[];
  microBatchSize: number;
  seed: number;
  terms: string[];
  /** plan.weightOf of each term */
  termWeights: number[];
  hiddenPairs: Map<number, number>;
  attnPairs: Map<number, number>;
  softForm: 'mask' | 'study';
  temperature: number;
  dropout: { hidden: number; attention: number };
  recompute: boolean;
  softChunkRows?: number;
}

export type TrainingTask = SetupTask | StepTask;

export interface TrainingResult {
  /** the weighted loss and term values summed over the worker's micro-batches (float32 read-backs) */
  value: number;
  terms: number[];
  /** variables the active terms do not reach (their gradient is null; nothing written for them) */
  nullGrads: boolean[];
  /** tf.memory().numTensors in the worker after the task */
  numTensors: number;
  /** ms the worker spent uploading the weights, computing its share, writing its gradients back */
  ms: { upload: number; compute: number; write: number };
}

export function sharedVarsLayout(vars: readonly { name: string; shape: number[]; size: number }[]): SharedVars {
  let total = 0;
  const out: SharedVars['vars'] = vars.map((v) => {
    const e = { name: hfParamName(v.name), shape: [...v.shape], offset: total, length: v.size };
    total += v.size;
    return e;
  });
  return { buffer: new SharedArrayBuffer(total * 4), vars: out };
}

export function sharedView(s: SharedVars, i: number): Float32Array {
  const v = s.vars[i]!;
  return new Float32Array(s.buffer, v.offset * 4, v.length);
}

interface HeapBackend {
  typedArrayFromHeap(t: { shape: number[]; dtype: string; dataId: object }): Float32Array;
}

/**
 * Copies a float32 tensor's values into `dst`. On WASM straight from the backend's heap (one copy; `data()` would
 * first allocate a fresh array of the tensor's size, at every step for every weight and gradient), else via data().
 */
export async function copyInto(t: tf.Tensor, dst: Float32Array): Promise<void> {
  const b = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as Partial<HeapBackend>) : undefined;
  if (b?.typedArrayFromHeap && t.dtype === 'float32') dst.set(b.typedArrayFromHeap(t as unknown as Parameters<HeapBackend['typedArrayFromHeap']>[0]));
  else dst.set((await t.data()) as Float32Array);
}

/** Copies each variable's current value into its place in `s` (same order as s.vars). */
export async function writeVars(vars: readonly tf.Variable[], s: SharedVars): Promise<void> {
  for (let i = 0; i < vars.length; i++) await copyInto(vars[i]!, sharedView(s, i));
}

/** The micro-batch indices of each of `threads` workers: consecutive runs, the first ones one longer. */
export function dealMicroBatches(count: number, threads: number): number[][] {
  const out: number[][] = [];
  let k = 0;
  for (let w = 0; w < threads; w++) {
    const n = Math.floor(count / threads) + (w < count % threads ? 1 : 0);
    out.push(Array.from({ length: n }, () => k++));
  }
  return out;
}

/**
 * The microBatchSize a stage of `batchSize` rows should run with on a pool of `threads`: its own when that already
 * makes at least `threads` micro-batches of a full batch, else ceil(batchSize / threads) (see the top).
 */
export function poolMicroBatchSize(batchSize: number, microBatchSize: number, threads: number): number {
  const own = microBatches(Array.from({ length: batchSize }), microBatchSize).length;
  return own >= threads ? microBatchSize : Math.ceil(batchSize / threads);
}

export class TrainingPool {
  private student: BertForMaskedLM | undefined;
  private teacher: BertForMaskedLM | undefined;
  private varNames: string[] = [];
  private weights: SharedVars | undefined;
  private grads: SharedVars[] = [];
  private lastTensors: number[];
  /** ms spent so far, summed over steps: this thread's weight copy, the workers' tasks (wall), the sum; each worker's own */
  readonly phaseMs = { weights: 0, workers: 0, sum: 0, worker: [] as { upload: number; compute: number; write: number }[] };

  private constructor(private readonly pool: WorkerPool<TrainingTask, TrainingResult>) {
    this.lastTensors = Array(pool.size).fill(NaN);
  }

  static async open(o: { threads: number; backend: string }): Promise<TrainingPool> {
    const pool = await WorkerPool.open<TrainingInit, TrainingTask, TrainingResult>(new URL('./trainingWorker.ts', import.meta.url), o.threads, () => ({
      backend: o.backend,
    }));
    return new TrainingPool(pool);
  }

  get threads(): number {
    return this.pool.size;
  }

  /** tf.memory().numTensors of each worker after its last task (NaN before its first). */
  get workerTensors(): readonly number[] {
    return this.lastTensors;
  }

  /** trainStage's gradientsOf: the step's gradient, computed on the workers (see the top of this file). */
  readonly gradientsOf = async (inp: StepGradientInputs): Promise<StepGradients> => {
    const { vars } = inp;
    await this.setup(inp);
    const weights = this.weights!;
    let t = performance.now();
    await writeVars(vars, weights);
    this.phaseMs.weights += performance.now() - t;
    t = performance.now();
    const { microBatchSize } = inp;
    const shares = dealMicroBatches(microBatches(inp.rows, microBatchSize).length, this.pool.size);
    const task: Omit<StepTask, 'ks'> = {
      kind: 'step',
      rows: inp.rows,
      microBatchSize,
      seed: inp.seed,
      terms: inp.terms,
      termWeights: inp.terms.map((t) => inp.plan.weightOf(t)),
      hiddenPairs: inp.plan.hiddenPairs,
      attnPairs: inp.plan.attnPairs,
      softForm: inp.plan.softForm,
      temperature: inp.plan.temperature,
      dropout: inp.dropout,
      recompute: inp.recompute,
      softChunkRows: inp.softChunkRows,
    };
    const results = await Promise.all(
      shares.map(async (ks, w) => {
        if (ks.length === 0) return undefined;
        const r = await this.pool.run(w, { ...task, ks });
        this.lastTensors[w] = r.numTensors;
        const m = (this.phaseMs.worker[w] ??= { upload: 0, compute: 0, write: 0 });
        m.upload += r.ms.upload;
        m.compute += r.ms.compute;
        m.write += r.ms.write;
        return r;
      }),
    );
    this.phaseMs.workers += performance.now() - t;
    t = performance.now();
    // add the workers' shares in worker order
    const out = tf.tidy(() => {
      let value: tf.Tensor | undefined;
      let terms: tf.Tensor | undefined;
      const grads: (tf.Tensor | null)[] = vars.map(() => null);
      results.forEach((r, w) => {
        if (!r) return;
        const v = tf.scalar(r.value);
        const t = tf.tensor1d(r.terms);
        value = value ? tf.add(value, v) : v;
        terms = terms ? tf.add(terms, t) : t;
        vars.forEach((variable, i) => {
          if (r.nullGrads[i]) return;
          // tf.tensor copies the shared view into this thread's backend before the next step rewrites it
          const g = tf.tensor(sharedView(this.grads[w]!, i), variable.shape, 'float32');
          grads[i] = grads[i] ? tf.add(grads[i]!, g) : g;
        });
      });
      const stats = tf.concat([tf.reshape(value!, [1]), tf.reshape(globalNorm(grads), [1]), terms!]) as tf.Tensor1D;
      return { stats, grads } as unknown as tf.TensorContainerObject;
    }) as unknown as StepGradients;
    this.phaseMs.sum += performance.now() - t;
    return out;
  };

  /** (Re)builds the workers' models when the step's student, its variables or the teacher differ from the last step's. */
  private async setup(inp: StepGradientInputs): Promise<void> {
    const names = inp.vars.map((v) => hfParamName(v.name));
    if (this.student === inp.model && this.teacher === inp.teacher && names.join('\n') === this.varNames.join('\n')) return;
    this.weights = sharedVarsLayout(inp.vars);
    this.grads = Array.from({ length: this.pool.size }, () => sharedVarsLayout(inp.vars));
    let teacher: SetupTask['teacher'];
    if (inp.teacher) {
      const tv = inp.teacher.trainableVariables();
      const tw = sharedVarsLayout(tv);
      await writeVars(tv, tw);
      teacher = { config: inp.teacher.config, weights: tw };
    }
    await Promise.all(
      this.grads.map((grads, w) => this.pool.run(w, { kind: 'setup', student: inp.model.config, weights: this.weights!, grads, teacher })),
    );
    this.student = inp.model;
    this.teacher = inp.teacher;
    this.varNames = names;
  }

  /** Ends every worker. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
