import { describe, expect, it } from 'vitest';
import { charTokenString, charTokens, isPyWhitespace } from './charTokens';

describe('charTokens', () => {
  it('one token per non-whitespace character: CJK, digits, letters, punctuation', () => {
    expect(charTokens('在1969年BBC報導了什麼？')).toEqual(['在', '1', '9', '6', '9', '年', 'B', 'B', 'C', '報', '導', '了', '什', '麼', '？']);
    expect(charTokenString('a,b?「c」')).toBe('a , b ? 「 c 」');
  });

  it("drops Python's whitespace (incl. ideographic space, NBSP, U+001C..U+001F, U+0085), keeps U+FEFF", () => {
    expect(charTokens(' 誰\t發\n明\u3000了\u00a0電\u2028話\u001f？\u0085')).toEqual(['誰', '發', '明', '了', '電', '話', '？']);
    expect(isPyWhitespace(0xfeff)).toBe(false);
    expect(charTokens('a\ufeffb')).toEqual(['a', '\ufeff', 'b']);
  });

  it('no case folding, no NFKC; astral characters are one token', () => {
    expect(charTokens('Bb？?')).toEqual(['B', 'b', '？', '?']);
    expect(charTokens('𠀀字')).toEqual(['𠀀', '字']);
    expect(charTokens('')).toEqual([]);
  });
});
