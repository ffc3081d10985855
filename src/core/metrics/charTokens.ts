// Character tokenization used by every metric: the study scores Chinese questions on characters, exactly as
// nlg-eval received them (see ../shared/fixtures/metrics/README.md, "Tokenization").
// Hand-written (no dependency): it is a few lines and must follow Python's notion of whitespace exactly.

/**
 * Code points that Python's `str.isspace()` (and so `str.split()`) treats as whitespace. JavaScript's `\s` differs
 * (it includes U+FEFF and lacks U+001C..U+001F and U+0085), so the set is spelled out.
 */
export function isPyWhitespace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    (cp >= 0x1c && cp <= 0x20) ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/**
 * Every non-whitespace Unicode character (code point) is one token: CJK characters, ASCII digits and Latin letters
 * one each (`2010` -> `2 0 1 0`), ASCII and full-width punctuation. Whitespace is dropped; no case folding, no NFKC.
 */
export function charTokens(text: string): string[] {
  const out: string[] = [];
  for (const ch of text) {
    if (!isPyWhitespace(ch.codePointAt(0)!)) out.push(ch);
  }
  return out;
}

/** The string the Python scorers receive: the tokens joined by single spaces. */
export function charTokenString(text: string): string {
  return charTokens(text).join(' ');
}
