// BERT WordPiece tokenizer on top of @huggingface/tokenizers (pure JS: Node, Web Worker, tests).
//
// fromVocab() builds the tokenizer.json that Hugging Face's BertTokenizerFast would save for a vocab.txt:
// BertNormalizer (clean text, CJK characters split out, lowercase + strip accents by default), BertPreTokenizer,
// WordPiece ('##' continuation, [UNK], 100 chars per word max), and the five specials as added tokens so that
// `[MASK]` etc. written inside a text are recognised as single tokens.
import { Tokenizer } from '@huggingface/tokenizers';

export const SPECIAL_TOKENS = {
  pad: '[PAD]',
  unk: '[UNK]',
  cls: '[CLS]',
  sep: '[SEP]',
  mask: '[MASK]',
} as const;
export type SpecialName = keyof typeof SPECIAL_TOKENS;
/** Order used by buildVocabFromTexts (ids 0..4 of a from-scratch vocabulary). */
export const SPECIAL_ORDER: readonly SpecialName[] = ['pad', 'unk', 'cls', 'sep', 'mask'];

export interface BertTokenizerOptions {
  /** Lowercase and strip accents (bert-base-chinese is uncased for Latin text). Default true. */
  lowercase?: boolean;
}

export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

type SpecialIds = { pad: number; unk: number; cls: number; sep: number; mask: number };

export class BertTokenizer {
  readonly vocabSize: number;
  readonly special: Readonly<SpecialIds>;
  /** id -> token (written out one a line, this is vocab.txt). */
  readonly vocab: string[];
  private readonly tokenToIdMap: Map<string, number>;
  private readonly specialIdSet: Set<number>;
  private readonly hf: Tokenizer;

  private constructor(vocab: string[], tokenizerJson: Record<string, unknown>) {
    this.vocab = vocab;
    this.vocabSize = vocab.length;
    this.tokenToIdMap = new Map();
    vocab.forEach((t, i) => this.tokenToIdMap.set(t, i)); // duplicates: the last wins, like HF load_vocab
    const missing = SPECIAL_ORDER.filter((n) => !this.tokenToIdMap.has(SPECIAL_TOKENS[n]));
    if (missing.length > 0) {
      throw new TokenizerError(
        `vocabulary is missing special token${missing.length > 1 ? 's' : ''} ` +
          `${missing.map((n) => SPECIAL_TOKENS[n]).join(', ')} (a BERT vocabulary needs ` +
          `${SPECIAL_ORDER.map((n) => SPECIAL_TOKENS[n]).join(', ')})`,
      );
    }
    const id = (n: SpecialName) => this.tokenToIdMap.get(SPECIAL_TOKENS[n])!;
    this.special = Object.freeze({ pad: id('pad'), unk: id('unk'), cls: id('cls'), sep: id('sep'), mask: id('mask') });
    this.specialIdSet = new Set(Object.values(this.special));
    try {
      this.hf = new Tokenizer(tokenizerJson, {});
    } catch (e) {
      throw new TokenizerError(`cannot build tokenizer: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** From the contents of a vocab.txt (one token a line; line number = id). */
  static fromVocab(vocabText: string, opts: BertTokenizerOptions = {}): BertTokenizer {
    const vocab = parseVocabText(vocabText);
    return new BertTokenizer(vocab, tokenizerJsonForVocab(vocab, opts));
  }

  /** From the contents of a Hugging Face tokenizer.json (a WordPiece model, as BertTokenizerFast saves it). */
  static fromTokenizerJson(json: unknown): BertTokenizer {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new TokenizerError('tokenizer.json: expected an object');
    }
    const obj = json as Record<string, unknown>;
    const model = obj.model as Record<string, unknown> | undefined;
    if (typeof model !== 'object' || model === null) throw new TokenizerError('tokenizer.json: missing "model"');
    if (model.type !== undefined && model.type !== 'WordPiece') {
      throw new TokenizerError(`tokenizer.json: model.type must be "WordPiece", got ${JSON.stringify(model.type)}`);
    }
    const v = model.vocab;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new TokenizerError('tokenizer.json: model.vocab must be an object mapping token -> id');
    }
    const vocab: string[] = [];
    for (const [tok, id] of Object.entries(v as Record<string, unknown>)) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
        throw new TokenizerError(`tokenizer.json: model.vocab[${JSON.stringify(tok)}] must be a non-negative integer`);
      }
      vocab[id] = tok;
    }
    const added = Array.isArray(obj.added_tokens) ? (obj.added_tokens as { id?: unknown; content?: unknown }[]) : [];
    for (const a of added) {
      if (typeof a?.id === 'number' && typeof a.content === 'string') vocab[a.id] = a.content;
    }
    // A vocab.txt with a repeated token (bert-base-chinese has some) leaves ids with no entry in the JSON map;
    // they can never be produced by encoding, so a placeholder keeps ids stable.
    for (let i = 0; i < vocab.length; i++) if (vocab[i] === undefined) vocab[i] = `[unused-id-${i}]`;
    // Make sure the specials are added tokens (recognised inside text) even when the file lacks added_tokens.
    const present = new Set(added.map((a) => a?.content));
    const extra = SPECIAL_ORDER.map((n) => SPECIAL_TOKENS[n])
      .filter((t) => !present.has(t) && vocab.includes(t))
      .map((t) => specialAddedToken(t, vocab.indexOf(t)));
    const full = {
      ...obj,
      added_tokens: [...added, ...extra],
      normalizer: obj.normalizer ?? null,
      pre_tokenizer: obj.pre_tokenizer ?? null,
      post_processor: obj.post_processor ?? null,
      decoder: obj.decoder ?? null,
    };
    return new BertTokenizer(vocab, full);
  }

  /** Word pieces, no special tokens added ([MASK] etc. written in the text stay single tokens). */
  tokenize(text: string): string[] {
    return this.hf.tokenize(text);
  }

  /** Ids of tokenize(text). */
  encodeText(text: string): number[] {
    return this.tokenize(text).map((t) => this.tokenToIdMap.get(t) ?? this.special.unk);
  }

  /** [CLS] text [SEP]. */
  encode(text: string): { ids: number[]; tokens: string[] } {
    const tokens = [SPECIAL_TOKENS.cls, ...this.tokenize(text), SPECIAL_TOKENS.sep];
    return { ids: tokens.map((t) => this.tokenToIdMap.get(t) ?? this.special.unk), tokens };
  }

  /**
   * Text of ids: special tokens ([PAD] [UNK] [CLS] [SEP] [MASK]) dropped, '##' pieces glued to the previous piece,
   * one space between two Latin/digit words ("hello world") and none elsewhere (next to CJK characters and
   * punctuation: "50,000", "80-90%", "iphone手機").
   */
  decode(ids: number[]): string {
    let out = '';
    for (const id of ids) {
      if (this.specialIdSet.has(id)) continue;
      const tok = this.vocab[id];
      if (tok === undefined) continue;
      if (tok.startsWith('##') && tok.length > 2) {
        out += tok.slice(2);
        continue;
      }
      if (out.length > 0 && needsSpace(lastChar(out), firstChar(tok))) out += ' ';
      out += tok;
    }
    return out;
  }

  idToToken(id: number): string {
    const t = this.vocab[id];
    if (t === undefined) throw new TokenizerError(`token id ${id} is outside the vocabulary (size ${this.vocabSize})`);
    return t;
  }

  tokenToId(token: string): number | undefined {
    return this.tokenToIdMap.get(token);
  }
}

/** Lines of a vocab.txt (a final newline does not add an empty token; CRLF accepted). */
export function parseVocabText(vocabText: string): string[] {
  const lines = vocabText.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new TokenizerError('vocabulary is empty');
  return lines;
}

function specialAddedToken(content: string, id: number) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** The tokenizer.json Hugging Face's BertTokenizerFast would save for this vocabulary. */
export function tokenizerJsonForVocab(vocab: string[], opts: BertTokenizerOptions = {}): Record<string, unknown> {
  const lowercase = opts.lowercase ?? true;
  const map: Record<string, number> = {};
  vocab.forEach((t, i) => (map[t] = i));
  const added = SPECIAL_ORDER.map((n) => SPECIAL_TOKENS[n])
    .filter((t) => t in map)
    .map((t) => specialAddedToken(t, map[t]!))
    .sort((a, b) => a.id - b.id);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: lowercase,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: SPECIAL_TOKENS.unk,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: map,
    },
  };
}

/** BERT's _is_chinese_char ranges (CJK ideographs; not Hangul/kana). */
export function isCjkChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** A space goes only between two word characters (letters or digits) that are not CJK ideographs. */
function needsSpace(prev: number, next: number): boolean {
  return isWordChar(prev) && isWordChar(next);
}

function isWordChar(cp: number): boolean {
  return !isCjkChar(cp) && /[\p{L}\p{N}]/u.test(String.fromCodePoint(cp));
}

function firstChar(s: string): number {
  return s.codePointAt(0) ?? 0;
}
function lastChar(s: string): number {
  const c = s.charCodeAt(s.length - 1);
  if (c >= 0xdc00 && c <= 0xdfff && s.length >= 2) return s.codePointAt(s.length - 2) ?? c;
  return c;
}

/**
 * A character vocabulary for a from-scratch model: [PAD] [UNK] [CLS] [SEP] [MASK], then every character seen
 * (after the tokenizer's lowercasing / accent stripping; whitespace and control characters left out), sorted by
 * code point. Characters that can continue a word (not CJK, not punctuation) also get their '##' piece, listed
 * after the plain characters, so that words such as "19" or "ipad" tokenize to characters instead of [UNK].
 */
export function buildVocabFromTexts(texts: Iterable<string>): string[] {
  const chars = new Set<number>();
  for (const text of texts) {
    const norm = text.toLowerCase().normalize('NFD');
    for (const ch of norm) {
      const cp = ch.codePointAt(0)!;
      if (/[\s\p{Cc}\p{Cf}\p{Mn}]/u.test(ch) || cp === 0xfffd) continue;
      chars.add(cp);
    }
  }
  const sorted = [...chars].sort((a, b) => a - b);
  const continuing = sorted.filter((cp) => !isCjkChar(cp) && !/[\p{P}\p{S}]/u.test(String.fromCodePoint(cp)));
  const specials = SPECIAL_ORDER.map((n) => SPECIAL_TOKENS[n] as string);
  const specialSet = new Set(specials);
  return [
    ...specials,
    ...sorted.map((cp) => String.fromCodePoint(cp)).filter((c) => !specialSet.has(c)),
    ...continuing.map((cp) => '##' + String.fromCodePoint(cp)),
  ];
}
