// Evaluation as the study reports it: beam-search generation (beam 3) on the test items, scored with BLEU-1..4,
// METEOR and ROUGE-L (avg_score = their mean), plus generation time and parameter count; relativeToTeacher turns
// a result into the study's "% of the teacher" columns.
import { DEFAULT_SQG_LIMITS, predictionContext, type SqgLimits } from '../data/sqgExamples';
import type { QgItem } from '../data/drcd';
import { generateQuestions } from '../generation/generateQuestions';
import type { MaskedLmModel } from '../generation/nextTokenScorer';
import { scoreQuestions } from '../metrics/score';
import { countParameters } from '../model/parameterCount';
import type { BertConfig } from '../model/bertConfig';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';

export interface EvalOptions {
  /** beam width (default 3, the study's); 1 = greedy */
  beamSize?: number;
  /** evaluate only the first n test items */
  limit?: number;
  /** items decoded together (default 32) */
  batchSize?: number;
  limits?: SqgLimits;
  /** stop between batches */
  signal?: AbortSignal;
}

export interface MetricScores {
  Bleu_1: number;
  Bleu_2: number;
  Bleu_3: number;
  Bleu_4: number;
  METEOR: number;
  ROUGE_L: number;
  avg_score: number;
}

export interface EvaluationResult {
  n: number;
  beamSize: number;
  metrics: MetricScores;
  /** wall time of generation alone (scoring excluded), ms */
  genTimeMs: number;
  questionsPerSec: number;
  params: number;
  questions: { id: string; answer: string; reference: string; generated: string }[];
}

export interface RelativeScores {
  /** generation time, % of the teacher's */
  timePct: number;
  /** parameters, % of the teacher's */
  paramsPct: number;
  /** avg_score, % of the teacher's */
  scorePct: number;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export async function evaluate(
  model: MaskedLmModel & { config: BertConfig },
  tok: BertTokenizer,
  testItems: readonly QgItem[],
  opts: EvalOptions = {},
): Promise<EvaluationResult> {
  const beamSize = opts.beamSize ?? 3;
  const limits = opts.limits ?? DEFAULT_SQG_LIMITS;
  const items = opts.limit !== undefined ? testItems.slice(0, opts.limit) : testItems.slice();
  if (items.length === 0) throw new Error('evaluation needs at least one test item');
  const encoded = items.map((it) => predictionContext(tok, it, limits));
  const batchSize = opts.batchSize ?? 32;
  // Warm-up, untimed: the first calls on a backend compile kernels (WebGPU/WebGL shaders, WASM setup); without it
  // whichever model is evaluated first (the teacher) pays that cost and its time % column is wrong.
  await generateQuestions(model, tok, encoded.slice(0, Math.min(batchSize, encoded.length)), {
    strategy: beamSize <= 1 ? 'greedy' : 'beam',
    beamSize,
    batchSize,
    maxLen: 2,
  });
  const t0 = now();
  const generated: { id: string; text: string }[] = [];
  // decode in chunks so an abort is honoured between batches
  for (let i = 0; i < encoded.length; i += batchSize) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    generated.push(
      ...(await generateQuestions(model, tok, encoded.slice(i, i + batchSize), {
        strategy: beamSize <= 1 ? 'greedy' : 'beam',
        beamSize,
        batchSize,
        maxLen: limits.maxQuestionLen,
      })),
    );
  }
  const genTimeMs = now() - t0;
  const hyps: Record<string, string> = {};
  const refs: Record<string, string[]> = {};
  items.forEach((it, i) => {
    hyps[it.id] = generated[i]!.text;
    refs[it.id] = [it.question];
  });
  const s = scoreQuestions(hyps, refs);
  const metrics: MetricScores = {
    Bleu_1: s.Bleu_1,
    Bleu_2: s.Bleu_2,
    Bleu_3: s.Bleu_3,
    Bleu_4: s.Bleu_4,
    METEOR: s.METEOR,
    ROUGE_L: s.ROUGE_L,
    avg_score: s.avg_score,
  };
  return {
    n: items.length,
    beamSize,
    metrics,
    genTimeMs,
    questionsPerSec: genTimeMs > 0 ? (items.length * 1000) / genTimeMs : 0,
    params: countParameters(model.config),
    questions: items.map((it, i) => ({
      id: it.id,
      answer: it.answer,
      reference: it.question,
      generated: generated[i]!.text,
    })),
  };
}

export function relativeToTeacher(result: EvaluationResult, teacher: EvaluationResult): RelativeScores {
  const pct = (a: number, b: number) => (b > 0 ? (100 * a) / b : NaN);
  // time per question, so runs on different test sizes still compare
  return {
    timePct: pct(result.genTimeMs / result.n, teacher.genTimeMs / teacher.n),
    paramsPct: pct(result.params, teacher.params),
    scorePct: pct(result.metrics.avg_score, teacher.metrics.avg_score),
  };
}

export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error(typeof reason === 'string' ? reason : 'cancelled');
  e.name = 'AbortError';
  return e;
}
