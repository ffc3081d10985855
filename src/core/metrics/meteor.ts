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
// edu.cmu.meteor.scorer.MeteorStats.addStats, Constants.PARTIAL_COMPARE_TOTAL. Aligner.resolve's beam search gives
// the jar's result but is computed so that it stays bounded on long sentences (see meteorAlign).

/** English 'rank' task parameters (Constants.PARAM_RANK[LANG_EN]). */
export const METEOR_ALPHA = 0.85;
export const METEOR_BETA = 0.2;
export const METEOR_GAMMA = 0.6;
export const METEOR_DELTA = 0.75;
/** Scoring weights of the modules exact, stem, synonym, paraphrase (Constants.WEIGHT_RANK[LANG_EN]). */
export const METEOR_MODULE_WEIGHTS = [1.0, 0.6, 0.8, 0.6] as const;
/**
 * The aligner ranks partial alignments with its own weights (MeteorScorer.loadConfiguration sets 1, 0.5, 0.5, 0.5,
 * added to int fields); only the exact one, 1, can occur here, so a match adds 1 to each side's count.
 */
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

/**
 * The sets of test positions the beam's paths have used: persistent (path-copying) segment trees over the
 * positions' ranks (test positions ordered by word, then position, so each word's candidates are one rank range),
 * in one pool of typed arrays. A child path adds one position with O(log n) new nodes and shares the rest with its
 * parent instead of copying arrays; nodes no path of the beam reaches any more are dropped by `compact`, so the
 * pool stays O(beam x length) however long the search runs. Node 0 is the empty tree. `count` and `sum` are the
 * number and the sum of the used positions under a node.
 */
class UsedSets {
  private static readonly INITIAL = 1024;
  private static readonly COMPACT_AT = 1 << 16;
  private left = new Int32Array(UsedSets.INITIAL);
  private right = new Int32Array(UsedSets.INITIAL);
  private count = new Int32Array(UsedSets.INITIAL);
  private sum = new Float64Array(UsedSets.INITIAL);
  private size = 1;
  private compactAt = UsedSets.COMPACT_AT;
  /** number of ranks (test positions) */
  private n = 0;
  /** results of `prefix` */
  qCount = 0;
  qSum = 0;

  /** Empties the pool for an alignment of `n` test positions (and gives back what a long one grew it to). */
  reset(n: number): void {
    this.n = n;
    this.size = 1;
    this.compactAt = UsedSets.COMPACT_AT;
    if (this.count.length > 4 * UsedSets.COMPACT_AT) this.resize(UsedSets.INITIAL);
  }

  private reserve(extra: number): void {
    if (this.size + extra <= this.count.length) return;
    this.resize(Math.max(2 * this.count.length, this.size + extra));
  }

  private resize(capacity: number): void {
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, Math.min(a.length, capacity)));
      return b;
    };
    this.left = grow(this.left, (n) => new Int32Array(n));
    this.right = grow(this.right, (n) => new Int32Array(n));
    this.count = grow(this.count, (n) => new Int32Array(n));
    this.sum = grow(this.sum, (n) => new Float64Array(n));
  }

  /** The set `root` plus position `pos` (at `rank`, not in `root`). */
  insert(root: number, rank: number, pos: number): number {
    this.reserve(34);
    const { left, right, count, sum } = this;
    const top = this.size;
    let node = root;
    let lo = 0;
    let hi = this.n;
    for (;;) {
      const k = this.size++;
      left[k] = left[node]!;
      right[k] = right[node]!;
      count[k] = count[node]! + 1;
      sum[k] = sum[node]! + pos;
      if (hi - lo === 1) break;
      const mid = (lo + hi) >>> 1;
      if (rank < mid) {
        left[k] = this.size;
        node = left[node]!;
        hi = mid;
      } else {
        right[k] = this.size;
        node = right[node]!;
        lo = mid;
      }
    }
    return top;
  }

  /** Count and sum of the used positions of ranks < x, into qCount / qSum. */
  prefix(root: number, x: number): void {
    const { left, right, count, sum } = this;
    let c = 0;
    let s = 0;
    let node = root;
    let lo = 0;
    let hi = this.n;
    while (node !== 0 && x > lo) {
      if (x >= hi) {
        c += count[node]!;
        s += sum[node]!;
        break;
      }
      const mid = (lo + hi) >>> 1;
      if (x <= mid) {
        node = left[node]!;
        hi = mid;
      } else {
        const l = left[node]!;
        c += count[l]!;
        s += sum[l]!;
        node = right[node]!;
        lo = mid;
      }
    }
    this.qCount = c;
    this.qSum = s;
  }

  /** The first rank in [qa, qb) that is not used in `root`, or -1. */
  firstFree(root: number, qa: number, qb: number): number {
    return qa < qb ? this.firstFreeIn(root, 0, this.n, qa, qb) : -1;
  }

  private firstFreeIn(node: number, lo: number, hi: number, qa: number, qb: number): number {
    if (qb <= lo || hi <= qa) return -1;
    if (node === 0) return Math.max(lo, qa);
    if (this.count[node] === hi - lo) return -1;
    const mid = (lo + hi) >>> 1;
    const a = this.firstFreeIn(this.left[node]!, lo, mid, qa, qb);
    return a !== -1 ? a : this.firstFreeIn(this.right[node]!, mid, hi, qa, qb);
  }

  /** When the pool has grown enough, keeps only the nodes reachable from `roots` (rewritten in place). */
  compact(roots: number[]): void {
    if (this.size < this.compactAt) return;
    const remap = new Int32Array(this.size);
    const old = { left: this.left, right: this.right, count: this.count, sum: this.sum };
    this.left = new Int32Array(this.count.length);
    this.right = new Int32Array(this.count.length);
    this.count = new Int32Array(this.count.length);
    this.sum = new Float64Array(this.count.length);
    this.size = 1;
    const copy = (node: number): number => {
      if (node === 0) return 0;
      if (remap[node] !== 0) return remap[node]!;
      const k = this.size++;
      remap[node] = k;
      this.count[k] = old.count[node]!;
      this.sum[k] = old.sum[node]!;
      const l = copy(old.left[node]!);
      this.left[k] = l;
      this.right[k] = copy(old.right[node]!);
      return k;
    };
    for (let i = 0; i < roots.length; i++) roots[i] = copy(roots[i]!);
    this.compactAt = Math.max(1 << 16, 4 * this.size);
  }
}

/** One pool for every alignment (they run one at a time): short sentences need no new arrays. */
const usedSets = new UsedSets();

/** Chosen (non-fixed) matches of a path, newest first, shared with its ancestors. */
interface ChainLink {
  readonly j: number;
  readonly i: number;
  readonly prev: ChainLink | null;
}

/**
 * One PartialAlignment of the beam. With exact matches only (every match one word to one word), Java's
 * `matches1 + matches2` is 2 x `matches`, `idx` always equals the reference position being searched, and
 * `line2UsedWords` is the same for every path (the fixed matches), so neither is stored.
 */
interface BeamPath {
  readonly matches: number;
  readonly chunks: number;
  /** Java int: wraps like the jar's field */
  readonly distance: number;
  readonly lastMatchEnd: number;
  /** its set in the UsedSets pool (rewritten when the pool is compacted) */
  used: number;
  readonly chain: ChainLink | null;
}

const KIND_CHILD = 0;
const KIND_SKIP = 1;
const KIND_FIXED = 2;

/**
 * One path Java's resolve would put in `nextPaths`, not built yet: its sort key, and where it sits in `nextPaths`
 * (parent's rank, then `order` inside the parent's group: children by candidate rank, the skip path last), which
 * is what the stable sort breaks ties with. Children of one parent whose chunk change is the same come out of a
 * `stream` in sorted order (their distances are running sums over the earlier siblings), so only the heads of the
 * streams need to be in the heap.
 */
interface Pending {
  matches: number;
  chunks: number;
  distance: number;
  parent: number;
  order: number;
  kind: number;
  /** test position of a child or fixed match */
  pos: number;
  /** rank of a child's test position */
  rank: number;
  /** for a child of a stream: the sum of |j - i| over its earlier siblings (what Java's parent carried when copied) */
  prefix: number;
  /** children that follow this one in its stream: the unused ranks after `rank`, but `exclude` */
  stream: { exclude: number; chunkDelta: number } | null;
}

/** Constants.PARTIAL_COMPARE_TOTAL (int arithmetic) and then the position in `nextPaths`: true if x sorts first. */
function before(x: Pending, y: Pending): boolean {
  if (x.matches !== y.matches) return x.matches > y.matches;
  if (x.chunks !== y.chunks) return x.chunks < y.chunks;
  const dd = (x.distance - y.distance) | 0;
  if (dd !== 0) return dd < 0;
  if (x.parent !== y.parent) return x.parent < y.parent;
  return x.order < y.order;
}

class PendingHeap {
  private items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  clear(): void {
    this.items.length = 0;
  }
  push(p: Pending): void {
    const a = this.items;
    let k = a.length;
    a.push(p);
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (!before(p, a[up]!)) break;
      a[k] = a[up]!;
      k = up;
    }
    a[k] = p;
  }
  pop(): Pending {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && before(a[l + 1]!, a[l]!) ? l + 1 : l;
        if (!before(a[c]!, last)) break;
        a[k] = a[c]!;
        k = c;
      }
      a[k] = last;
    }
    return top;
  }
}

/** Aligner.resolve's search on exact matches, one reference word (`step`) at a time; see meteorAlign. */
class ExactBeamSearch {
  readonly n1: number;
  private readonly keys1: readonly number[];
  private readonly keys2: readonly number[];
  /** rank of each test position, and the position at each rank (positions ordered by key, then position) */
  private readonly rankOf: Int32Array;
  private readonly posAtRank: Int32Array;
  /** prefixPos[r]: sum of the positions of ranks < r */
  private readonly prefixPos: Float64Array;
  /** group of each key found in the test; a group's candidates are the ranks [groupStart, groupStart + groupSize) */
  private readonly groupOf = new Map<number, number>();
  private readonly groupStart: number[] = [];
  private readonly groupSize: number[] = [];
  /** fixedTest[j]: the test position of reference word j's definite match, or -1 */
  readonly fixedTest: Int32Array;
  private readonly sets = usedSets;
  private readonly heap = new PendingHeap();
  private readonly roots: number[] = [];
  // the reference word being searched and its candidates: ranks [a, b), those from `split` on after `current`
  private current = 0;
  private a = 0;
  private b = 0;
  private split = 0;

  constructor(keys1: readonly number[], keys2: readonly number[]) {
    const n1 = keys1.length;
    const n2 = keys2.length;
    this.n1 = n1;
    this.keys1 = keys1;
    this.keys2 = keys2;
    // Stage + ExactMatcher without materializing the candidate lists: the candidates of reference word j are the
    // test positions with the same key, in increasing order; those are one rank range.
    const { groupOf, groupStart, groupSize } = this;
    const groupOfTest = new Int32Array(n1);
    for (let i = 0; i < n1; i++) {
      let g = groupOf.get(keys1[i]!);
      if (g === undefined) {
        g = groupSize.length;
        groupOf.set(keys1[i]!, g);
        groupSize.push(0);
      }
      groupSize[g]!++;
      groupOfTest[i] = g;
    }
    const fill: number[] = [];
    for (let g = 0, next = 0; g < groupSize.length; g++) {
      groupStart.push(next);
      fill.push(next);
      next += groupSize[g]!;
    }
    this.rankOf = new Int32Array(n1);
    this.posAtRank = new Int32Array(n1);
    for (let i = 0; i < n1; i++) {
      const r = fill[groupOfTest[i]!]!++;
      this.rankOf[i] = r;
      this.posAtRank[r] = i;
    }
    this.prefixPos = new Float64Array(n1 + 1);
    for (let r = 0; r < n1; r++) this.prefixPos[r + 1] = this.prefixPos[r]! + this.posAtRank[r]!;
    // One-to-one, non-overlapping matches are definite: a word found once in each line (coverage 1 on both sides)
    const refCount = new Array<number>(groupSize.length).fill(0);
    for (const k of keys2) {
      const g = groupOf.get(k);
      if (g !== undefined) refCount[g]!++;
    }
    this.fixedTest = new Int32Array(n2).fill(-1);
    for (let j = 0; j < n2; j++) {
      const g = groupOf.get(keys2[j]!);
      if (g !== undefined && groupSize[g] === 1 && refCount[g] === 1) this.fixedTest[j] = this.posAtRank[groupStart[g]!]!;
    }
    this.sets.reset(n1);
  }

  /** Sum of |current - i| over the unused candidates of ranks [a, r). */
  private unusedDistance(used: number, r: number): number {
    const { sets, a, split, current, prefixPos } = this;
    sets.prefix(used, a);
    const countA = sets.qCount;
    const sumA = sets.qSum;
    const lowEnd = Math.min(r, split);
    sets.prefix(used, lowEnd);
    let total = 0;
    if (lowEnd > a) {
      const c = lowEnd - a - (sets.qCount - countA);
      total += current * c - (prefixPos[lowEnd]! - prefixPos[a]! - (sets.qSum - sumA));
    }
    if (r > lowEnd) {
      const countS = sets.qCount;
      const sumS = sets.qSum;
      sets.prefix(used, r);
      const c = r - lowEnd - (sets.qCount - countS);
      total += prefixPos[r]! - prefixPos[lowEnd]! - (sets.qSum - sumS) - current * c;
    }
    return total;
  }

  private child(p: BeamPath, parent: number, r: number, prefix: number, chunkDelta: number, stream: Pending['stream']): Pending {
    return {
      matches: p.matches + 1,
      chunks: p.chunks + chunkDelta,
      distance: (p.distance + prefix) | 0,
      parent,
      order: r - this.a,
      kind: KIND_CHILD,
      pos: this.posAtRank[r]!,
      rank: r,
      prefix,
      stream,
    };
  }

  /** The stream's child at the first unused rank from `from` on (skipping `exclude`, whose distance joins the prefix), or null. */
  private streamFrom(p: BeamPath, parent: number, from: number, prefix: number, stream: NonNullable<Pending['stream']>): Pending | null {
    let r = this.sets.firstFree(p.used, from, this.b);
    if (r !== -1 && r === stream.exclude) {
      prefix += Math.abs(this.current - this.posAtRank[r]!);
      r = this.sets.firstFree(p.used, r + 1, this.b);
    }
    return r === -1 ? null : this.child(p, parent, r, prefix, stream.chunkDelta, stream);
  }

  /** One iteration of resolve's loop (reference word `current`): the beam's paths, best first, to the next beam. */
  step(current: number, beam: BeamPath[], beamSize: number): BeamPath[] {
    const { sets, heap, roots, keys1, keys2, n1 } = this;
    roots.length = 0;
    for (const p of beam) roots.push(p.used);
    sets.compact(roots);
    for (let k = 0; k < beam.length; k++) beam[k]!.used = roots[k]!;
    heap.clear();
    const fixedI = this.fixedTest[current]!;
    const key = keys2[current]!;
    const g = fixedI >= 0 ? undefined : this.groupOf.get(key);
    const a = g === undefined ? 0 : this.groupStart[g]!;
    const b = g === undefined ? a : a + this.groupSize[g]!;
    let split = a; // first rank in [a, b) whose position is after `current`
    for (let hi = b; split < hi; ) {
      const mid = (split + hi) >>> 1;
      if (this.posAtRank[mid]! <= current) split = mid + 1;
      else hi = mid;
    }
    this.current = current;
    this.a = a;
    this.b = b;
    this.split = split;

    if (fixedI >= 0 && beam.length === 1) {
      // The usual step of a sentence without repeated words: one path, one fixed match, nothing to sort
      const p = beam[0]!;
      return [
        {
          matches: p.matches + 1,
          chunks: p.chunks + (p.lastMatchEnd !== -1 && fixedI !== p.lastMatchEnd ? 1 : 0),
          distance: (p.distance + Math.abs(current - fixedI)) | 0,
          lastMatchEnd: fixedI + 1,
          used: p.used,
          chain: p.chain,
        },
      ];
    }
    for (let parent = 0; parent < beam.length; parent++) {
      const p = beam[parent]!;
      const open = p.lastMatchEnd !== -1;
      if (fixedI >= 0) {
        // Current word is in use: a fixed match
        heap.push({
          matches: p.matches + 1,
          chunks: p.chunks + (open && fixedI !== p.lastMatchEnd ? 1 : 0),
          distance: (p.distance + Math.abs(current - fixedI)) | 0,
          parent,
          order: 0,
          kind: KIND_FIXED,
          pos: fixedI,
          rank: -1,
          prefix: 0,
          stream: null,
        });
        continue;
      }
      // Each unused candidate is a child; the one continuing the open chunk adds no chunk, the others add one
      let cont = -1;
      if (open && p.lastMatchEnd < n1 && keys1[p.lastMatchEnd] === key) {
        const r = this.rankOf[p.lastMatchEnd]!;
        if (sets.firstFree(p.used, r, r + 1) === r) cont = r;
      }
      if (cont !== -1) heap.push(this.child(p, parent, cont, this.unusedDistance(p.used, cont), 0, null));
      if (a < b) {
        const first = this.streamFrom(p, parent, a, 0, { exclude: cont, chunkDelta: open ? 1 : 0 });
        if (first) heap.push(first);
      }
      // Skipping this word: the parent itself, carrying the distances of all its children
      heap.push({
        matches: p.matches,
        chunks: p.chunks + (open ? 1 : 0),
        distance: (p.distance + this.unusedDistance(p.used, b)) | 0,
        parent,
        order: b - a,
        kind: KIND_SKIP,
        pos: -1,
        rank: -1,
        prefix: 0,
        stream: null,
      });
    }
    const next: BeamPath[] = [];
    while (next.length < beamSize && heap.size > 0) {
      const e = heap.pop();
      const p = beam[e.parent]!;
      if (e.kind === KIND_CHILD) {
        next.push({
          matches: e.matches,
          chunks: e.chunks,
          distance: e.distance,
          lastMatchEnd: e.pos + 1,
          used: sets.insert(p.used, e.rank, e.pos),
          chain: { j: current, i: e.pos, prev: p.chain },
        });
        if (e.stream) {
          const after = this.streamFrom(p, e.parent, e.rank + 1, e.prefix + Math.abs(current - e.pos), e.stream);
          if (after) heap.push(after);
        }
      } else {
        next.push({
          matches: e.matches,
          chunks: e.chunks,
          distance: e.distance,
          lastMatchEnd: e.kind === KIND_FIXED ? e.pos + 1 : -1,
          used: p.used,
          chain: p.chain,
        });
      }
    }
    return next;
  }
}

/**
 * Aligner.align + Aligner.resolve with the exact module only, on normalized tokens (test = line 1, reference =
 * line 2), giving the alignment the jar's beam search gives.
 *
 * The jar bounds its search with the beam (Constants.DEFAULT_BEAM_SIZE = 40 paths kept per reference word), but it
 * still builds every child of the 40 paths, each a copy of the whole alignment, and sorts them all: per reference
 * word O(40 x candidates) paths of O(length) each (5,000 identical characters: 200,000 copies of 15,000 entries per
 * word), and the candidate lists themselves are O(length^2). Only the 40 best children survive the next sort, so
 * this port builds only those: it takes the 40 first of Java's stably sorted `nextPaths` from a heap over lazily
 * produced, already sorted runs of children, the candidates are rank ranges instead of lists, and paths share their
 * used-position sets and match lists. Same beam, same comparator, same tie-breaking (the position in `nextPaths`),
 * same quirks (a new match's distance goes to its parent, so to its later siblings and to the skip path; Java int
 * distances), so the same result, in time O(length x beam x log length) and memory O(beam x length). The
 * line-by-line port it replaces is kept as the tests' oracle (./testing/meteorLiteral.ts); the two agree on every
 * golden id and on hundreds of thousands of random inputs. One limit, shared with the jar: if a path's distance
 * passed 2^31 the jar's comparator would overflow and stop being an order, and the jar's result would then depend
 * on TimSort's internals; that takes sums of |i - j| over 2e9.
 */
export function meteorAlign(test: readonly string[], ref: readonly string[], beamSize = METEOR_BEAM_SIZE): MeteorAlignment {
  const search = new ExactBeamSearch(test.map(javaHashCode), ref.map(javaHashCode));
  const n2 = ref.length;
  let beam: BeamPath[] = [{ matches: 0, chunks: 0, distance: 0, lastMatchEnd: -1, used: 0, chain: null }];
  for (let current = 0; current < n2; current++) beam = search.step(current, beam, beamSize);
  // Path complete: close the last chunk, then the first of the stably sorted paths
  let best = beam[0]!;
  let bestKey: Pending | undefined;
  for (let parent = 0; parent < beam.length; parent++) {
    const p = beam[parent]!;
    const key: Pending = {
      matches: p.matches,
      chunks: p.chunks + (p.lastMatchEnd !== -1 ? 1 : 0),
      distance: p.distance,
      parent,
      order: 0,
      kind: KIND_SKIP,
      pos: -1,
      rank: -1,
      prefix: 0,
      stream: null,
    };
    if (bestKey === undefined || before(key, bestKey)) {
      best = p;
      bestKey = key;
    }
  }

  const refToTest = Array.from(search.fixedTest);
  for (let link = best.chain; link !== null; link = link.prev) refToTest[link.j] = link.i;
  const isFunc1 = test.map((w) => METEOR_FUNCTION_CHARS.has(w.toLowerCase()));
  const isFunc2 = ref.map((w) => METEOR_FUNCTION_CHARS.has(w.toLowerCase()));
  const contentMatches1 = new Array<number>(MODULE_COUNT).fill(0);
  const contentMatches2 = new Array<number>(MODULE_COUNT).fill(0);
  const functionMatches1 = new Array<number>(MODULE_COUNT).fill(0);
  const functionMatches2 = new Array<number>(MODULE_COUNT).fill(0);
  for (let j = 0; j < n2; j++) {
    const i = refToTest[j]!;
    if (i === -1) continue;
    if (isFunc1[i]) functionMatches1[MODULE_EXACT]!++;
    else contentMatches1[MODULE_EXACT]!++;
    if (isFunc2[j]) functionMatches2[MODULE_EXACT]!++;
    else contentMatches2[MODULE_EXACT]!++;
  }
  const [line1Matches, line2Matches, numChunks] = countAndChunks(refToTest);
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

/** Aligner.getCountAndChunks on one-word matches: [line1 matches, line2 matches, chunks] recounted from the chosen matches. */
function countAndChunks(refToTest: readonly number[]): [number, number, number] {
  let matches = 0;
  let chunks = 0;
  let lastMatchEnd = -1;
  for (const i of refToTest) {
    if (i === -1) {
      if (lastMatchEnd !== -1) {
        chunks++;
        lastMatchEnd = -1;
      }
    } else {
      matches++;
      if (lastMatchEnd !== -1 && i !== lastMatchEnd) chunks++;
      lastMatchEnd = i + 1;
    }
  }
  if (lastMatchEnd !== -1) chunks++;
  return [matches, matches, chunks];
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
