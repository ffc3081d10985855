// METEOR 1.5 as coco-caption / nlg-eval run it (`java -jar meteor-1.5.jar - - -stdio -l en -norm`), ported to
// TypeScript. Hand-written because METEOR 1.5 exists only as a Java jar: no JS package reproduces its aligner, its
// sufficient statistics or its corpus aggregation.
//
// Only the exact-match module is ported. With `-l en` the jar also runs stem (Snowball English), synonym (WordNet)
// and paraphrase modules, but those never fire on Chinese characters: the stemmer leaves a CJK character unchanged,
// WordNet has no CJK entries and the English paraphrase table contains none, so CJK tokens only ever match exactly
// (their stats columns are always 0; see ../shared/fixtures/metrics/README.md). Caveat for non-CJK tokens: a few
// single Latin letters are WordNet synonyms of digits (Roman numerals: i/1, v/5, x/10, ...); the real jar could align
// such a pair with the synonym module where this port leaves them unmatched. The golden corpus has no such pair.
//
// Sources ported: edu.cmu.meteor.aligner.{Aligner.align, Aligner.resolve, Aligner.getCountAndChunks, ExactMatcher,
// Stage, PartialAlignment}, edu.cmu.meteor.scorer.MeteorScorer.{getMeteorStats, computeMetrics},
// edu.cmu.meteor.scorer.MeteorStats.addStats, Constants.PARTIAL_COMPARE_TOTAL.

/** English 'rank' task parameters (Constants.PARAM_RANK[LANG_EN]). */
export const METEOR_ALPHA = 0.85;
export const METEOR_BETA = 0.2;
export const METEOR_GAMMA = 0.6;
export const METEOR_DELTA = 0.75;
/** Scoring weights of the modules exact, stem, synonym, paraphrase (Constants.WEIGHT_RANK[LANG_EN]). */
export const METEOR_MODULE_WEIGHTS = [1.0, 0.6, 0.8, 0.6] as const;
/** Weights the aligner ranks partial alignments with (MeteorScorer.loadConfiguration sets 1, 0.5, 0.5, 0.5). */
const ALIGN_WEIGHTS = [1.0, 0.5, 0.5, 0.5] as const;
const MODULE_COUNT = 4;
const MODULE_EXACT = 0;
/** Constants.DEFAULT_BEAM_SIZE */
export const METEOR_BEAM_SIZE = 40;

/**
 * Function words of Meteor 1.5's `resources/function/english.words`, as far as they can ever matter here: the lab's
 * tokens are single characters, so only the list's single-character entries can equal a token (its multi-character
 * entries, English words such as "the", never can). These are the single-character entries the fixture README
 * documents ("a i s ? , . - ' \" ( ) $ : — “ ” ’"); the golden per-id function-word counts confirm them and confirm
 * that digits, the other Latin letters, `·` and full-width punctuation (`？` `，` `、` `「` `」` `《` `》`) are not function
 * words. Membership is tested after lowercasing.
 */
export const METEOR_FUNCTION_CHARS: ReadonlySet<string> = new Set([
  'a', 'i', 's', '?', ',', '.', '-', "'", '"', '(', ')', '$', ':', '\u2014', '\u201c', '\u201d', '\u2019',
]);

/**
 * Normalizer (`-norm`, English) on one pre-split token: padding punctuation with spaces is a no-op for a single
 * character, so what remains is the quote / dash mapping (‘ ’ ` -> ', “ ” -> ", – -> -) and lowercasing.
 */
export function meteorNormalizeToken(token: string): string {
  let t = token;
  if (t === '\u2018' || t === '\u2019' || t === '`') t = "'";
  else if (t === '\u201c' || t === '\u201d') t = '"';
  else if (t === '\u2013') t = '-';
  return t.toLowerCase();
}

/** Java `String.hashCode` (Stage compares words by these keys). */
export function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

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
  return x.distance - y.distance;
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
          path.distance += Math.abs(m.start - m.matchStart);
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
        path.distance += Math.abs(m.start - m.matchStart);
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

/** Result of aligning one test (line 1) against one reference (line 2). */
export interface MeteorAlignment {
  /** matches[j]: index in the test aligned to reference word j, or -1 */
  refToTest: number[];
  contentMatches1: number[];
  contentMatches2: number[];
  functionMatches1: number[];
  functionMatches2: number[];
  testFunctionWords: number;
  refFunctionWords: number;
  line1Matches: number;
  line2Matches: number;
  numChunks: number;
}

/** Aligner.align with the exact module only, on normalized tokens (test = line 1, reference = line 2). */
export function meteorAlign(test: readonly string[], ref: readonly string[], beamSize = METEOR_BEAM_SIZE): MeteorAlignment {
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

  const isFunc1 = test.map((w) => METEOR_FUNCTION_CHARS.has(w.toLowerCase()));
  const isFunc2 = ref.map((w) => METEOR_FUNCTION_CHARS.has(w.toLowerCase()));
  const contentMatches1 = new Array<number>(MODULE_COUNT).fill(0);
  const contentMatches2 = new Array<number>(MODULE_COUNT).fill(0);
  const functionMatches1 = new Array<number>(MODULE_COUNT).fill(0);
  const functionMatches2 = new Array<number>(MODULE_COUNT).fill(0);
  const refToTest = new Array<number>(n2).fill(-1);
  for (const m of best.matches) {
    if (m == null) continue;
    for (let j = 0; j < m.matchLength; j++) {
      if (isFunc1[m.matchStart + j]) functionMatches1[m.module]!++;
      else contentMatches1[m.module]!++;
    }
    for (let j = 0; j < m.length; j++) {
      if (isFunc2[m.start + j]) functionMatches2[m.module]!++;
      else contentMatches2[m.module]!++;
      refToTest[m.start + j] = m.matchStart + j;
    }
  }
  const [line1Matches, line2Matches, numChunks] = countAndChunks(best.matches);
  return {
    refToTest,
    contentMatches1,
    contentMatches2,
    functionMatches1,
    functionMatches2,
    testFunctionWords: isFunc1.filter(Boolean).length,
    refFunctionWords: isFunc2.filter(Boolean).length,
    line1Matches,
    line2Matches,
    numChunks,
  };
}

/** MeteorStats: the 23 sufficient statistics the jar prints, plus the totals it derives from them. */
export interface MeteorStats {
  testLength: number;
  referenceLength: number;
  testFunctionWords: number;
  referenceFunctionWords: number;
  testStageMatchesContent: number[];
  referenceStageMatchesContent: number[];
  testStageMatchesFunction: number[];
  referenceStageMatchesFunction: number[];
  chunks: number;
  testWordMatches: number;
  referenceWordMatches: number;
  testTotalMatches: number;
  referenceTotalMatches: number;
}

function statsFromAlignment(test: readonly string[], ref: readonly string[], a: MeteorAlignment): MeteorStats {
  const s: MeteorStats = {
    testLength: test.length,
    referenceLength: ref.length,
    testFunctionWords: a.testFunctionWords,
    referenceFunctionWords: a.refFunctionWords,
    testStageMatchesContent: a.contentMatches1.slice(),
    referenceStageMatchesContent: a.contentMatches2.slice(),
    testStageMatchesFunction: a.functionMatches1.slice(),
    referenceStageMatchesFunction: a.functionMatches2.slice(),
    chunks: a.numChunks,
    testWordMatches: 0,
    referenceWordMatches: 0,
    testTotalMatches: 0,
    referenceTotalMatches: 0,
  };
  for (let i = 0; i < MODULE_COUNT; i++) {
    s.testTotalMatches += s.testStageMatchesContent[i]! + s.testStageMatchesFunction[i]!;
    s.referenceTotalMatches += s.referenceStageMatchesContent[i]! + s.referenceStageMatchesFunction[i]!;
    s.testWordMatches += a.contentMatches1[i]! + a.functionMatches1[i]!;
    s.referenceWordMatches += a.contentMatches2[i]! + a.functionMatches2[i]!;
  }
  return s;
}

/** MeteorScorer.computeMetrics: the score of a set of statistics (one segment or the corpus sum). */
export function meteorScore(s: MeteorStats): number {
  const delta = METEOR_DELTA;
  const alpha = METEOR_ALPHA;
  const w = METEOR_MODULE_WEIGHTS;
  const testWeightedLength = delta * (s.testLength - s.testFunctionWords) + (1.0 - delta) * s.testFunctionWords;
  const referenceWeightedLength =
    delta * (s.referenceLength - s.referenceFunctionWords) + (1.0 - delta) * s.referenceFunctionWords;
  let testWeightedMatches = 0;
  let referenceWeightedMatches = 0;
  for (let i = 0; i < w.length; i++) testWeightedMatches += s.testStageMatchesContent[i]! * w[i]! * delta;
  for (let i = 0; i < w.length; i++) referenceWeightedMatches += s.referenceStageMatchesContent[i]! * w[i]! * delta;
  for (let i = 0; i < w.length; i++) testWeightedMatches += s.testStageMatchesFunction[i]! * w[i]! * (1.0 - delta);
  for (let i = 0; i < w.length; i++)
    referenceWeightedMatches += s.referenceStageMatchesFunction[i]! * w[i]! * (1.0 - delta);
  const precision = testWeightedMatches / testWeightedLength;
  const recall = referenceWeightedMatches / referenceWeightedLength;
  const fMean = 1.0 / ((1.0 - alpha) / precision + alpha / recall);
  let frag: number;
  if (s.testTotalMatches === s.testLength && s.referenceTotalMatches === s.referenceLength && s.chunks === 1) frag = 0;
  else frag = s.chunks / ((s.testWordMatches + s.referenceWordMatches) / 2);
  const fragPenalty = METEOR_GAMMA * Math.pow(frag, METEOR_BETA);
  const score = fMean * (1.0 - fragPenalty);
  return Number.isNaN(score) ? 0 : Math.max(score, 0.0);
}

/**
 * MeteorScorer.getMeteorStats(test, references) on character tokens: normalizes, aligns against every reference
 * and keeps the statistics of the best-scoring one (strictly greater wins, so the first one on a tie).
 */
export function meteorSegmentStats(hyp: readonly string[], refs: readonly (readonly string[])[]): MeteorStats {
  if (refs.length === 0) throw new Error('METEOR needs at least one reference');
  const test = hyp.map(meteorNormalizeToken);
  let best: MeteorStats | undefined;
  let bestScore = -1;
  for (const r of refs) {
    const ref = r.map(meteorNormalizeToken);
    const stats = statsFromAlignment(test, ref, meteorAlign(test, ref));
    const score = meteorScore(stats);
    if (score > bestScore) {
      best = stats;
      bestScore = score;
    }
  }
  return best!;
}

/** The 23 numbers the jar prints for a segment (`tstLen refLen tstFunc refFunc`, 4 × (tc rc tf rf), chunks, tstWM refWM). */
export function meteorStatsArray(s: MeteorStats): number[] {
  const out = [s.testLength, s.referenceLength, s.testFunctionWords, s.referenceFunctionWords];
  for (let i = 0; i < MODULE_COUNT; i++) {
    out.push(
      s.testStageMatchesContent[i]!,
      s.referenceStageMatchesContent[i]!,
      s.testStageMatchesFunction[i]!,
      s.referenceStageMatchesFunction[i]!,
    );
  }
  out.push(s.chunks, s.testWordMatches, s.referenceWordMatches);
  return out;
}

function emptyStats(): MeteorStats {
  const z = () => new Array<number>(MODULE_COUNT).fill(0);
  return {
    testLength: 0,
    referenceLength: 0,
    testFunctionWords: 0,
    referenceFunctionWords: 0,
    testStageMatchesContent: z(),
    referenceStageMatchesContent: z(),
    testStageMatchesFunction: z(),
    referenceStageMatchesFunction: z(),
    chunks: 0,
    testWordMatches: 0,
    referenceWordMatches: 0,
    testTotalMatches: 0,
    referenceTotalMatches: 0,
  };
}

/** MeteorStats.addStats: sums everything, except that a perfect one-chunk segment adds 0 chunks. */
export function addMeteorStats(agg: MeteorStats, s: MeteorStats): void {
  agg.testLength += s.testLength;
  agg.referenceLength += s.referenceLength;
  agg.testFunctionWords += s.testFunctionWords;
  agg.referenceFunctionWords += s.referenceFunctionWords;
  for (let i = 0; i < MODULE_COUNT; i++) {
    agg.testStageMatchesContent[i]! += s.testStageMatchesContent[i]!;
    agg.referenceStageMatchesContent[i]! += s.referenceStageMatchesContent[i]!;
    agg.testStageMatchesFunction[i]! += s.testStageMatchesFunction[i]!;
    agg.referenceStageMatchesFunction[i]! += s.referenceStageMatchesFunction[i]!;
  }
  const perfect = s.testTotalMatches === s.testLength && s.referenceTotalMatches === s.referenceLength && s.chunks === 1;
  if (!perfect) agg.chunks += s.chunks;
  agg.testWordMatches += s.testWordMatches;
  agg.referenceWordMatches += s.referenceWordMatches;
  agg.testTotalMatches += s.testTotalMatches;
  agg.referenceTotalMatches += s.referenceTotalMatches;
}

/** Corpus METEOR (the `EVAL` line's last value): the formula applied to the summed statistics, not a mean. */
export function corpusMeteor(segments: readonly MeteorStats[]): number {
  const agg = emptyStats();
  for (const s of segments) addMeteorStats(agg, s);
  return meteorScore(agg);
}
