// The line-by-line port of Meteor 1.5's Aligner.resolve (edu.cmu.meteor.aligner.{Aligner, PartialAlignment, Stage,
// ExactMatcher}), exact module only, as src/core/metrics/meteor.ts had it before its aligner was made bounded: every
// path copies its arrays and every candidate of every beam path becomes a path, so it takes time and memory
// O(beam x candidates x length) per reference word (300 identical characters: ~40 s). Kept only as the oracle that
// meteor.test.ts compares the bounded aligner with on many small inputs, and as the "before" of
// scripts/bench/metrics.ts. Not used by the lab.
import { javaHashCode } from '../meteor';

/** Aligner.align weights (MeteorScorer.loadConfiguration: 1, 0.5, 0.5, 0.5); only the exact one is used here. */
const ALIGN_WEIGHTS = [1.0, 0.5, 0.5, 0.5] as const;
const MODULE_EXACT = 0;

/** One candidate match: `length` words at `start` in line 2 (reference) to `matchLength` words at `matchStart` in line 1 (test). */
interface Match {
  start: number;
  length: number;
  matchStart: number;
  matchLength: number;
  module: number;
}

class PartialAlignment {
  matches: (Match | null)[];
  matchCount = 0;
  matches1 = 0; // Java int fields: weighted additions are truncated
  matches2 = 0;
  allMatches1 = 0;
  allMatches2 = 0;
  chunks = 0;
  idx = 0;
  lastMatchEnd = -1;
  distance = 0;
  line1UsedWords: Uint8Array;
  line2UsedWords: Uint8Array;

  constructor(matches: (Match | null)[], line1UsedWords: Uint8Array, line2UsedWords: Uint8Array) {
    this.matches = matches.slice();
    this.line1UsedWords = line1UsedWords.slice();
    this.line2UsedWords = line2UsedWords.slice();
  }

  copy(): PartialAlignment {
    const p = new PartialAlignment(this.matches, this.line1UsedWords, this.line2UsedWords);
    p.matchCount = this.matchCount;
    p.matches1 = this.matches1;
    p.matches2 = this.matches2;
    p.allMatches1 = this.allMatches1;
    p.allMatches2 = this.allMatches2;
    p.chunks = this.chunks;
    p.idx = this.idx;
    p.lastMatchEnd = this.lastMatchEnd;
    p.distance = this.distance;
    return p;
  }

  isUsed(m: Match): boolean {
    for (let i = 0; i < m.length; i++) if (this.line2UsedWords[m.start + i]) return true;
    for (let i = 0; i < m.matchLength; i++) if (this.line1UsedWords[m.matchStart + i]) return true;
    return false;
  }

  setUsed(m: Match, b: boolean): void {
    for (let i = 0; i < m.length; i++) this.line2UsedWords[m.start + i] = b ? 1 : 0;
    for (let i = 0; i < m.matchLength; i++) this.line1UsedWords[m.matchStart + i] = b ? 1 : 0;
  }
}

/** Constants.PARTIAL_COMPARE_TOTAL: more weighted matches, then fewer chunks, then smaller distance. */
function compareTotal(x: PartialAlignment, y: PartialAlignment): number {
  const matchDiff = y.matches1 + y.matches2 - (x.matches1 + x.matches2);
  if (matchDiff > 0) return 1;
  if (matchDiff < 0) return -1;
  const chunkDiff = x.chunks - y.chunks;
  if (chunkDiff !== 0) return chunkDiff;
  return (x.distance - y.distance) | 0; // Java int subtraction
}

/** Java `int += double` compound assignment (narrowing truncates toward zero). */
const addInt = (a: number, b: number): number => Math.trunc(a + b);

/** Aligner.resolve: beam search left to right over line 2, ported with its quirks. */
function resolve(candidates: Match[][], start: PartialAlignment, beamSize: number): PartialAlignment {
  let paths: PartialAlignment[];
  let nextPaths: PartialAlignment[] = [start];
  const n = candidates.length;
  for (let current = 0; current <= n; current++) {
    paths = nextPaths;
    nextPaths = [];
    paths.sort(compareTotal); // stable, like Collections.sort
    for (let rank = 0; rank < beamSize && rank < paths.length; rank++) {
      const path = paths[rank]!;
      // Path is complete: close the last chunk
      if (current === n) {
        if (path.lastMatchEnd !== -1) path.chunks++;
        nextPaths.push(path);
        continue;
      }
      // Current word is in use
      if (path.line2UsedWords[current]) {
        if (current < path.idx) {
          // still inside a match
          nextPaths.push(path);
        } else if (path.matches[path.idx] != null) {
          // fixed (one-to-one) match
          const m = path.matches[path.idx]!;
          path.matchCount++;
          path.matches1 = addInt(path.matches1, m.matchLength * ALIGN_WEIGHTS[m.module]!);
          path.matches2 = addInt(path.matches2, m.length * ALIGN_WEIGHTS[m.module]!);
          path.allMatches1 += m.matchLength;
          path.allMatches2 += m.length;
          if (path.lastMatchEnd !== -1 && m.matchStart !== path.lastMatchEnd) path.chunks++;
          path.idx = m.start + m.length;
          path.lastMatchEnd = m.matchStart + m.matchLength;
          path.distance = (path.distance + Math.abs(m.start - m.matchStart)) | 0; // Java int
          nextPaths.push(path);
        }
        continue;
      }
      // Several possible matches starting here
      for (const m of candidates[current]!) {
        if (path.isUsed(m)) continue;
        const newPath = path.copy();
        newPath.setUsed(m, true);
        newPath.matches[current] = m;
        newPath.matchCount++;
        newPath.matches1 = addInt(newPath.matches1, m.matchLength * ALIGN_WEIGHTS[m.module]!);
        newPath.matches2 = addInt(newPath.matches2, m.length * ALIGN_WEIGHTS[m.module]!);
        newPath.allMatches1 += m.matchLength;
        newPath.allMatches2 += m.length;
        if (newPath.lastMatchEnd !== -1 && m.matchStart !== newPath.lastMatchEnd) newPath.chunks++;
        newPath.idx = m.start + m.length;
        newPath.lastMatchEnd = m.matchStart + m.matchLength;
        // Quirk kept from Aligner.java: the distance is added to the *parent* path, so it lands on the siblings
        // created after this one and on the skip path, not on newPath.
        path.distance = (path.distance + Math.abs(m.start - m.matchStart)) | 0; // Java int
        nextPaths.push(newPath);
      }
      // Try skipping this index
      if (path.lastMatchEnd !== -1) {
        path.chunks++;
        path.lastMatchEnd = -1;
      }
      path.idx++;
      nextPaths.push(path);
    }
    if (nextPaths.length === 0) nextPaths.push(paths[0]!); // "unexpected conditions" fallback of the Java code
  }
  nextPaths.sort(compareTotal);
  return nextPaths[0]!;
}

/** Aligner.getCountAndChunks: [line1 matches, line2 matches, chunks] recounted from the chosen matches. */
function countAndChunks(matches: readonly (Match | null)[]): [number, number, number] {
  let matches1 = 0;
  let matches2 = 0;
  let chunks = 0;
  let idx = 0;
  let lastMatchEnd = -1;
  while (idx < matches.length) {
    const m = matches[idx];
    if (m == null) {
      if (lastMatchEnd !== -1) {
        chunks++;
        lastMatchEnd = -1;
      }
      idx++;
    } else {
      matches1 += m.matchLength;
      matches2 += m.length;
      if (lastMatchEnd !== -1 && m.matchStart !== lastMatchEnd) chunks++;
      idx = m.start + m.length;
      lastMatchEnd = m.matchStart + m.matchLength;
    }
  }
  if (lastMatchEnd !== -1) chunks++;
  return [matches1, matches2, chunks];
}

/** What the differential test compares: the chosen match of each reference word and the recounted totals. */
export interface LiteralAlignment {
  refToTest: number[];
  line1Matches: number;
  line2Matches: number;
  numChunks: number;
}

/** Aligner.align with the exact module only, on normalized tokens (test = line 1, reference = line 2). */
export function meteorAlignLiteral(test: readonly string[], ref: readonly string[], beamSize = 40): LiteralAlignment {
  const keys1 = test.map(javaHashCode);
  const keys2 = ref.map(javaHashCode);
  const n1 = keys1.length;
  const n2 = keys2.length;
  const candidates: Match[][] = Array.from({ length: n2 }, () => []);
  const cov1 = new Int32Array(n1);
  const cov2 = new Int32Array(n2);
  // ExactMatcher: for each reference position j, every test position i with the same word, increasing i
  for (let j = 0; j < n2; j++) {
    for (let i = 0; i < n1; i++) {
      if (keys1[i] === keys2[j]) {
        candidates[j]!.push({ start: j, length: 1, matchStart: i, matchLength: 1, module: MODULE_EXACT });
        cov1[i]!++;
        cov2[j]!++;
      }
    }
  }
  // (Aligner.align runs only the exact module for identical sentences; with exact-only matching that is always so.)
  const initial = new PartialAlignment(new Array<Match | null>(n2).fill(null), new Uint8Array(n1), new Uint8Array(n2));
  // One-to-one, non-overlapping matches are definite
  for (let i = 0; i < n2; i++) {
    if (candidates[i]!.length !== 1) continue;
    const m = candidates[i]![0]!;
    let overlap = false;
    for (let j = 0; j < m.length; j++) if (cov2[i + j] !== 1) overlap = true;
    for (let j = 0; j < m.matchLength; j++) if (cov1[m.matchStart + j] !== 1) overlap = true;
    if (!overlap) {
      initial.matches[i] = m;
      for (let j = 0; j < m.length; j++) initial.line2UsedWords[i + j] = 1;
      for (let j = 0; j < m.matchLength; j++) initial.line1UsedWords[m.matchStart + j] = 1;
    }
  }
  const best = resolve(candidates, initial, beamSize);

  const refToTest = new Array<number>(n2).fill(-1);
  for (const m of best.matches) if (m != null) for (let j = 0; j < m.length; j++) refToTest[m.start + j] = m.matchStart + j;
  const [line1Matches, line2Matches, numChunks] = countAndChunks(best.matches);
  return { refToTest, line1Matches, line2Matches, numChunks };
}
