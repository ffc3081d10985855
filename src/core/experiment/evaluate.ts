// Evaluation as the study reports it: beam-search generation (beam 3) on the test items, scored with BLEU-1..4,
// METEOR and ROUGE-L (avg_score = their mean), plus generation time and parameter count; relativeToTeacher turns
// a result into the study's "% of the teacher" columns.
import {
  DEFAULT_PREDICTION_CONTEXT,
  DEFAULT_SQG_LIMITS,
  contextCutReport,
  predictionPrompt,
  type ContextCutReport,
  type EncodedItem,
  type PredictionContextMode,
  type SqgLimits,
} from '../data/sqgExamples';
import type { QgItem } from '../data/drcd';
import { generateQuestions, type GenerateOptions } from '../generation/generateQuestions';
import type { MaskedLmModel } from '../generation/nextTokenScorer';
import { DEFAULT_SCORE_NORMALIZATION, normalizationChanges, normalizeReference, type ScoreNormalization } from '../metrics/normalize';
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
  /** how a long context is cut for the prompt (default 'answer-window'; the study's DRCD path: 'head') */
  context?: PredictionContextMode;
  /** what the references are scored as (default 'bert': as the tokenizer gives the generated questions back) */
  normalize?: ScoreNormalization;
  /** stop between batches */
  signal?: AbortSignal;
  /**
   * generates the questions of these prompts instead of the model in this thread (e.g. a pool of worker threads,
   * src/node/pool); called once for the untimed warm-up batch, once with every prompt, then once per timing run
   * with the first min(n, batchSize) prompts (it honours `signal`)
   */
  generate?: (items: readonly EncodedItem[], opts: GenerateOptions, signal?: AbortSignal) => Promise<{ id: string; text: string }[]>;
  /**
   * timed generation runs of the first min(n, batchSize) questions after the pass over every test item (default 3);
   * the result keeps each run's ms per question and their median, min and max
   */
  timingRepeats?: number;
  /** progress of the generation and of the timing runs (at most every `progressEveryMs`, and when a part completes) */
  onProgress?: (p: EvalProgress) => void;
  /** default 500 */
  progressEveryMs?: number;
}

export interface EvalProgress {
  /** 'generating': the pass over the test questions; 'timing': the timed repeats */
  part: 'generating' | 'timing';
  /** questions generated ('generating') or runs finished ('timing') */
  done: number;
  total: number;
  elapsedMs: number;
  /** estimated from the pace so far (0 when done) */
  etaMs: number;
}

/** Generation time per question over several timed runs of the same questions. */
export interface GenTiming {
  /** each run's ms per question, in run order */
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** questions each run generated (older results: every test question, in their one pass) */
  questions: number;
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
  /** wall time of the generation pass over every test item (scoring excluded), ms */
  genTimeMs: number;
  /** the timed runs (schema v3; a v2 result reads as one run: genTimeMs / n) */
  genTiming: GenTiming;
  questionsPerSec: number;
  params: number;
  /** how the references were scored: 'bert' (through the tokenizer, as the generated questions are) or 'none' (raw) */
  normalize: ScoreNormalization;
  /** references whose scored characters the normalisation changed (0 under 'none'; absent in older results) */
  normalizedReferences?: number;
  /** how long contexts were cut for the prompts, and how many lost their answer (older results: the mode only) */
  contextCut: ContextCutReport | { mode: PredictionContextMode };
  /** `reference` is the dataset's text; `scoredReference` is set where the normalisation changed it */
  questions: { id: string; answer: string; reference: string; generated: string; scoredReference?: string }[];
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

/** With a `generate` hook only the config is needed; without one, the model generates here. */
export type EvaluatedModel = { config: BertConfig } & Partial<MaskedLmModel>;

function needModel(m: EvaluatedModel): MaskedLmModel {
  if (typeof m.forward !== 'function') throw new Error('evaluate: a model (or a generate hook) is needed');
  return m as MaskedLmModel;
}

export async function evaluate(
  model: EvaluatedModel,
  tok: BertTokenizer,
  testItems: readonly QgItem[],
  opts: EvalOptions = {},
): Promise<EvaluationResult> {
  const beamSize = opts.beamSize ?? 3;
  const repeats = opts.timingRepeats ?? 3;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new RangeError(`timingRepeats must be a positive integer, got ${repeats}`);
  const limits = opts.limits ?? DEFAULT_SQG_LIMITS;
  const items = opts.limit !== undefined ? testItems.slice(0, opts.limit) : testItems.slice();
  if (items.length === 0) throw new Error('evaluation needs at least one test item');
  const context = opts.context ?? DEFAULT_PREDICTION_CONTEXT;
  const normalize = opts.normalize ?? DEFAULT_SCORE_NORMALIZATION;
  const prompts = items.map((it) => predictionPrompt(tok, it, limits, context));
  const encoded: EncodedItem[] = prompts.map(({ id, contextIds, answerIds, questionIds }) => ({ id, contextIds, answerIds, questionIds }));
  const batchSize = opts.batchSize ?? 32;
  const gen: GenerateOptions = { strategy: beamSize <= 1 ? 'greedy' : 'beam', beamSize, batchSize, maxLen: limits.maxQuestionLen };
  const warm = encoded.slice(0, Math.min(batchSize, encoded.length));
  const run = (its: readonly EncodedItem[], o: GenerateOptions) =>
    opts.generate ? opts.generate(its, o, opts.signal) : generateQuestions(needModel(model), tok, its, o);
  const progress = progressReporter(opts.onProgress, opts.progressEveryMs ?? 500);
  // Warm-up, untimed: the first calls on a backend compile kernels (WebGPU/WebGL shaders, WASM setup); without it
  // whichever model is evaluated first (the teacher) pays that cost and its time % column is wrong.
  await run(warm, { ...gen, maxLen: 2 });
  const t0 = now();
  const generated: { id: string; text: string }[] = [];
  progress('generating', 0, encoded.length, 0);
  if (opts.generate) generated.push(...(await opts.generate(encoded, gen, opts.signal)));
  // decode in chunks so an abort is honoured and progress reported between them; a small test set goes in ~10 chunks
  // (the time per question is measured by the timing runs below, at the full batch size)
  else {
    const chunk = Math.min(batchSize, Math.max(4, Math.ceil(encoded.length / 10)));
    for (let i = 0; i < encoded.length; i += chunk) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      generated.push(...(await generateQuestions(needModel(model), tok, encoded.slice(i, i + chunk), gen)));
      progress('generating', generated.length, encoded.length, now() - t0);
    }
  }
  const genTimeMs = now() - t0;
  progress('generating', encoded.length, encoded.length, genTimeMs, true);
  // Timing: the first min(n, batchSize) questions (one batch), generated `repeats` times; a single pass varies by tens
  // of percent between identical models on a busy machine
  const timed = encoded.slice(0, Math.min(batchSize, encoded.length));
  const runs: number[] = [];
  const tTiming = now();
  for (let r = 0; r < repeats; r++) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    const t = now();
    await run(timed, gen);
    runs.push((now() - t) / timed.length);
    progress('timing', r + 1, repeats, now() - tTiming, r + 1 === repeats);
  }
  const hyps: Record<string, string> = {};
  const refs: Record<string, string[]> = {};
  const scored = items.map((it) => normalizeReference(tok, it.question, normalize));
  items.forEach((it, i) => {
    hyps[it.id] = generated[i]!.text;
    refs[it.id] = [scored[i]!];
  });
  // changed = other characters are scored (whitespace is not scored, so a moved space is no change)
  const changed = items.map((it) => normalizationChanges(tok, it.question, normalize));
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
    genTiming: timingOf(runs, timed.length),
    questionsPerSec: genTimeMs > 0 ? (items.length * 1000) / genTimeMs : 0,
    params: countParameters(model.config),
    normalize,
    normalizedReferences: changed.filter(Boolean).length,
    contextCut: contextCutReport(context, prompts),
    questions: items.map((it, i) => ({
      id: it.id,
      answer: it.answer,
      reference: it.question,
      generated: generated[i]!.text,
      ...(changed[i] ? { scoredReference: scored[i]! } : {}),
    })),
  };
}

export interface EvalModes {
  context: PredictionContextMode;
  normalize: ScoreNormalization;
}

/**
 * The prompt cut and the reference scoring of a node's evaluation. What the options name wins. A setting they leave
 * unset is taken from the stored evaluation of the node's reference (its tree's teacher) when there is one, so a tree
 * evaluated before these settings existed keeps scoring as it did and the "% of the teacher" columns compare like with
 * like; otherwise it is the default (context 'answer-window', normalize 'bert'). `inherited` names the settings taken
 * from the reference; `differs` those the options set otherwise than the reference was evaluated.
 */
export function evalModesFor(
  opts: { context?: PredictionContextMode; normalize?: ScoreNormalization },
  reference?: Pick<EvaluationResult, 'normalize' | 'contextCut'>,
): EvalModes & { inherited: (keyof EvalModes)[]; differs: (keyof EvalModes)[] } {
  const stored: Partial<EvalModes> = reference ? { context: reference.contextCut?.mode, normalize: reference.normalize } : {};
  const defaults: EvalModes = { context: DEFAULT_PREDICTION_CONTEXT, normalize: DEFAULT_SCORE_NORMALIZATION };
  const out: EvalModes = { ...defaults };
  const inherited: (keyof EvalModes)[] = [];
  const differs: (keyof EvalModes)[] = [];
  for (const k of ['context', 'normalize'] as const) {
    const set = opts[k];
    const ref = stored[k];
    if (set !== undefined) {
      (out as Record<keyof EvalModes, string>)[k] = set;
      if (ref !== undefined && ref !== set) differs.push(k);
    } else if (ref !== undefined) {
      (out as Record<keyof EvalModes, string>)[k] = ref;
      if (ref !== defaults[k]) inherited.push(k);
    }
  }
  return { ...out, inherited, differs };
}

/** Median (the mean of the middle two for an even count), min and max of the runs' ms per question. */
export function timingOf(runs: readonly number[], questions: number): GenTiming {
  if (runs.length === 0) throw new Error('timingOf: no runs');
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs: [...runs], median, min: sorted[0]!, max: sorted[sorted.length - 1]!, questions };
}

/** ms per question: the timing runs' median (a result without them: its one pass). */
export function msPerQuestion(r: Pick<EvaluationResult, 'genTimeMs' | 'n'> & { genTiming?: GenTiming }): number {
  return r.genTiming ? r.genTiming.median : r.genTimeMs / r.n;
}

function progressReporter(onProgress: EvalOptions['onProgress'], everyMs: number) {
  let last = -Infinity;
  return (part: EvalProgress['part'], done: number, total: number, elapsedMs: number, force = false) => {
    if (!onProgress) return;
    const t = now();
    if (!force && t - last < everyMs) return;
    last = t;
    const etaMs = done > 0 && done < total ? (elapsedMs / done) * (total - done) : 0;
    try {
      onProgress({ part, done, total, elapsedMs, etaMs });
    } catch {
      // a listener's failure must not break the evaluation
    }
  };
}

export function relativeToTeacher(result: EvaluationResult, teacher: EvaluationResult): RelativeScores {
  const pct = (a: number, b: number) => (b > 0 ? (100 * a) / b : NaN);
  // time per question (the timing runs' medians), so runs on different test sizes still compare
  return {
    timePct: pct(msPerQuestion(result), msPerQuestion(teacher)),
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
