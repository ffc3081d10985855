import { promptFor, type EncodedItem } from '../data/sqgExamples';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import type { PromptOf } from './batchedDecode';
import { beamSearch } from './beamSearch';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_LEN } from './decodeOptions';
import { greedySearch } from './greedy';
import { scorerFromModel, type MaskedLmModel, type NextTokenScorer } from './nextTokenScorer';

export interface GenerateOptions {
  strategy: 'greedy' | 'beam';
  /** beam width k (default 3); ignored by greedy */
  beamSize?: number;
  /** most generated tokens, [SEP] included (default 42) */
  maxLen?: number;
  /** items decoded together (default 32); a beam item takes up to beamSize rows */
  batchSize?: number;
  /** start the longest prompts first, for less padding (default true) */
  longestFirst?: boolean;
}

export interface GeneratedQuestion {
  id: string;
  /** question ids without [SEP] */
  ids: number[];
  text: string;
}

function isScorer(x: MaskedLmModel | NextTokenScorer): x is NextTokenScorer {
  return typeof (x as NextTokenScorer).score === 'function';
}

/**
 * Generates one question per item (BERT-SQG: `[CLS] context [SEP] answer [SEP] q1..qi [MASK]`, one token per
 * step until [SEP]), batched; results in input order. `model` may also be a raw NextTokenScorer (tests).
 */
export async function generateQuestions(
  model: MaskedLmModel | NextTokenScorer,
  tok: BertTokenizer,
  items: readonly EncodedItem[],
  opts: GenerateOptions,
): Promise<GeneratedQuestion[]> {
  if (opts.strategy !== 'greedy' && opts.strategy !== 'beam') {
    throw new RangeError(`strategy must be 'greedy' or 'beam', got ${JSON.stringify(opts.strategy)}`);
  }
  const scorer = isScorer(model) ? model : scorerFromModel(model);
  if (scorer.vocabSize !== tok.vocabSize) {
    throw new Error(`the model's vocabulary (${scorer.vocabSize} tokens) does not match the tokenizer's (${tok.vocabSize})`);
  }
  const promptOf: PromptOf = (i, prefix) => promptFor(tok, items[i].contextIds, items[i].answerIds, prefix as number[]);
  const decodeOpts = {
    eosId: tok.special.sep,
    maxLen: opts.maxLen ?? DEFAULT_MAX_LEN,
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    longestFirst: opts.longestFirst,
  };
  const decoded =
    opts.strategy === 'beam'
      ? await beamSearch(scorer, items.length, promptOf, { ...decodeOpts, beamSize: opts.beamSize ?? 3 })
      : await greedySearch(scorer, items.length, promptOf, decodeOpts);
  return decoded.map((d, i) => ({ id: items[i].id, ids: d.ids, text: tok.decode(d.ids) }));
}
