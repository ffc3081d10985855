// `qglab run --threads N`: the runner's RunThreads (src/core/experiment/runThreads.ts) from this folder's pools. One
// TrainingPool for the whole run, opened at the first training step (its workers rebuild their student and teacher
// when the stage changes); one GenerationPool per evaluation, given the evaluated model's weights, closed after it.
import type { RunThreads } from '../../core/experiment/runThreads';
import type { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import { GenerationPool } from './generationPool';
import { poolMicroBatchSize, TrainingPool } from './trainingPool';

export function nodeRunThreads(o: { threads: number; backend: string; tokenizer: BertTokenizer }): RunThreads {
  let training: Promise<TrainingPool> | undefined;
  return {
    count: o.threads,
    gradientsOf: async (inp) => (await (training ??= TrainingPool.open({ threads: o.threads, backend: o.backend }))).gradientsOf(inp),
    microBatchSize: (batchSize, microBatchSize) => poolMicroBatchSize(batchSize, microBatchSize, o.threads),
    async generatorFor(model) {
      const weights = await model.toStateDict();
      const pool = await GenerationPool.open({ threads: o.threads, backend: o.backend, config: model.config, weights, tokenizer: o.tokenizer });
      return { generate: (items, opts, signal) => pool.generate(items, opts, signal), close: () => pool.close() };
    },
    async close() {
      const t = training;
      training = undefined;
      if (t) await (await t).close();
    },
  };
}
