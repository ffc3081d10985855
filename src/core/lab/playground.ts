// The playground's core: one question for a pasted paragraph and a marked answer from one node's model, built and
// decoded exactly as evaluation does it (predictionPrompt with the node's limits and context cut, then
// generateQuestions' beam search), with the model's load time kept apart from the generation time. LabService
// (labService.ts, generateFor) reads the node's stored model and keeps the last loaded ones in a PlaygroundModels
// cache, so a second question does not load the model again.
import { DEFAULT_PREDICTION_CONTEXT, DEFAULT_SQG_LIMITS, predictionPrompt, type PredictionContextMode, type PredictionPrompt, type SqgLimits } from '../data/sqgExamples';
import { generateQuestions } from '../generation/generateQuestions';
import type { MaskedLmModel } from '../generation/nextTokenScorer';
import type { BertConfig } from '../model/bertConfig';
import { countParameters } from '../model/parameterCount';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import type { NodeRecord } from './nodeRecord';

/** A paragraph and the answer marked in it. */
export interface PlaygroundInput {
  context: string;
  answer: string;
  /**
   * Character offset of the marked answer in the paragraph (a selection). Without it the answer's first occurrence
   * is used.
   */
  answerStart?: number;
}

export interface PlaygroundDecode {
  /** beam width (default 3, evaluation's); 1 = greedy */
  beamSize?: number;
  /** how many times the generation is timed (default 1, at most MAX_PLAYGROUND_RUNS); the question is the first run's */
  runs?: number;
}

export const MAX_PLAYGROUND_RUNS = 20;
export const DEFAULT_PLAYGROUND_BEAM = 3;

/** How the paragraph went into the prompt. */
export interface PlaygroundPrompt {
  /** the node's settings the prompt was built with (its evaluation's) */
  contextMode: PredictionContextMode;
  limits: SqgLimits;
  answerStart: number;
  /** occurrences of the answer text in the paragraph */
  occurrences: number;
  contextTokens: number;
  answerTokens: number;
  /** context tokens kept in the prompt (all of them when it was not cut) */
  keptTokens: number;
  /** [CLS] context [SEP] answer [SEP] [MASK]: the prompt's length before the first question token */
  promptTokens: number;
  /** paragraph characters the vocabulary does not know (each becomes [UNK]) */
  unknownTokens: number;
  /** set when the paragraph was longer than its budget: how it was cut, in words */
  cut?: { mode: PredictionContextMode; answer: PredictionPrompt['answer']; text: string };
}

export interface PlaygroundResult {
  nodeId: string;
  stage: string;
  label: string;
  question: string;
  /** generated ids, without the final [SEP] */
  ids: number[];
  tokens: string[];
  beamSize: number;
  /** the model was read from storage for this call (false: it was in the cache) */
  loaded: boolean;
  /** reading and building the model plus an untimed warm-up decode (as evaluation's), ms; 0 when cached */
  loadMs: number;
  /** wall time of each timed generation, ms */
  genMs: number[];
  parameters: number;
  layers: number;
  hiddenSize: number;
  prompt: PlaygroundPrompt;
}

export type PlaygroundErrorKind = 'unknown-node' | 'no-model' | 'empty' | 'answer-not-found' | 'answer-too-long' | 'vocabulary' | 'busy' | 'options';

/** A request the playground cannot answer, with a message for the user; `kind` says which rule it broke. */
export class PlaygroundError extends Error {
  override name = 'PlaygroundError';
  constructor(
    readonly kind: PlaygroundErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The limits and context cut evaluation used (or would use) for this node: its recipe's data options and eval setup. */
export function nodePromptSettings(rec: NodeRecord, config: BertConfig): { limits: SqgLimits; contextMode: PredictionContextMode } {
  const d = rec.data ?? {};
  const limits: SqgLimits = {
    maxSeqLen: d.maxSeqLen ?? DEFAULT_SQG_LIMITS.maxSeqLen,
    maxAnswerLen: d.maxAnswerLen ?? DEFAULT_SQG_LIMITS.maxAnswerLen,
    maxQuestionLen: d.maxQuestionLen ?? DEFAULT_SQG_LIMITS.maxQuestionLen,
  };
  // a sequence longer than the model's positions could not run at all; evaluation never saw one
  limits.maxSeqLen = Math.min(limits.maxSeqLen, config.maxPositionEmbeddings);
  const contextMode = rec.evalSetup?.contextCut.mode ?? rec.eval?.context ?? DEFAULT_PREDICTION_CONTEXT;
  return { limits, contextMode };
}

const countOf = (text: string, part: string) => {
  let n = 0;
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
  return n;
};

/**
 * The prompt evaluation would build for this paragraph and answer (predictionPrompt), after the playground's checks:
 * the answer must occur in the paragraph (at answerStart when given), have at most maxAnswerLen tokens, and have a
 * token the vocabulary knows. A paragraph too long for the prompt is cut as the node's evaluation cuts it; `cut`
 * says how.
 */
export function playgroundPrompt(
  tok: BertTokenizer,
  input: PlaygroundInput,
  limits: SqgLimits,
  contextMode: PredictionContextMode,
): { prompt: PredictionPrompt; facts: PlaygroundPrompt } {
  const context = input.context;
  const answer = input.answer;
  if (!context.trim()) throw new PlaygroundError('empty', 'the paragraph is empty: paste one or use a test item');
  if (!answer.trim()) throw new PlaygroundError('empty', 'no answer is marked: select it in the paragraph or type it');
  let answerStart: number;
  if (input.answerStart !== undefined) {
    if (context.slice(input.answerStart, input.answerStart + answer.length) !== answer)
      throw new PlaygroundError(
        'answer-not-found',
        `the answer '${answer}' is not at character ${input.answerStart} of the paragraph${context.includes(answer) ? ` (it occurs at ${context.indexOf(answer)})` : ''}`,
      );
    answerStart = input.answerStart;
  } else {
    answerStart = context.indexOf(answer);
    if (answerStart < 0) throw new PlaygroundError('answer-not-found', `the answer '${answer}' does not occur in the paragraph`);
  }
  const answerIds = tok.encodeText(answer);
  if (answerIds.length > limits.maxAnswerLen)
    throw new PlaygroundError('answer-too-long', `the answer has ${answerIds.length} tokens; the model takes at most ${limits.maxAnswerLen} (mark a shorter one)`);
  const unk = tok.special.unk;
  if (answerIds.length === 0 || answerIds.every((id) => id === unk))
    throw new PlaygroundError('vocabulary', `none of the answer's characters are in this model's vocabulary (${tok.vocabSize} tokens): it would be all [UNK]`);
  const prompt = predictionPrompt(tok, { id: 'playground', context, answer, answerStart, question: '' }, limits, contextMode);
  const contextIds = tok.encodeText(context);
  const facts: PlaygroundPrompt = {
    contextMode,
    limits,
    answerStart,
    occurrences: countOf(context, answer),
    contextTokens: contextIds.length,
    answerTokens: prompt.answerIds.length,
    keptTokens: prompt.contextIds.length,
    promptTokens: prompt.contextIds.length + prompt.answerIds.length + 4,
    unknownTokens: contextIds.filter((id) => id === unk).length,
  };
  if (prompt.cut) {
    const how = contextMode === 'head' ? 'its first' : 'a window around the answer of';
    const lost = prompt.answer === 'dropped' ? ': the answer is not in the kept part' : prompt.answer === 'partly' ? ': only part of the answer is in the kept part' : '';
    facts.cut = {
      mode: contextMode,
      answer: prompt.answer,
      text: `the paragraph's ${contextIds.length} tokens were cut to ${how} ${prompt.contextIds.length} (context '${contextMode}', sequence ≤ ${limits.maxSeqLen})${lost}`,
    };
  }
  return { prompt, facts };
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Generates the question of a built prompt `runs` times (the same beam search as evaluation); the time of each run. */
export async function timedQuestion(
  model: MaskedLmModel & { config: BertConfig },
  tok: BertTokenizer,
  prompt: PredictionPrompt,
  limits: SqgLimits,
  decode: PlaygroundDecode = {},
): Promise<{ ids: number[]; text: string; genMs: number[]; beamSize: number }> {
  const beamSize = decode.beamSize ?? DEFAULT_PLAYGROUND_BEAM;
  const runs = decode.runs ?? 1;
  if (!Number.isInteger(beamSize) || beamSize < 1 || beamSize > 16) throw new PlaygroundError('options', `beam width must be an integer from 1 to 16, got ${beamSize}`);
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_PLAYGROUND_RUNS) throw new PlaygroundError('options', `runs must be an integer from 1 to ${MAX_PLAYGROUND_RUNS}, got ${runs}`);
  if (model.config.vocabSize !== tok.vocabSize)
    throw new PlaygroundError('vocabulary', `the model's vocabulary (${model.config.vocabSize} tokens) does not match its vocab.txt (${tok.vocabSize})`);
  const item = { id: prompt.id, contextIds: prompt.contextIds, answerIds: prompt.answerIds, questionIds: [] };
  const opts = { strategy: beamSize === 1 ? ('greedy' as const) : ('beam' as const), beamSize, maxLen: limits.maxQuestionLen };
  const genMs: number[] = [];
  let first: { ids: number[]; text: string } | undefined;
  for (let r = 0; r < runs; r++) {
    const t0 = now();
    const [q] = await generateQuestions(model, tok, [item], opts);
    genMs.push(now() - t0);
    first ??= { ids: q!.ids, text: q!.text };
  }
  return { ...first!, genMs, beamSize };
}

/** Untimed warm-up decode (as evaluation's): the first calls on a backend compile kernels. */
export async function warmUp(model: MaskedLmModel, tok: BertTokenizer, prompt: PredictionPrompt): Promise<void> {
  const item = { id: prompt.id, contextIds: prompt.contextIds, answerIds: prompt.answerIds, questionIds: [] };
  await generateQuestions(model, tok, [item], { strategy: 'beam', beamSize: DEFAULT_PLAYGROUND_BEAM, maxLen: 2 });
}

/** A loaded model and its vocabulary. */
export interface PlaygroundModel {
  model: MaskedLmModel & { config: BertConfig; dispose(): void };
  tokenizer: BertTokenizer;
}

/**
 * The last `capacity` loaded models (default 2: a teacher and a student side by side), by key; the least recently
 * used one is disposed when a new one pushes it out, so its tensors are freed.
 */
export class PlaygroundModels {
  private readonly entries = new Map<string, PlaygroundModel>();
  constructor(readonly capacity = 2) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached model under `key` (marked as just used), or one made by `load` (and cached). */
  async get(key: string, load: () => Promise<PlaygroundModel>): Promise<{ entry: PlaygroundModel; loaded: boolean }> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return { entry: hit, loaded: false };
    }
    const entry = await load();
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const [oldest, e] = this.entries.entries().next().value as [string, PlaygroundModel];
      this.entries.delete(oldest);
      e.model.dispose();
    }
    return { entry, loaded: true };
  }

  /** Drops (and disposes) the entries whose key `drop` says. */
  evict(drop: (key: string) => boolean): void {
    for (const [k, e] of [...this.entries]) if (drop(k)) {
      this.entries.delete(k);
      e.model.dispose();
    }
  }

  clear(): void {
    this.evict(() => true);
  }
}

/** The model facts the playground shows beside the question. */
export function modelFacts(config: BertConfig): { parameters: number; layers: number; hiddenSize: number } {
  return { parameters: countParameters(config), layers: config.numHiddenLayers, hiddenSize: config.hiddenSize };
}
