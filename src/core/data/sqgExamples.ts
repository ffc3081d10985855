// BERT-SQG (sequential question generation) examples, as the study builds them (SQG_train.py):
//
//   [CLS] c1..cm [SEP] a1..ak [SEP] q1..qi [MASK]      label at [MASK] = q(i+1); for i = n the label is [SEP]
//   type 0 ..... 0 | 1 ...... 1 | 0 ........ 0
//
// so a question of n tokens gives n+1 examples. The study skips an item whose answer has more than 15 tokens, whose
// question has more than 42, or whose context does not fit into maxSeqLen − |answer| − |question| − 4 tokens.
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import type { QgItem } from './drcd';

export interface SqgLimits {
  maxSeqLen: number;
  maxAnswerLen: number;
  maxQuestionLen: number;
}
export const DEFAULT_SQG_LIMITS: Readonly<SqgLimits> = Object.freeze({ maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 });

/** 'skip': the study's rule (drop items that do not fit). 'window': keep a context window around the answer. */
export type SqgPolicy = 'skip' | 'window';

export interface EncodedItem {
  id: string;
  contextIds: number[];
  answerIds: number[];
  questionIds: number[];
}

export interface SqgExample {
  inputIds: number[];
  tokenTypeIds: number[];
  /** Index of the [MASK] token (the last one). */
  maskPos: number;
  /** Token id to predict at maskPos. */
  label: number;
}

export type SkipKind = 'answer-too-long' | 'question-too-long' | 'context-too-long' | 'empty-answer' | 'empty-question';
export interface SkipReason {
  id: string;
  reason: SkipKind;
  /** Human-readable detail with the token counts. */
  detail: string;
}

export function isSkipReason<T extends object>(x: T | SkipReason): x is SkipReason {
  return 'reason' in x;
}

/** Context budget for training: maxSeqLen − |answer| − |question| − 4 ([CLS], 2×[SEP], [MASK]). */
export function contextBudget(limits: SqgLimits, answerLen: number, questionLen: number): number {
  return limits.maxSeqLen - answerLen - questionLen - 4;
}

/** Why an item's answer or question rules it out (from token counts alone), or undefined if they fit. */
export function itemLimitSkip(limits: SqgLimits, answerLen: number, questionLen: number): SkipReason['reason'] | undefined {
  if (answerLen === 0) return 'empty-answer';
  if (questionLen === 0) return 'empty-question';
  if (answerLen > limits.maxAnswerLen) return 'answer-too-long';
  if (questionLen > limits.maxQuestionLen) return 'question-too-long';
  return undefined;
}

/**
 * What happens to the context of an item whose answer and question fit: it 'fits' whole, is cut to a 'window' of
 * contextBudget tokens (the 'window' policy), or is too long (the item is skipped). Token counts alone decide, so
 * counting items (sqgReportFromLengths) and encoding them (encodeQgItem, prepareExampleSet) agree by construction.
 */
export function contextFit(
  limits: SqgLimits,
  policy: SqgPolicy,
  answerLen: number,
  questionLen: number,
  contextLen: number,
): 'fits' | 'window' | 'context-too-long' {
  const budget = contextBudget(limits, answerLen, questionLen);
  if (contextLen <= budget) return 'fits';
  return policy === 'skip' || budget <= 0 ? 'context-too-long' : 'window';
}

function skipDetail(kind: SkipKind, limits: SqgLimits, answerLen: number, questionLen: number, contextLen: number): string {
  switch (kind) {
    case 'empty-answer':
      return 'the answer has no tokens';
    case 'empty-question':
      return 'the question has no tokens';
    case 'answer-too-long':
      return `answer has ${answerLen} tokens > maxAnswerLen ${limits.maxAnswerLen}`;
    case 'question-too-long':
      return `question has ${questionLen} tokens > maxQuestionLen ${limits.maxQuestionLen}`;
    case 'context-too-long':
      return `context has ${contextLen} tokens > budget ${Math.max(contextBudget(limits, answerLen, questionLen), 0)} (maxSeqLen ${limits.maxSeqLen} − answer ${answerLen} − question ${questionLen} − 4)`;
  }
}

/** An item that fits, as a reference into its context's ids: contextIds.slice(contextStart, contextStart + contextLength). */
export interface QgItemFit {
  answerIds: number[];
  questionIds: number[];
  contextStart: number;
  contextLength: number;
  /** true when the 'window' policy cut the context */
  windowed: boolean;
}

/**
 * The one rule that decides how an item is trained on (encodeQgItem and prepareExampleSet both use it).
 * `contextIds` is called only when the answer and question fit (a caller can tokenize the context lazily).
 */
export function fitQgItem(
  tok: BertTokenizer,
  item: QgItem,
  limits: SqgLimits,
  policy: SqgPolicy,
  contextIds: () => number[],
): QgItemFit | SkipReason {
  const answerIds = tok.encodeText(item.answer);
  const questionIds = tok.encodeText(item.question);
  const skip = (reason: SkipKind, contextLen = 0): SkipReason => ({
    id: item.id,
    reason,
    detail: skipDetail(reason, limits, answerIds.length, questionIds.length, contextLen),
  });
  const early = itemLimitSkip(limits, answerIds.length, questionIds.length);
  if (early) return skip(early);
  const ctx = contextIds();
  const fit = contextFit(limits, policy, answerIds.length, questionIds.length, ctx.length);
  if (fit === 'context-too-long') return skip(fit, ctx.length);
  if (fit === 'fits') return { answerIds, questionIds, contextStart: 0, contextLength: ctx.length, windowed: false };
  const budget = contextBudget(limits, answerIds.length, questionIds.length);
  const start = windowStart(ctx.length, answerTokenSpan(tok, item, ctx, answerIds), budget);
  return { answerIds, questionIds, contextStart: start, contextLength: budget, windowed: true };
}

/**
 * Tokenize an item for training. `contextIds` is passed when the caller already has the context's ids (many
 * questions share a paragraph).
 */
export function encodeQgItem(
  tok: BertTokenizer,
  item: QgItem,
  limits: SqgLimits = DEFAULT_SQG_LIMITS,
  policy: SqgPolicy = 'skip',
  contextIds?: number[],
): EncodedItem | SkipReason {
  let ctx = contextIds;
  const fit = fitQgItem(tok, item, limits, policy, () => (ctx ??= tok.encodeText(item.context)));
  if (isSkipReason(fit)) return fit;
  const c = ctx!;
  return {
    id: item.id,
    contextIds: fit.windowed ? c.slice(fit.contextStart, fit.contextStart + fit.contextLength) : c,
    answerIds: fit.answerIds,
    questionIds: fit.questionIds,
  };
}

/**
 * Token span [start, end) of the answer in the context's ids. Found from the character offset (the tokens of
 * context[0:answerStart]), then moved to the nearest exact occurrence of the answer's ids if there is one (a
 * prefix cut inside a word can tokenize differently from the whole context).
 */
export function answerTokenSpan(tok: BertTokenizer, item: QgItem, contextIds: number[], answerIds?: number[]): [number, number] {
  const ans = answerIds ?? tok.encodeText(item.answer);
  const guess = Math.min(tok.encodeText(item.context.slice(0, Math.max(0, item.answerStart))).length, contextIds.length);
  let best = -1;
  for (let i = 0; i + ans.length <= contextIds.length; i++) {
    let ok = true;
    for (let j = 0; j < ans.length && ok; j++) ok = contextIds[i + j] === ans[j];
    if (ok && (best < 0 || Math.abs(i - guess) < Math.abs(best - guess))) best = i;
    if (best >= 0 && i - guess > Math.abs(best - guess)) break;
  }
  const start = best >= 0 ? best : guess;
  return [start, Math.min(contextIds.length, start + ans.length)];
}

/** `budget` ids of `ids` with the span in the middle, shifted to stay inside the sequence. */
export function windowAround(ids: number[], span: [number, number], budget: number): number[] {
  if (ids.length <= budget) return ids;
  const start = windowStart(ids.length, span, budget);
  return ids.slice(start, start + budget);
}

/** Where windowAround's window of `budget` ids starts in a context of `length` ids (length > budget). */
export function windowStart(length: number, span: [number, number], budget: number): number {
  const [s, e] = span;
  return Math.max(0, Math.min(length - budget, Math.floor((s + e - budget) / 2)));
}

/**
 * How a prompt's context longer than its budget (maxSeqLen − |answer| − maxQuestionLen − 4 tokens) is cut:
 * - 'head': its first tokens are kept — the study's DRCD prediction path (SQG_prediction.py passes answer_start −1),
 *   which can cut the answer out of the context;
 * - 'answer-window': a window of the budget centred on the answer (the study's SQuAD path does the like; the lab's
 *   choice, and what every evaluation before this option used).
 */
export type PredictionContextMode = 'head' | 'answer-window';
export const PREDICTION_CONTEXT_MODES: readonly PredictionContextMode[] = ['head', 'answer-window'];
/** The mode of a recipe or command that does not name one: 'answer-window', so stored and older runs mean what they did. */
export const DEFAULT_PREDICTION_CONTEXT: PredictionContextMode = 'answer-window';

/** A prediction prompt's parts and what its cut did. */
export interface PredictionPrompt extends EncodedItem {
  /** the context was longer than its budget and was cut */
  cut: boolean;
  /**
   * Where the answer (its marked occurrence, answerTokenSpan) is against the kept context: 'kept' whole, 'partly'
   * cut, or 'dropped' altogether. Always 'kept' for a context that was not cut.
   */
  answer: 'kept' | 'partly' | 'dropped';
}

/**
 * The item as the study's prediction code prepares it: a context longer than
 * maxSeqLen − |answer| − maxQuestionLen − 4 tokens is cut to that many tokens, by `mode` (see PredictionContextMode).
 * The answer is cut only if it alone leaves no room. questionIds holds the reference question's ids (not part of
 * the prompt).
 */
export function predictionPrompt(
  tok: BertTokenizer,
  item: QgItem,
  limits: SqgLimits = DEFAULT_SQG_LIMITS,
  mode: PredictionContextMode = DEFAULT_PREDICTION_CONTEXT,
): PredictionPrompt {
  let answerIds = tok.encodeText(item.answer);
  const room = limits.maxSeqLen - limits.maxQuestionLen - 4;
  if (answerIds.length > room) answerIds = answerIds.slice(0, Math.max(0, room));
  const budget = room - answerIds.length;
  const ctx = tok.encodeText(item.context);
  const questionIds = tok.encodeText(item.question);
  if (ctx.length <= budget) return { id: item.id, contextIds: ctx, answerIds, questionIds, cut: false, answer: 'kept' };
  const { start, end, answer } = promptCut(ctx.length, answerTokenSpan(tok, item, ctx, answerIds), budget, mode);
  return { id: item.id, contextIds: ctx.slice(start, end), answerIds, questionIds, cut: true, answer };
}

/** The kept range [start, end) of a context of `length` > `budget` ids cut by `mode`, and where its answer span went. */
export function promptCut(
  length: number,
  span: [number, number],
  budget: number,
  mode: PredictionContextMode,
): { start: number; end: number; answer: PredictionPrompt['answer'] } {
  const start = mode === 'head' ? 0 : windowStart(length, span, budget);
  const end = start + Math.max(0, budget);
  const answer = span[0] >= start && span[1] <= end ? 'kept' : span[1] <= start || span[0] >= end ? 'dropped' : 'partly';
  return { start, end, answer };
}

/** predictionPrompt's ids alone. */
export function predictionContext(
  tok: BertTokenizer,
  item: QgItem,
  limits: SqgLimits = DEFAULT_SQG_LIMITS,
  mode: PredictionContextMode = DEFAULT_PREDICTION_CONTEXT,
): EncodedItem {
  const { id, contextIds, answerIds, questionIds } = predictionPrompt(tok, item, limits, mode);
  return { id, contextIds, answerIds, questionIds };
}

/** How many prompts a cut touched: the evaluation's `contextCut`. */
export interface ContextCutReport {
  mode: PredictionContextMode;
  /** prompts built */
  prompts: number;
  /** prompts whose context was longer than its budget and was cut */
  cut: number;
  /** cut prompts whose context lost its answer altogether */
  answerDropped: number;
  /** cut prompts whose context kept only part of its answer */
  answerPartlyCut: number;
}

/** The report of some prompts built in `mode`. */
export function contextCutReport(mode: PredictionContextMode, prompts: readonly PredictionPrompt[]): ContextCutReport {
  const r: ContextCutReport = { mode, prompts: prompts.length, cut: 0, answerDropped: 0, answerPartlyCut: 0 };
  for (const p of prompts) {
    if (p.cut) r.cut++;
    if (p.answer === 'dropped') r.answerDropped++;
    else if (p.answer === 'partly') r.answerPartlyCut++;
  }
  return r;
}

/**
 * What evaluation makes of `items` as a test set, under both cuts (each context tokenized once): the report of each
 * mode, and how many prompts the two modes give different contexts (a cut whose window does not start at 0).
 */
export function predictionCutFigures(
  tok: BertTokenizer,
  items: readonly QgItem[],
  limits: SqgLimits = DEFAULT_SQG_LIMITS,
): { head: ContextCutReport; 'answer-window': ContextCutReport; contextsDiffer: number } {
  const blank = (mode: PredictionContextMode): ContextCutReport => ({ mode, prompts: items.length, cut: 0, answerDropped: 0, answerPartlyCut: 0 });
  const out = { head: blank('head'), 'answer-window': blank('answer-window'), contextsDiffer: 0 };
  const room = limits.maxSeqLen - limits.maxQuestionLen - 4;
  let text: string | undefined;
  let ctx: number[] = [];
  for (const item of items) {
    if (item.context !== text) {
      ctx = tok.encodeText(item.context);
      text = item.context;
    }
    let answerIds = tok.encodeText(item.answer);
    if (answerIds.length > room) answerIds = answerIds.slice(0, Math.max(0, room));
    const budget = room - answerIds.length;
    if (ctx.length <= budget) continue;
    const span = answerTokenSpan(tok, item, ctx, answerIds);
    const starts: number[] = [];
    for (const mode of PREDICTION_CONTEXT_MODES) {
      const r = out[mode];
      const c = promptCut(ctx.length, span, budget, mode);
      starts.push(c.start);
      r.cut++;
      if (c.answer === 'dropped') r.answerDropped++;
      else if (c.answer === 'partly') r.answerPartlyCut++;
    }
    if (starts[0] !== starts[1]) out.contextsDiffer++;
  }
  return out;
}

/** One line: "head: 1,361 of 3,524 contexts cut to their first tokens (198 lost the answer, 4 kept part of it)". */
export function describeContextCut(r: ContextCutReport): string {
  const how = r.mode === 'head' ? 'cut to their first tokens' : 'cut to a window around the answer';
  const lost = [
    r.answerDropped > 0 ? `${r.answerDropped} lost the answer` : '',
    r.answerPartlyCut > 0 ? `${r.answerPartlyCut} kept part of it` : '',
  ].filter(Boolean);
  return `context ${r.mode}: ${r.cut} of ${r.prompts} prompts ${how}${lost.length ? ` (${lost.join(', ')})` : ''}`;
}

/** Generation input: [CLS] context [SEP] answer [SEP] questionPrefix [MASK]. */
export function promptFor(
  tok: BertTokenizer,
  contextIds: number[],
  answerIds: number[],
  questionPrefix: number[],
): { inputIds: number[]; tokenTypeIds: number[]; maskPos: number } {
  const { cls, sep, mask } = tok.special;
  const inputIds = [cls, ...contextIds, sep, ...answerIds, sep, ...questionPrefix, mask];
  const tokenTypeIds = new Array<number>(inputIds.length).fill(0);
  tokenTypeIds.fill(1, contextIds.length + 2, contextIds.length + answerIds.length + 3);
  return { inputIds, tokenTypeIds, maskPos: inputIds.length - 1 };
}

/** The n+1 training examples of an item (the last one predicts [SEP]). */
export function sqgExamplesFor(tok: BertTokenizer, item: EncodedItem): SqgExample[] {
  const targets = [...item.questionIds, tok.special.sep];
  return targets.map((label, i) => {
    const p = promptFor(tok, item.contextIds, item.answerIds, item.questionIds.slice(0, i));
    return { ...p, label };
  });
}

export interface PreparedExamples {
  examples: SqgExample[];
  encoded: EncodedItem[];
  skipped: SkipReason[];
}

/** Encode items (file order) and build their examples; a paragraph's context is tokenized once. */
export function prepareExamples(
  tok: BertTokenizer,
  items: readonly QgItem[],
  limits: SqgLimits = DEFAULT_SQG_LIMITS,
  policy: SqgPolicy = 'skip',
): PreparedExamples {
  const contextCache = new Map<string, number[]>();
  const out: PreparedExamples = { examples: [], encoded: [], skipped: [] };
  for (const item of items) {
    let ctx = contextCache.get(item.context);
    if (!ctx) {
      ctx = tok.encodeText(item.context);
      contextCache.set(item.context, ctx);
    }
    const enc = encodeQgItem(tok, item, limits, policy, ctx);
    if (isSkipReason(enc)) {
      out.skipped.push(enc);
      continue;
    }
    out.encoded.push(enc);
    for (const ex of sqgExamplesFor(tok, enc)) out.examples.push(ex);
  }
  return out;
}

/** The first ⌊n·f⌋ examples in file order: the study cuts its training fraction from the examples, not items. */
export function examplesFraction(examples: readonly SqgExample[], f: number): SqgExample[] {
  if (!(f >= 0 && f <= 1)) throw new RangeError(`fraction must be between 0 and 1, got ${f}`);
  return examples.slice(0, Math.floor(examples.length * f));
}
