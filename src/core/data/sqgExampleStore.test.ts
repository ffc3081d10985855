import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BertTokenizer, buildVocabFromTexts } from '../tokenizer/bertTokenizer';
import { parseDrcd, toQgItems, type QgItem } from './drcd';
import { sampleItems } from './sampleDataset';
import { withShared } from '../../testing/withShared';
import { headOfSet, type SqgExampleSet } from './sqgExampleSet';
import { prepareExampleSet, sqgDataReport, sqgItemLengths, sqgReportFromLengths, SKIP_KINDS, type SqgDataReport } from './sqgExampleStore';
import { DEFAULT_SQG_LIMITS, examplesFraction, prepareExamples, type SqgExample, type SqgLimits, type SqgPolicy } from './sqgExamples';

const shared = withShared('sqgExampleStore.test', 'drcd/DRCD_dev.json', 'vocab/bert-base-chinese-vocab.txt');
const DRCD = shared.path('drcd/DRCD_dev.json');
const VOCAB = shared.path('vocab/bert-base-chinese-vocab.txt');

/** Bit-for-bit comparison (fast: toEqual on ~50k rows of ~460 ids takes minutes); returns the first difference. */
function sameExample(a: SqgExample, b: SqgExample): string | undefined {
  if (a.maskPos !== b.maskPos) return `maskPos ${a.maskPos} vs ${b.maskPos}`;
  if (a.label !== b.label) return `label ${a.label} vs ${b.label}`;
  if (a.inputIds.length !== b.inputIds.length || a.tokenTypeIds.length !== b.tokenTypeIds.length) return 'lengths differ';
  for (let i = 0; i < a.inputIds.length; i++) {
    if (a.inputIds[i] !== b.inputIds[i]) return `inputIds[${i}] ${a.inputIds[i]} vs ${b.inputIds[i]}`;
    if (a.tokenTypeIds[i] !== b.tokenTypeIds[i]) return `tokenTypeIds[${i}] ${a.tokenTypeIds[i]} vs ${b.tokenTypeIds[i]}`;
  }
  if (Object.keys(a).sort().join() !== Object.keys(b).sort().join()) return 'fields differ';
  return undefined;
}

function expectSameExamples(set: SqgExampleSet, examples: readonly SqgExample[], indices?: Iterable<number>): number {
  expect(set.size).toBe(examples.length);
  let n = 0;
  for (const i of indices ?? examples.keys()) {
    const d = sameExample(set.example(i), examples[i]!);
    if (d) throw new Error(`example ${i}: ${d}`);
    n++;
  }
  return n;
}

/** The old path's figures, from prepareExamples' output. */
function oldFigures(tok: BertTokenizer, items: readonly QgItem[], limits: SqgLimits, policy: SqgPolicy) {
  const old = prepareExamples(tok, items, limits, policy);
  const byReason = Object.fromEntries(SKIP_KINDS.map((k) => [k, old.skipped.filter((s) => s.reason === k).length]));
  return { old, kept: old.encoded.length, skipped: { total: old.skipped.length, byReason }, examples: old.examples.length };
}

function checkAgainstOld(tok: BertTokenizer, items: readonly QgItem[], limits: SqgLimits, policy: SqgPolicy, indices?: (size: number) => Iterable<number>) {
  const { old, ...figures } = oldFigures(tok, items, limits, policy);
  const { set, report, skipped } = prepareExampleSet(tok, items, limits, policy);
  expect(report).toMatchObject({ items: items.length, ...figures });
  expect(skipped).toEqual(old.skipped);
  expect(set.itemCount).toBe(old.encoded.length);
  expectSameExamples(set, old.examples, indices?.(set.size));
  // the encoded items come back as encodeQgItem gave them
  for (const k of [0, Math.floor(set.itemCount / 2), set.itemCount - 1].filter((k) => k >= 0 && k < set.itemCount)) expect(set.encodedItem(k)).toEqual(old.encoded[k]);
  // the counting path gives the same figures without building anything
  expect(sqgDataReport(tok, items, limits, policy)).toEqual(report);
  return { set, report, old };
}

function seededIndices(size: number, n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out = new Set<number>([0, size - 1]);
  while (out.size < Math.min(n, size)) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.add(s % size);
  }
  return [...out].sort((a, b) => a - b);
}

describe('prepareExampleSet on the embedded sample', () => {
  const items = sampleItems();
  const tok = BertTokenizer.fromVocab(buildVocabFromTexts(items.flatMap((i) => [i.context, i.question, i.answer])).join('\n'));

  it('gives the same examples, in the same order, as prepareExamples (every example)', () => {
    const { set, report } = checkAgainstOld(tok, items, DEFAULT_SQG_LIMITS, 'skip');
    expect(report.kept).toBe(items.length);
    expect(report.windowed.total).toBe(0);
    expect(set.size).toBeGreaterThan(items.length);
  });

  it('and under tight limits, with skips of each length kind and windowed contexts', () => {
    const limits = { maxSeqLen: 56, maxAnswerLen: 4, maxQuestionLen: 14 };
    for (const policy of ['skip', 'window'] as const) {
      const { report } = checkAgainstOld(tok, items, limits, policy);
      expect(report.skipped.byReason['answer-too-long']).toBeGreaterThan(0);
      expect(report.skipped.byReason['question-too-long']).toBeGreaterThan(0);
      if (policy === 'skip') expect(report.skipped.byReason['context-too-long']).toBeGreaterThan(0);
      else expect(report.windowed.total).toBeGreaterThan(0);
      expect(report.kept + report.skipped.total).toBe(items.length);
      expect(report.kept).toBeGreaterThan(50);
    }
  });

  it('the study fraction: headOfSet(set, ⌊size·f⌋) is examplesFraction(examples, f)', () => {
    const { examples } = prepareExamples(tok, items);
    const { set } = prepareExampleSet(tok, items);
    for (const f of [0, 0.01, 0.1, 0.25, 0.333, 0.5, 0.9, 0.999, 1]) {
      const head = headOfSet(set, Math.floor(set.size * f));
      expectSameExamples(head, examplesFraction(examples, f));
      expect(() => head.example(head.size)).toThrow(RangeError);
    }
  });
});

describe('prepareExampleSet edge cases', () => {
  const base: QgItem = { id: 'a', context: '台北市位於台灣北部。', answer: '台灣北部', answerStart: 5, question: '台北市位於哪裡？' };
  const other: QgItem = { id: 'b', context: '高雄市位於台灣南部，是港市。', answer: '台灣南部', answerStart: 5, question: '高雄市在哪？' };
  const tok = BertTokenizer.fromVocab(buildVocabFromTexts([base.context, base.question, other.context, other.question]).join('\n'));

  it('empty answers and questions, skipped items inside a paragraph, a paragraph that comes back later', () => {
    const items: QgItem[] = [
      { ...base, id: 'e1', answer: ' ', answerStart: 0 },
      base,
      { ...base, id: 'e2', question: '' },
      { ...base, id: 'a2', question: '哪裡？' },
      other,
      { ...base, id: 'a3' },
      { ...other, id: 'long', answer: '高雄市位於台灣南部', answerStart: 0 },
    ];
    const limits = { maxSeqLen: 64, maxAnswerLen: 6, maxQuestionLen: 20 };
    const { report } = checkAgainstOld(tok, items, limits, 'skip');
    expect(report).toEqual({
      limits,
      policy: 'skip',
      items: 7,
      kept: 4,
      skipped: { total: 3, byReason: { 'answer-too-long': 1, 'question-too-long': 0, 'context-too-long': 0, 'empty-answer': 1, 'empty-question': 1 } },
      windowed: { total: 0, byReason: { 'context-too-long': 0 } },
      examples: 9 + 4 + 7 + 9,
    } satisfies SqgDataReport);
    expect(report.examples).toBe(prepareExamples(tok, items, limits).examples.length);
  });

  it('an empty list, and all skipped', () => {
    const none = prepareExampleSet(tok, []);
    expect(none.set.size).toBe(0);
    expect(() => none.set.example(0)).toThrow(RangeError);
    const all = prepareExampleSet(tok, [base], { maxSeqLen: 64, maxAnswerLen: 1, maxQuestionLen: 20 });
    expect(all.set.size).toBe(0);
    expect(all.report.skipped.byReason['answer-too-long']).toBe(1);
  });

  it('rejects indices outside the set', () => {
    const { set } = prepareExampleSet(tok, [base]);
    expect(set.size).toBe(9);
    for (const i of [-1, 9, 1.5, NaN]) expect(() => set.example(i)).toThrow(RangeError);
    expect(set.examplesOfItem(0)).toEqual([0, 9]);
  });
});

shared.describe('prepareExampleSet on DRCD dev with bert-base-chinese', () => {
  const load = () => {
    const tok = BertTokenizer.fromVocab(readFileSync(VOCAB, 'utf8'));
    return { tok, items: toQgItems(parseDrcd(readFileSync(DRCD, 'utf8'), 'DRCD_dev.json')) };
  };
  let cached: ReturnType<typeof load> | undefined;
  const data = () => (cached ??= load());

  it('every example of the default limits (skip) is the one prepareExamples builds', () => {
    const { tok, items } = data();
    expect(items).toHaveLength(3524);
    const { set, report, old } = checkAgainstOld(tok, items, DEFAULT_SQG_LIMITS, 'skip');
    expect(report.examples).toBe(49094);
    expect(set.bytes).toBeLessThan(4e6);
    // the study's fraction on the real set: sizes for several f, contents on a seeded sample of indices
    for (const f of [0.1, 0.5, 0.999]) {
      const head = headOfSet(set, Math.floor(set.size * f));
      const want = examplesFraction(old.examples, f);
      expect(expectSameExamples(head, want, seededIndices(want.length, 300, 7))).toBeGreaterThan(0);
    }
  }, 120_000);

  it('window policy at maxSeqLen 128: a seeded sample of 3,000 examples, and the figures', () => {
    const { tok, items } = data();
    const limits = { maxSeqLen: 128, maxAnswerLen: 15, maxQuestionLen: 42 };
    const { report } = checkAgainstOld(tok, items, limits, 'window', (size) => seededIndices(size, 3000, 42));
    expect(report.windowed.total).toBeGreaterThan(3000);
    expect(report.skipped.byReason['context-too-long']).toBe(0);
  }, 120_000);

  it('token counts once, then the figures for any limits', () => {
    const { tok, items } = data();
    const lengths = sqgItemLengths(tok, items.slice(0, 500));
    for (const [limits, policy] of [
      [{ maxSeqLen: 256, maxAnswerLen: 8, maxQuestionLen: 20 }, 'skip'],
      [{ maxSeqLen: 64, maxAnswerLen: 15, maxQuestionLen: 42 }, 'window'],
    ] as const) {
      expect(sqgReportFromLengths(lengths, limits, policy)).toEqual(prepareExampleSet(tok, items.slice(0, 500), limits, policy).report);
    }
  }, 60_000);
});
