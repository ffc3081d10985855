// evaluate() (src/core/experiment/evaluate.ts) with the questions generated on a GenerationPool. It repeats
// evaluate's steps (items, warm-up, timed generation, scores) only because evaluate generates in its own thread;
// once EvalOptions takes a `generate` hook, this file reduces to
// `evaluate(model, tok, items, { ...opts, generate: (items, o, signal) => pool.generate(items, o, signal) })`.
import { DEFAULT_SQG_LIMITS, predictionContext } from '../../core/data/sqgExamples';
import type { QgItem } from '../../core/data/drcd';
import { abortError, type EvalOptions, type EvaluationResult } from '../../core/experiment/evaluate';
import type { GenerateOptions } from '../../core/generation/generateQuestions';
import { scoreQuestions } from '../../core/metrics/score';
import type { BertConfig } from '../../core/model/bertConfig';
import { countParameters } from '../../core/model/parameterCount';
import type { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import type { GenerationPool } from './generationPool';

export async function evaluateOnPool(
  pool: GenerationPool,
  config: BertConfig,
  tok: BertTokenizer,
  testItems: readonly QgItem[],
  opts: EvalOptions = {},
): Promise<EvaluationResult> {
  const beamSize = opts.beamSize ?? 3;
  const limits = opts.limits ?? DEFAULT_SQG_LIMITS;
  const items = opts.limit !== undefined ? testItems.slice(0, opts.limit) : testItems.slice();
  if (items.length === 0) throw new Error('evaluation needs at least one test item');
  if (opts.signal?.aborted) throw abortError(opts.signal);
  const encoded = items.map((it) => predictionContext(tok, it, limits));
  const batchSize = opts.batchSize ?? 32;
  const gen: GenerateOptions = { strategy: beamSize <= 1 ? 'greedy' : 'beam', beamSize, batchSize, maxLen: limits.maxQuestionLen };
  // warm-up, untimed, as evaluate's: the first batch, which the pool deals out, so every worker sets up its kernels
  await pool.generate(encoded.slice(0, Math.min(batchSize, encoded.length)), { ...gen, maxLen: 2 }, opts.signal);
  const t0 = performance.now();
  const generated = await pool.generate(encoded, gen, opts.signal);
  const genTimeMs = performance.now() - t0;
  const hyps: Record<string, string> = {};
  const refs: Record<string, string[]> = {};
  items.forEach((it, i) => {
    hyps[it.id] = generated[i]!.text;
    refs[it.id] = [it.question];
  });
  const { Bleu_1, Bleu_2, Bleu_3, Bleu_4, METEOR, ROUGE_L, avg_score } = scoreQuestions(hyps, refs);
  return {
    n: items.length,
    beamSize,
    metrics: { Bleu_1, Bleu_2, Bleu_3, Bleu_4, METEOR, ROUGE_L, avg_score },
    genTimeMs,
    questionsPerSec: genTimeMs > 0 ? (items.length * 1000) / genTimeMs : 0,
    params: countParameters(config),
    questions: items.map((it, i) => ({ id: it.id, answer: it.answer, reference: it.question, generated: generated[i]!.text })),
  };
}
