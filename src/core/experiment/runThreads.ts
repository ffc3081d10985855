// What a runner needs to split its work over threads: the Node CLI's `qglab run --threads N` supplies it from its
// worker pools (src/node/pool/runThreads.ts); the browser worker and tests run everything in their own thread.
// Pure interface: the runner stays free of Node's worker_threads.
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import type { GradientsOf } from '../training/stepGradients';
import type { EvalOptions } from './evaluate';

export interface RunThreads {
  readonly count: number;
  /** trainStage's gradientsOf: a step's micro-batches computed on the threads, summed in thread order */
  gradientsOf: GradientsOf;
  /**
   * The micro-batch size a stage of `batchSize` rows runs with so that every thread gets a share (its own
   * `microBatchSize` when that already makes enough micro-batches). A memory-only setting: it never makes a node stale.
   */
  microBatchSize(batchSize: number, microBatchSize: number): number;
  /** evaluation's generation for `model` on the threads (each with a copy of its weights); close() frees them */
  generatorFor(model: BertForMaskedLM): Promise<{ generate: NonNullable<EvalOptions['generate']>; close(): Promise<void> }>;
  close(): Promise<void>;
}
