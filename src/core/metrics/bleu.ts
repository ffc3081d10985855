// BLEU-1..4 exactly as pycocoevalcap's Bleu(4) computes it (bleu_scorer.py, option='closest'), which nlg-eval uses.
// Hand-written: no JS package reproduces pycocoevalcap's smoothing (1e-15 / 1e-9), its 'closest' reference length
// with the shorter length winning ties, and its corpus aggregation; the algorithm is short.

export const BLEU_N = 4;
const TINY = 1e-15;
const SMALL = 1e-9;

/** The per-id counts BleuScorer keeps (`cook_test`), with the effective reference length already chosen. */
export interface BleuSegmentStats {
  testlen: number;
  /** closest reference length; on a tie the shorter one (`min((abs(l - testlen), l))`) */
  reflen: number;
  guess: number[];
  correct: number[];
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  // Tokens never contain a space (see charTokens), so ' ' is a safe n-gram separator.
  const counts = new Map<string, number>();
  for (let k = 1; k <= n; k++) {
    for (let i = 0; i + k <= tokens.length; i++) {
      const key = k === 1 ? tokens[i]! : tokens.slice(i, i + k).join(' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** `cook_refs` + `cook_test` for one id: clipped n-gram matches against the max count over references. */
export function bleuSegmentStats(hyp: readonly string[], refs: readonly (readonly string[])[], n = BLEU_N): BleuSegmentStats {
  if (refs.length === 0) throw new Error('BLEU needs at least one reference');
  const maxRef = new Map<string, number>();
  for (const ref of refs) {
    for (const [g, c] of ngramCounts(ref, n)) if (c > (maxRef.get(g) ?? 0)) maxRef.set(g, c);
  }
  const testlen = hyp.length;
  let best = refs[0]!.length;
  for (const ref of refs) {
    const l = ref.length;
    const d = Math.abs(l - testlen);
    const bd = Math.abs(best - testlen);
    if (d < bd || (d === bd && l < best)) best = l;
  }
  const guess = Array.from({ length: n }, (_, k) => Math.max(0, testlen - k));
  const correct = new Array<number>(n).fill(0);
  for (const [g, c] of ngramCounts(hyp, n)) {
    const k = countSpaces(g); // n-gram order - 1
    correct[k]! += Math.min(maxRef.get(g) ?? 0, c);
  }
  return { testlen, reflen: best, guess, correct };
}

function countSpaces(s: string): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 32) k++;
  return k;
}

/** The BleuScorer formula on one id or on corpus totals: [B1..Bn], same operation order as the Python code. */
export function bleuFromCounts(testlen: number, reflen: number, guess: readonly number[], correct: readonly number[]): number[] {
  const n = guess.length;
  const out: number[] = [];
  let bleu = 1;
  for (let k = 0; k < n; k++) {
    bleu *= (correct[k]! + TINY) / (guess[k]! + SMALL);
    out.push(Math.pow(bleu, 1 / (k + 1)));
  }
  const ratio = (testlen + TINY) / (reflen + SMALL);
  if (ratio < 1) {
    const bp = Math.exp(1 - 1 / ratio);
    for (let k = 0; k < n; k++) out[k]! *= bp;
  }
  return out;
}

export interface BleuTotals {
  testlen: number;
  reflen: number;
  guess: number[];
  correct: number[];
}

/** Sums the per-id counts as `BleuScorer.compute_score` does. */
export function bleuTotals(segments: readonly BleuSegmentStats[], n = BLEU_N): BleuTotals {
  const t: BleuTotals = { testlen: 0, reflen: 0, guess: new Array<number>(n).fill(0), correct: new Array<number>(n).fill(0) };
  for (const s of segments) {
    t.testlen += s.testlen;
    t.reflen += s.reflen;
    for (let k = 0; k < n; k++) {
      t.guess[k]! += s.guess[k]!;
      t.correct[k]! += s.correct[k]!;
    }
  }
  return t;
}

/** Corpus BLEU-1..n (the first value `Bleu(4).compute_score` returns). */
export function corpusBleu(segments: readonly BleuSegmentStats[], n = BLEU_N): number[] {
  const t = bleuTotals(segments, n);
  return bleuFromCounts(t.testlen, t.reflen, t.guess, t.correct);
}

/** Per-id BLEU-1..n (the second value `Bleu(4).compute_score` returns). */
export function sentenceBleu(s: BleuSegmentStats): number[] {
  return bleuFromCounts(s.testlen, s.reflen, s.guess, s.correct);
}
