import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BertTokenizer, buildVocabFromTexts, tokenizerJsonForVocab, parseVocabText } from './bertTokenizer';
import { withShared } from '../../testing/withShared';

const shared = withShared('bertTokenizer.test', 'vocab/bert-base-chinese-vocab.txt');

shared.describe('BertTokenizer (bert-base-chinese vocab)', () => {
  const vocabText = readFileSync(shared.path('vocab/bert-base-chinese-vocab.txt'), 'utf8');
  const tok = BertTokenizer.fromVocab(vocabText);

  it('has the vocabulary and special ids of bert-base-chinese', () => {
    expect(tok.vocabSize).toBe(21128);
    expect(tok.special).toEqual({ pad: 0, unk: 100, cls: 101, sep: 102, mask: 103 });
    expect(tok.idToToken(103)).toBe('[MASK]');
    expect(tok.tokenToId('[CLS]')).toBe(101);
    expect(tok.tokenToId('no-such-token')).toBeUndefined();
    expect(() => tok.idToToken(999999)).toThrow(/outside the vocabulary/);
  });

  it('encodes the reference vector, recognising special tokens inside the text', () => {
    const enc = tok.encode('今[MASK]天[MASK]是大[MASK]陽');
    expect(enc.ids).toEqual([101, 791, 103, 1921, 103, 3221, 1920, 103, 7382, 102]);
    expect(enc.tokens[0]).toBe('[CLS]');
    expect(enc.tokens.at(-1)).toBe('[SEP]');
    expect(tok.encodeText('今[MASK]天')).toEqual([791, 103, 1921]);
  });

  it('lowercases, strips accents and splits word pieces', () => {
    expect(tok.tokenize('Héllo WORLD')).toEqual(['hello', 'world']);
    expect(tok.tokenize('19世紀')).toEqual(['19', '世', '紀']);
    expect(tok.tokenize('')).toEqual([]);
    expect(tok.tokenize('x'.repeat(101))).toEqual(['[UNK]']); // max_input_chars_per_word 100
  });

  it('decodes CJK without spaces, joins ## pieces, drops specials', () => {
    const text = '天城文在何時成為梵語的標準書寫系統？';
    expect(tok.decode(tok.encode(text).ids)).toBe(text);
    const mixed = '自19世紀晚期，iphone手機與hello world在台灣。';
    expect(tok.decode(tok.encodeText(mixed))).toBe(mixed);
    for (const t of ['多約50,000人？', '佔80-90%都', '3×10^23顆', '威廉·h·蓋茨大樓?', 'a b 1 2']) {
      expect(tok.decode(tok.encodeText(t))).toBe(t);
    }
    const pieces = tok.encodeText('unaffable');
    expect(pieces.length).toBeGreaterThan(1);
    expect(tok.decode(pieces)).toBe('unaffable');
    expect(tok.decode([101, 0, 0, 102])).toBe('');
    expect(tok.decode([])).toBe('');
  });

  it('accepts the tokenizer.json it would build, with the same behaviour', () => {
    const t2 = BertTokenizer.fromTokenizerJson(JSON.parse(JSON.stringify(tokenizerJsonForVocab(tok.vocab))));
    expect(t2.vocabSize).toBe(tok.vocabSize);
    expect(t2.encode('今[MASK]天[MASK]是大[MASK]陽').ids).toEqual([101, 791, 103, 1921, 103, 3221, 1920, 103, 7382, 102]);
    // bert-base-chinese repeats some tokens (e.g. '##s' at 8118): the JSON map keeps the last id, like HF
    const differs = t2.vocab.flatMap((t, i) => (t === tok.vocab[i] ? [] : [i]));
    expect(differs).toContain(8118);
    expect(differs.every((i) => tok.vocab.lastIndexOf(tok.vocab[i]!) !== i)).toBe(true);
    expect(t2.tokenToId('##s')).toBe(tok.tokenToId('##s'));
  });

  it('can keep case', () => {
    const cased = BertTokenizer.fromVocab(vocabText, { lowercase: false });
    expect(cased.tokenize('Hello')).not.toEqual(['hello']);
  });
});

describe('validation', () => {
  it('names the missing special tokens', () => {
    expect(() => BertTokenizer.fromVocab('[PAD]\n[UNK]\n[CLS]\na\n')).toThrow(/missing special tokens \[SEP\], \[MASK\]/);
    expect(() => BertTokenizer.fromVocab('')).toThrow(/empty/);
  });
  it('rejects a tokenizer.json that is not WordPiece or has holes', () => {
    expect(() => BertTokenizer.fromTokenizerJson(null)).toThrow(/expected an object/);
    expect(() => BertTokenizer.fromTokenizerJson({ model: { type: 'BPE', vocab: {}, merges: [] } })).toThrow(/WordPiece/);
    expect(() => BertTokenizer.fromTokenizerJson({ model: { type: 'WordPiece', vocab: { a: -1 } } })).toThrow(
      /non-negative integer/,
    );
    expect(() =>
      BertTokenizer.fromTokenizerJson({ model: { type: 'WordPiece', vocab: { '[PAD]': 0, '[UNK]': 1 } } }),
    ).toThrow(/missing special tokens \[CLS\], \[SEP\], \[MASK\]/);
  });
  it('parses vocab.txt with CRLF and a final newline', () => {
    expect(parseVocabText('a\r\nb\r\n')).toEqual(['a', 'b']);
  });
});

describe('buildVocabFromTexts', () => {
  it('puts the specials first, then sorted characters, then ## pieces for word characters', () => {
    const v = buildVocabFromTexts(['台北市 位於台灣。', 'iPad 19']);
    expect(v.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    const chars = v.slice(5).filter((t) => !t.startsWith('##'));
    expect(chars).toEqual([...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
    expect(chars).toContain('台');
    expect(chars).toContain('a'); // lowercased
    expect(chars).not.toContain('A');
    expect(chars).not.toContain(' ');
    expect(v).toContain('##9');
    expect(v).not.toContain('##台');
    expect(v).not.toContain('##。');
    expect(new Set(v).size).toBe(v.length);
  });
  it('gives a working tokenizer for from-scratch models', () => {
    const t = BertTokenizer.fromVocab(buildVocabFromTexts(['台北市位於台灣北部，人口約260萬。iPad']).join('\n'));
    expect(t.special).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
    const ids = t.encodeText('台北人口約260萬，ipad');
    expect(ids).not.toContain(t.special.unk);
    expect(t.decode(ids)).toBe('台北人口約260萬，ipad');
    expect(t.encodeText('東京')).toEqual([1, 1]);
  });
});
