// evaluate() (src/core/experiment/evaluate.ts) with the questions generated on a GenerationPool: the same prompts,
// warm-up, timing and scoring (context cut, reference normalisation), only the generation runs on the workers.
import type { QgItem } from '../../core/data/drcd';
import { evaluate, type EvalOptions, type EvaluationResult } from '../../core/experiment/evaluate';
import type { BertConfig } from '../../core/model/bertConfig';
import type { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import type { GenerationPool } from './generationPool';

export function evaluateOnPool(
  pool: GenerationPool,
  config: BertConfig,
  tok: BertTokenizer,
  testItems: readonly QgItem[],
  opts: EvalOptions = {},
): Promise<EvaluationResult> {
  return evaluate({ config }, tok, testItems, { ...opts, generate: (items, o, signal) => pool.generate(items, o, signal) });
}
