// BERT-SQG examples on demand. The items are encoded once into typed arrays (each paragraph's context ids once, per
// item its answer and question ids and a reference into its context); example(i) finds its item by binary search
// over a prefix sum of examples per item (n + 1 for n question tokens) and builds the row that sqgExamplesFor would.
//
// And the figures of the Data screen and `qglab data-stats`: items kept, skipped by reason, windowed, examples,
// counted from token counts with the same rule (itemLimitSkip + contextFit) that decides what training sees.
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import type { QgItem } from './drcd';
import type { SqgExampleSet } from './sqgExampleSet';
import {
  DEFAULT_SQG_LIMITS,
  contextFit,
  fitQgItem,
  isSkipReason,
  itemLimitSkip,
  type EncodedItem,
  type SkipKind,
  type SkipReason,
  type SqgExample,
  type SqgLimits,
  type SqgPolicy,
} from './sqgExamples';

export const SKIP_KINDS: readonly SkipKind[] = Object.freeze([
  'answer-too-long',
  'question-too-long',
  'context-too-long',
  'empty-answer',
  'empty-question',
]);

/** What training would make of a list of items under some limits and policy. */
export interface SqgDataReport {
  limits: SqgLimits;
  policy: SqgPolicy;
  /** items given */
  items: number;
  /** items trained on (whole or windowed) */
  kept: number;
  skipped: { total: number; byReason: Record<SkipKind, number> };
  /** kept items whose context the 'window' policy cut (always 0 under 'skip'); the only reason is a long context */
  windowed: { total: number; byReason: { 'context-too-long': number } };
  /** BERT-SQG examples: n + 1 per kept item of n question tokens */
  examples: number;
}

function emptyReport(limits: SqgLimits, policy: SqgPolicy, items: number): SqgDataReport {
  const byReason = Object.fromEntries(SKIP_KINDS.map((k) => [k, 0])) as Record<SkipKind, number>;
  return {
    limits: { maxSeqLen: limits.maxSeqLen, maxAnswerLen: limits.maxAnswerLen, maxQuestionLen: limits.maxQuestionLen },
    policy,
    items,
    kept: 0,
    skipped: { total: 0, byReason },
    windowed: { total: 0, byReason: { 'context-too-long': 0 } },
    examples: 0,
  };
}

/**
 * The context ids of each item, tokenizing a paragraph once for a run of consecutive items that share it (toQgItems
 * gives a paragraph's questions one after the other). Only the last paragraph is held, so memory stays flat.
 */
function contextTokenizer(tok: BertTokenizer): (item: QgItem) => number[] {
  let text: string | undefined;
  let ids: number[] = [];
  return (item) => {
    if (item.context !== text) {
      ids = tok.encodeText(item.context);
      text = item.context;
    }
    return ids;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Counting (the Data screen, data-stats): token counts per item, then the figures for any limits in O(items).

/** Token counts of each item (answer, question, context); computed once, they give the report for any limits. */
export interface SqgItemLengths {
  readonly count: number;
  readonly answer: Int32Array;
  readonly question: Int32Array;
  readonly context: Int32Array;
}

/** Tokenize every item once (a paragraph once for its consecutive questions) and keep only the counts. */
export function sqgItemLengths(tok: BertTokenizer, items: readonly QgItem[]): SqgItemLengths {
  const n = items.length;
  const out = { count: n, answer: new Int32Array(n), question: new Int32Array(n), context: new Int32Array(n) };
  const ctx = contextTokenizer(tok);
  for (let k = 0; k < n; k++) {
    const item = items[k]!;
    out.answer[k] = tok.encodeText(item.answer).length;
    out.question[k] = tok.encodeText(item.question).length;
    out.context[k] = ctx(item).length;
  }
  return out;
}

/** The figures for some limits and policy from the items' token counts (no tokenizing, no examples built). */
export function sqgReportFromLengths(lengths: SqgItemLengths, limits: SqgLimits = DEFAULT_SQG_LIMITS, policy: SqgPolicy = 'skip'): SqgDataReport {
  const r = emptyReport(limits, policy, lengths.count);
  for (let k = 0; k < lengths.count; k++) {
    const a = lengths.answer[k]!;
    const q = lengths.question[k]!;
    const kind = itemLimitSkip(limits, a, q) ?? contextFit(limits, policy, a, q, lengths.context[k]!);
    if (kind === 'fits' || kind === 'window') {
      r.kept++;
      r.examples += q + 1;
      if (kind === 'window') {
        r.windowed.total++;
        r.windowed.byReason['context-too-long']++;
      }
    } else {
      r.skipped.total++;
      r.skipped.byReason[kind]++;
    }
  }
  return r;
}

/**
 * What training would make of `items`: items kept, skipped by reason, windowed, number of examples. Tokenizes the
 * items (measured: ~0.5 s of CPU for DRCD dev's 3,524 questions, ~4.5 s for 28k) but builds no example. For a screen that changes the limits, keep
 * sqgItemLengths(tok, items) and call sqgReportFromLengths for each setting.
 */
export function sqgDataReport(
  tok: BertTokenizer,
  items: readonly QgItem[],
  limits: SqgLimits = DEFAULT_SQG_LIMITS,
  policy: SqgPolicy = 'skip',
): SqgDataReport {
  return sqgReportFromLengths(sqgItemLengths(tok, items), limits, policy);
}

// ---------------------------------------------------------------------------------------------------------------
// The compact example set.

type IdArray = Uint16Array | Int32Array;

/** A typed array that grows by doubling. */
class Pool<T extends IdArray> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(values: ArrayLike<number>, from = 0, to = values.length): number {
    const at = this.length;
    const need = at + (to - from);
    if (need > this.data.length) {
      const grown = this.make(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, at));
      this.data = grown;
    }
    for (let i = from; i < to; i++) this.data[at + i - from] = values[i]!;
    this.length = need;
    return at;
  }
  /** The contents in an array of their own size. */
  done(): T {
    const out = this.make(this.length);
    out.set(this.data.subarray(0, this.length));
    return out;
  }
}

// Per item, 6 int32 fields in one array: context start and length (absolute, in the token pool), answer start and
// length, question start and length.
const F = 6;

/** The examples of a list of items, built one at a time from a compact store of their token ids. */
export class CompactSqgExampleSet implements SqgExampleSet {
  readonly size: number;
  /** number of kept items */
  readonly itemCount: number;

  /** @internal use prepareExampleSet */
  constructor(
    private readonly tokens: IdArray,
    private readonly fields: Int32Array,
    /** firstExample[k] = index of item k's first example; firstExample[itemCount] = size */
    private readonly firstExample: Float64Array,
    private readonly ids: readonly string[],
    private readonly special: { cls: number; sep: number; mask: number },
  ) {
    this.itemCount = ids.length;
    this.size = firstExample[this.itemCount]!;
  }

  /** The kept item that example i belongs to (binary search over the prefix sum). */
  itemOf(i: number): number {
    this.check(i);
    const f = this.firstExample;
    let lo = 0;
    let hi = this.itemCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (f[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Example i, as sqgExamplesFor builds it: [CLS] context [SEP] answer [SEP] q1..qj [MASK], label q(j+1) or [SEP]. */
  example(i: number): SqgExample {
    const k = this.itemOf(i);
    const j = i - this.firstExample[k]!;
    const o = k * F;
    const fs = this.fields;
    const cs = fs[o]!, cl = fs[o + 1]!, as = fs[o + 2]!, al = fs[o + 3]!, qs = fs[o + 4]!, ql = fs[o + 5]!;
    const t = this.tokens;
    const { cls, sep, mask } = this.special;
    const len = cl + al + j + 4;
    const inputIds = new Array<number>(len);
    const tokenTypeIds = new Array<number>(len);
    let p = 0;
    inputIds[p++] = cls;
    for (let x = 0; x < cl; x++) inputIds[p++] = t[cs + x]!;
    inputIds[p++] = sep;
    for (let x = 0; x < al; x++) inputIds[p++] = t[as + x]!;
    inputIds[p++] = sep;
    for (let x = 0; x < j; x++) inputIds[p++] = t[qs + x]!;
    inputIds[p++] = mask;
    const typeOneFrom = cl + 2;
    const typeOneTo = cl + al + 3;
    for (let x = 0; x < len; x++) tokenTypeIds[x] = x >= typeOneFrom && x < typeOneTo ? 1 : 0;
    return { inputIds, tokenTypeIds, maskPos: len - 1, label: j < ql ? t[qs + j]! : sep };
  }

  /** Kept item k as encodeQgItem gives it (context already windowed). */
  encodedItem(k: number): EncodedItem {
    if (!(Number.isInteger(k) && k >= 0 && k < this.itemCount)) throw new RangeError(`item ${k} is outside the ${this.itemCount} kept items`);
    const o = k * F;
    const fs = this.fields;
    const ids = (s: number, l: number) => Array.from(this.tokens.subarray(s, s + l));
    return { id: this.ids[k]!, contextIds: ids(fs[o]!, fs[o + 1]!), answerIds: ids(fs[o + 2]!, fs[o + 3]!), questionIds: ids(fs[o + 4]!, fs[o + 5]!) };
  }

  /** Every kept item as EncodedItem (as JS arrays: costs what prepareExamples' `encoded` cost). */
  encodedItems(): EncodedItem[] {
    return Array.from({ length: this.itemCount }, (_, k) => this.encodedItem(k));
  }

  /** The examples of kept item k: [first, end). */
  examplesOfItem(k: number): [number, number] {
    if (!(Number.isInteger(k) && k >= 0 && k < this.itemCount)) throw new RangeError(`item ${k} is outside the ${this.itemCount} kept items`);
    return [this.firstExample[k]!, this.firstExample[k + 1]!];
  }

  /** Bytes held in typed arrays (the item ids are strings besides). */
  get bytes(): number {
    return this.tokens.byteLength + this.fields.byteLength + this.firstExample.byteLength;
  }

  private check(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.size)) throw new RangeError(`example ${i} is outside the set of ${this.size}`);
  }
}

export interface PreparedExampleSet {
  set: CompactSqgExampleSet;
  report: SqgDataReport;
  /** each skipped item with its reason and token counts, in file order */
  skipped: SkipReason[];
}

/**
 * Encode items (file order) into a compact example set: the same examples, in the same order, as
 * prepareExamples(tok, items, limits, policy).examples, built only when asked for.
 */
export function prepareExampleSet(
  tok: BertTokenizer,
  items: readonly QgItem[],
  limits: SqgLimits = DEFAULT_SQG_LIMITS,
  policy: SqgPolicy = 'skip',
): PreparedExampleSet {
  const tokens: Pool<IdArray> =
    tok.vocabSize <= 0x10000 ? new Pool<IdArray>(new Uint16Array(1 << 16), (n) => new Uint16Array(n)) : new Pool<IdArray>(new Int32Array(1 << 16), (n) => new Int32Array(n));
  const fields = new Pool(new Int32Array(F * 1024), (n) => new Int32Array(n));
  const first: number[] = [0];
  const ids: string[] = [];
  const skipped: SkipReason[] = [];
  const report = emptyReport(limits, policy, items.length);
  const ctxOf = contextTokenizer(tok);
  // where the current paragraph's context ids are in the pool (stored once, when its first item is kept)
  let storedCtx: number[] | undefined;
  let storedAt = 0;
  for (const item of items) {
    const fit = fitQgItem(tok, item, limits, policy, () => ctxOf(item));
    if (isSkipReason(fit)) {
      skipped.push(fit);
      report.skipped.total++;
      report.skipped.byReason[fit.reason]++;
      continue;
    }
    const ctx = ctxOf(item);
    if (ctx !== storedCtx) {
      storedAt = tokens.push(ctx);
      storedCtx = ctx;
    }
    const a = tokens.push(fit.answerIds);
    const q = tokens.push(fit.questionIds);
    fields.push([storedAt + fit.contextStart, fit.contextLength, a, fit.answerIds.length, q, fit.questionIds.length]);
    ids.push(item.id);
    report.kept++;
    report.examples += fit.questionIds.length + 1;
    first.push(report.examples);
    if (fit.windowed) {
      report.windowed.total++;
      report.windowed.byReason['context-too-long']++;
    }
  }
  const { cls, sep, mask } = tok.special;
  const set = new CompactSqgExampleSet(tokens.done(), fields.done(), Float64Array.from(first), ids, { cls, sep, mask });
  return { set, report, skipped };
}
