// Question generation split over worker threads (generationWorker.ts), each with its own TF.js backend and its own
// copy of the model: TF.js-WASM computes on one core in Node, so on an n-core machine n workers generate about n
// times the questions per second. Items are dealt longest prompt first across the workers (dealLongestFirst.ts);
// answers come back in item order, decoded by the caller's tokenizer, so they are exactly what one thread gives.
import type { EncodedItem } from '../../core/data/sqgExamples';
import type { GenerateOptions, GeneratedQuestion } from '../../core/generation/generateQuestions';
import type { BertConfig } from '../../core/model/bertConfig';
import { resolveStateDict, type StateTensor } from '../../core/model/stateDict';
import type { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import { abortError } from '../../core/experiment/evaluate';
import { dealLongestFirst } from './dealLongestFirst';
import { shareWeights, type SharedWeights } from './sharedWeights';
import { WorkerPool } from './workerPool';

/** The setup data of a generation worker. */
export interface GenerationInit {
  /** TF.js backend name ('wasm', 'cpu') */
  backend: string;
  config: BertConfig;
  weights: SharedWeights;
  /** vocab.txt text: the worker's tokenizer (prompts, special ids) */
  vocab: string;
}

export interface GenerationTask {
  items: EncodedItem[];
  opts: GenerateOptions;
}

export interface GenerationResult {
  /** question ids per item of the task, in its order */
  ids: number[][];
  /** tf.memory().numTensors in the worker after the task (tests check that it stays put) */
  numTensors: number;
}

export interface GenerationPoolOptions {
  threads: number;
  backend: string;
  config: BertConfig;
  /** the model's weights, Hugging Face names and layouts (a model folder's stateDict, BertForMaskedLM.toStateDict()) */
  weights: ReadonlyMap<string, StateTensor>;
  tokenizer: BertTokenizer;
}

/** Generates questions as generateQuestions does, over `threads` workers. */
export class GenerationPool {
  private lastTensors: number[];

  private constructor(
    private readonly pool: WorkerPool<GenerationTask, GenerationResult>,
    private readonly tok: BertTokenizer,
  ) {
    this.lastTensors = Array(pool.size).fill(NaN);
  }

  static async open(o: GenerationPoolOptions): Promise<GenerationPool> {
    // only the parameters the model uses are shared; a missing or mis-shaped one is named here, before any thread starts
    const weights = shareWeights(resolveStateDict(o.config, new Map(o.weights)).params);
    const init: GenerationInit = { backend: o.backend, config: o.config, weights, vocab: o.tokenizer.vocab.join('\n') + '\n' };
    const pool = await WorkerPool.open<GenerationInit, GenerationTask, GenerationResult>(
      new URL('./generationWorker.ts', import.meta.url),
      o.threads,
      () => init,
    );
    return new GenerationPool(pool, o.tokenizer);
  }

  get threads(): number {
    return this.pool.size;
  }

  /** tf.memory().numTensors of each worker after its last task (NaN before its first). */
  get workerTensors(): readonly number[] {
    return this.lastTensors;
  }

  /**
   * One question per item, in item order, as generateQuestions(model, tok, items, opts) gives them in one thread.
   * An abort of `signal`, or a failure in any worker, ends the pool (every worker) and rejects.
   */
  async generate(items: readonly EncodedItem[], opts: GenerateOptions, signal?: AbortSignal): Promise<GeneratedQuestion[]> {
    if (signal?.aborted) throw abortError(signal);
    const shares = dealLongestFirst(
      items.map((it) => it.contextIds.length + it.answerIds.length),
      this.pool.size,
    );
    const onAbort = () => void this.pool.fail(abortError(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const ids = new Array<number[]>(items.length);
      await Promise.all(
        shares.map(async (share, w) => {
          if (share.length === 0) return;
          const r = await this.pool.run(w, { items: share.map((i) => items[i]!), opts });
          this.lastTensors[w] = r.numTensors;
          share.forEach((item, k) => (ids[item] = r.ids[k]!));
        }),
      );
      return items.map((it, i) => ({ id: it.id, ids: ids[i]!, text: this.tok.decode(ids[i]!) }));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Ends every worker. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
