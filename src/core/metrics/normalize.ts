// What the references are scored as. The generated questions come out of the BERT tokenizer (decode of the ids the
// model chose): lower-cased, accents stripped, characters outside the vocabulary gone. Scored raw, a reference keeps
// its case, so a Latin letter written upper-case ("CPU", "NBA") can never match. The study scored against
// references tokenized by the same BERT tokenizer (its testing_data_q_tok.txt); 'bert' puts each reference through
// the tokenizer the same way the hypotheses went (decode(encode(text))), 'none' scores the raw text.
import { charTokenString } from './charTokens';

export type ScoreNormalization = 'bert' | 'none';
export const SCORE_NORMALIZATIONS: readonly ScoreNormalization[] = ['bert', 'none'];
/** The normalisation of a recipe or command that does not name one: the study's. */
export const DEFAULT_SCORE_NORMALIZATION: ScoreNormalization = 'bert';

/** The two tokenizer calls that turn a text into what generation would give back. */
export interface RoundTripTokenizer {
  encodeText(text: string): number[];
  decode(ids: number[]): string;
}

/** The text as the tokenizer gives it back: what a generated question with the same ids reads as. */
export function bertNormalize(tok: RoundTripTokenizer, text: string): string {
  return tok.decode(tok.encodeText(text));
}

/** A reference as it is scored under `mode`. */
export function normalizeReference(tok: RoundTripTokenizer, text: string, mode: ScoreNormalization): string {
  return mode === 'bert' ? bertNormalize(tok, text) : text;
}

/** Whether `mode` changes what is scored of the text (its characters; whitespace is never scored). */
export function normalizationChanges(tok: RoundTripTokenizer, text: string, mode: ScoreNormalization): boolean {
  return mode !== 'none' && charTokenString(normalizeReference(tok, text, mode)) !== charTokenString(text);
}
