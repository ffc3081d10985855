// Settings that fit the data and the model in hand: the sequence limits, what to do with a context that does not
// fit (the study's skip rule, with how many items it drops, and the window alternative with what it keeps) and the
// recipe preset sized for the model. Pure: the figures come from data reports the caller counted (sqgReportFromLengths
// in Node, the worker's dataReport in the browser) at the suggested limits.
import type { RecipeDataOptions } from '../experiment/recipe';
import type { SqgDataReport } from '../data/sqgExampleStore';
import { DEFAULT_SQG_LIMITS, type SqgLimits, type SqgPolicy } from '../data/sqgExamples';

/** The lab's recipe presets (the files in recipes/ the wizard starts from). */
export type PresetId = 'study' | 'study-logits-only' | 'demo' | 'tiny';

/** An uploaded (pretrained) base model's shape. */
export interface ModelInHand {
  name: string;
  layers: number;
  hiddenSize: number;
  /** config.json's max_position_embeddings: no sequence may be longer */
  maxPositionEmbeddings: number;
}

export interface SuggestInput {
  dataset: { name: string; isSample: boolean };
  /** the uploaded base model; null: the teacher is trained from scratch */
  model: ModelInHand | null;
  /** recipe.data of the sample demo (recipes/demo-sample.json): the sizes the embedded sample is made for */
  sampleData: RecipeDataOptions;
}

export interface SettingsSuggestion {
  limits: SqgLimits;
  policy: SqgPolicy;
  /** the preset that fits the model, and every preset that does (a draft on any of them is not told to switch) */
  preset: PresetId;
  fits: readonly PresetId[];
  /** with a model: the student keeps half its layers (the study: 12 → 6) */
  studentK?: number;
  /** why these settings, in a sentence */
  why: string;
}

/** The study's sequence limit: bert-base's 512 positions. */
const STUDY_MAX_SEQ = DEFAULT_SQG_LIMITS.maxSeqLen;

/** The model in hand from a base model summary's fields and its config.json (max_position_embeddings). */
export function modelInHand(summary: { name: string; layers: number; hiddenSize: number; config: Record<string, unknown> }): ModelInHand {
  const pos = summary.config.max_position_embeddings;
  if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 8)
    throw new Error(`${summary.name}: config.json's max_position_embeddings must be an integer >= 8, got ${JSON.stringify(pos)}`);
  return { name: summary.name, layers: summary.layers, hiddenSize: summary.hiddenSize, maxPositionEmbeddings: pos };
}

export function suggestSettings(input: SuggestInput): SettingsSuggestion {
  const { model, dataset } = input;
  if (model) {
    if (!(Number.isInteger(model.layers) && model.layers >= 2)) throw new Error(`${model.name}: a student needs a teacher of at least 2 layers, this one has ${model.layers}`);
    const maxSeqLen = Math.min(STUDY_MAX_SEQ, model.maxPositionEmbeddings);
    const capped = maxSeqLen < STUDY_MAX_SEQ ? ` (the study's ${STUDY_MAX_SEQ}, capped by the model's ${model.maxPositionEmbeddings} positions)` : '';
    return {
      limits: { ...DEFAULT_SQG_LIMITS, maxSeqLen },
      policy: 'skip',
      preset: 'study',
      fits: ['study', 'study-logits-only'],
      studentK: Math.floor(model.layers / 2),
      why: `${model.name} (${model.layers} layers, hidden ${model.hiddenSize}) on ${dataset.name}: the study's limits, ${maxSeqLen} tokens${capped}, and its rule for items that do not fit.`,
    };
  }
  if (dataset.isSample) {
    const d = input.sampleData;
    return {
      limits: {
        maxSeqLen: d.maxSeqLen ?? DEFAULT_SQG_LIMITS.maxSeqLen,
        maxAnswerLen: d.maxAnswerLen ?? DEFAULT_SQG_LIMITS.maxAnswerLen,
        maxQuestionLen: d.maxQuestionLen ?? DEFAULT_SQG_LIMITS.maxQuestionLen,
      },
      policy: d.policy ?? 'skip',
      preset: 'demo',
      fits: ['demo', 'tiny'],
      why: `The embedded sample, from scratch: the sample demo's sizes (a small model learns it in minutes).`,
    };
  }
  return {
    limits: { ...DEFAULT_SQG_LIMITS },
    policy: 'skip',
    preset: 'demo',
    fits: ['demo', 'tiny'],
    why: `${dataset.name}, from scratch (no base model uploaded): the study's limits and its rule for items that do not fit; upload bert-base-chinese on the Model screen for the study's recipe.`,
  };
}

/** What the suggested limits do to the training items under each policy. */
export interface SuggestionFigures {
  items: number;
  /** the study's rule: items that do not fit are dropped */
  skip: { kept: number; dropped: number; contextTooLong: number; answerTooLong: number; questionTooLong: number; empty: number; examples: number };
  /** the alternative: a long context is cut to a window around the answer; only a long answer or question drops an item */
  window: { kept: number; windowed: number; dropped: number; examples: number };
}

const sameLimits = (a: SqgLimits, b: SqgLimits) => a.maxSeqLen === b.maxSeqLen && a.maxAnswerLen === b.maxAnswerLen && a.maxQuestionLen === b.maxQuestionLen;

/** The figures from the two reports counted at the suggestion's limits (one under 'skip', one under 'window'). */
export function suggestionFigures(s: SettingsSuggestion, skip: SqgDataReport, window: SqgDataReport): SuggestionFigures {
  const l = (r: SqgDataReport) => `${r.limits.maxSeqLen}/${r.limits.maxAnswerLen}/${r.limits.maxQuestionLen} ${r.policy}`;
  if (skip.policy !== 'skip' || !sameLimits(skip.limits, s.limits))
    throw new Error(`the skip figures were counted at ${l(skip)}, not the suggested ${s.limits.maxSeqLen}/${s.limits.maxAnswerLen}/${s.limits.maxQuestionLen} skip`);
  if (window.policy !== 'window' || !sameLimits(window.limits, s.limits))
    throw new Error(`the window figures were counted at ${l(window)}, not the suggested ${s.limits.maxSeqLen}/${s.limits.maxAnswerLen}/${s.limits.maxQuestionLen} window`);
  if (skip.items !== window.items) throw new Error(`the two reports count different items (${skip.items} and ${window.items})`);
  const b = skip.skipped.byReason;
  return {
    items: skip.items,
    skip: {
      kept: skip.kept,
      dropped: skip.skipped.total,
      contextTooLong: b['context-too-long'],
      answerTooLong: b['answer-too-long'],
      questionTooLong: b['question-too-long'],
      empty: b['empty-answer'] + b['empty-question'],
      examples: skip.examples,
    },
    window: { kept: window.kept, windowed: window.windowed.total, dropped: window.skipped.total, examples: window.examples },
  };
}

const int = (n: number) => n.toLocaleString('en-US');
const count = (n: number, word: string) => `${int(n)} ${word}${n === 1 ? '' : 's'}`;
const share = (n: number, of: number) => `${int(n)} of ${int(of)}${of > 0 ? ` (${((100 * n) / of).toFixed(1)} %)` : ''}`;

/** The figures in words: what the skip rule drops (and why) and what the window keeps. */
export function suggestionLines(s: SettingsSuggestion, f: SuggestionFigures): { skip: string; window: string } {
  const l = s.limits;
  const why = [
    f.skip.contextTooLong ? `${count(f.skip.contextTooLong, 'context')} too long for ${l.maxSeqLen} tokens` : '',
    f.skip.answerTooLong ? `${count(f.skip.answerTooLong, 'answer')} over ${l.maxAnswerLen} tokens` : '',
    f.skip.questionTooLong ? `${count(f.skip.questionTooLong, 'question')} over ${l.maxQuestionLen} tokens` : '',
    f.skip.empty ? `${int(f.skip.empty)} empty` : '',
  ].filter(Boolean);
  return {
    skip: `skip (the study's rule) drops ${share(f.skip.dropped, f.items)} items${why.length ? `: ${why.join(', ')}` : ''}`,
    window: `window keeps ${share(f.window.kept, f.items)} items (${int(f.window.windowed)} with the context cut to a window around the answer)${
      f.window.dropped ? `, drops ${int(f.window.dropped)} (answer or question too long)` : ''
    }`,
  };
}
