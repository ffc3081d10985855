import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { parseDrcd, toQgItems, type QgItem } from './drcd';
import {
  DEFAULT_SQG_LIMITS,
  answerTokenSpan,
  encodeQgItem,
  examplesFraction,
  isSkipReason,
  contextCutReport,
  describeContextCut,
  predictionContext,
  predictionCutFigures,
  predictionPrompt,
  prepareExamples,
  promptFor,
  sqgExamplesFor,
  type EncodedItem,
} from './sqgExamples';
import { withShared } from '../../testing/withShared';

const VOCAB = 'vocab/bert-base-chinese-vocab.txt';
const GOLDEN = 'fixtures/hf-bert-tiny/golden.json';
const withVocab = withShared('sqgExamples.test', VOCAB);
const withGolden = withShared('sqgExamples.test (golden batches)', VOCAB, GOLDEN);
const DRCD = 'drcd/DRCD_dev.json';
const withDrcd = withShared('sqgExamples.test (DRCD dev prompts)', VOCAB, DRCD);
const tok = withVocab.available ? BertTokenizer.fromVocab(readFileSync(withVocab.path(VOCAB), 'utf8')) : (undefined as unknown as BertTokenizer);
const ids = (s: string) => tok.encodeText(s);

const item: QgItem = {
  id: 'x1',
  context: '台北市位於台灣北部。',
  answer: '台灣北部',
  answerStart: 5,
  question: '台北市位於哪裡？',
};

function encoded(it: QgItem, limits = DEFAULT_SQG_LIMITS, policy: 'skip' | 'window' = 'skip'): EncodedItem {
  const e = encodeQgItem(tok, it, limits, policy);
  if (isSkipReason(e)) throw new Error(`unexpected skip: ${e.detail}`);
  return e;
}

withVocab.describe('BERT-SQG example layout', () => {
  it('builds [CLS] context [SEP] answer [SEP] q1..qi [MASK] with n+1 examples', () => {
    const enc = encoded(item);
    expect(enc).toEqual({ id: 'x1', contextIds: ids(item.context), answerIds: ids('台灣北部'), questionIds: ids(item.question) });
    const q = enc.questionIds;
    expect(q).toHaveLength(8);
    const ex = sqgExamplesFor(tok, enc);
    expect(ex).toHaveLength(9);
    const c = enc.contextIds; // 10 tokens
    const a = enc.answerIds; // 4 tokens
    expect(ex[0]).toEqual({
      inputIds: [101, ...c, 102, ...a, 102, 103],
      tokenTypeIds: [...Array(12).fill(0), ...Array(5).fill(1), 0],
      maskPos: 17,
      label: q[0],
    });
    expect(ex[3]!.inputIds).toEqual([101, ...c, 102, ...a, 102, ...q.slice(0, 3), 103]);
    expect(ex[3]!.tokenTypeIds).toEqual([...Array(12).fill(0), ...Array(5).fill(1), 0, 0, 0, 0]);
    expect(ex[3]!.maskPos).toBe(20);
    expect(ex[3]!.label).toBe(q[3]);
    expect(ex[8]!.label).toBe(tok.special.sep);
    expect(ex[8]!.inputIds.length).toBe(1 + 10 + 1 + 4 + 1 + 8 + 1);
    for (const e of ex) {
      expect(e.inputIds[e.maskPos]).toBe(103);
      expect(e.maskPos).toBe(e.inputIds.length - 1);
    }
    expect(ex.map((e) => e.label)).toEqual([...q, 102]);
  });
});

withGolden.describe('BERT-SQG example layout against Hugging Face', () => {
  it('reproduces the inputs Hugging Face code built for the hf-bert-tiny golden batches', () => {
    const golden = JSON.parse(readFileSync(withGolden.path(GOLDEN), 'utf8'));
    let checked = 0;
    for (const b of golden.batches) {
      b.examples.forEach((g: any, r: number) => {
        expect(tok.tokenize(g.context_window)).toEqual(g.tokens.slice(1, 1 + tok.tokenize(g.context_window).length));
        const q = ids(g.question);
        const p = promptFor(tok, ids(g.context_window), ids(g.answer), q.slice(0, g.question_prefix_len));
        const n = p.inputIds.length;
        expect(p.inputIds).toEqual(b.input_ids[r].slice(0, n));
        expect(p.tokenTypeIds).toEqual(b.token_type_ids[r].slice(0, n));
        expect(p.maskPos).toBe(b.mask_positions[r]);
        expect([...q, 102][g.question_prefix_len]).toBe(b.labels[r][p.maskPos]);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(0);
  });
});

withVocab.describe("skip policy (the study's rule)", () => {
  const limits = { maxSeqLen: 40, maxAnswerLen: 3, maxQuestionLen: 6 };
  it('gives the reason for each skip', () => {
    const long = { ...item, context: '台北市位於台灣北部。' };
    expect(encodeQgItem(tok, long, limits, 'skip')).toMatchObject({ id: 'x1', reason: 'answer-too-long' });
    expect(encodeQgItem(tok, { ...item, answer: '北部', answerStart: 7 }, limits, 'skip')).toMatchObject({
      reason: 'question-too-long',
    });
    const fits = { ...item, answer: '北部', answerStart: 7, question: '在哪裡？' }; // budget = 40 - 2 - 4 - 4 = 30
    expect(isSkipReason(encodeQgItem(tok, { ...fits, context: '甲'.repeat(30) + '北部' }, limits, 'skip'))).toBe(true);
    const r = encodeQgItem(tok, { ...fits, context: '甲'.repeat(31) }, limits, 'skip');
    expect(r).toMatchObject({ reason: 'context-too-long' });
    expect((r as { detail: string }).detail).toContain('budget 30');
    expect(isSkipReason(encodeQgItem(tok, { ...fits, context: '甲'.repeat(28) + '北部' }, limits, 'skip'))).toBe(false);
    expect(encodeQgItem(tok, { ...item, question: '   ' })).toMatchObject({ reason: 'empty-question' });
  });

  it('prepareExamples encodes in file order and lists the skipped items', () => {
    const items: QgItem[] = [item, { ...item, id: 'x2', answer: '台北市位於台灣北部。'.repeat(3), answerStart: 0 }, { ...item, id: 'x3' }];
    const out = prepareExamples(tok, items, DEFAULT_SQG_LIMITS, 'skip');
    expect(out.encoded.map((e) => e.id)).toEqual(['x1', 'x3']);
    expect(out.skipped).toEqual([{ id: 'x2', reason: 'answer-too-long', detail: expect.stringContaining('30 tokens') }]);
    expect(out.examples).toHaveLength(18);
    expect(out.examples.slice(0, 9)).toEqual(sqgExamplesFor(tok, out.encoded[0]!));
    expect(examplesFraction(out.examples, 0.5)).toEqual(out.examples.slice(0, 9));
    expect(examplesFraction(out.examples, 0.3)).toHaveLength(5);
    expect(() => examplesFraction(out.examples, -0.1)).toThrow(RangeError);
  });
});

// A long context with the answer in the middle: ~200 filler tokens (some word pieces), answer, 200 filler tokens.
const longItem: QgItem = {
  id: 'long',
  context: '甲'.repeat(150) + 'abc def ' + '乙'.repeat(48) + '台灣北部' + '丙'.repeat(200),
  answer: '台灣北部',
  answerStart: 150 + 8 + 48,
  question: '台北市位於哪裡？',
};

withVocab.describe('window policy and prediction context', () => {
  const limits = { maxSeqLen: 64, maxAnswerLen: 15, maxQuestionLen: 20 };

  it('finds the answer token span from the character offset', () => {
    const ctx = ids(longItem.context);
    const [s, e] = answerTokenSpan(tok, longItem, ctx);
    expect(ctx.slice(s, e)).toEqual(ids('台灣北部'));
    expect(s).toBe(ids(longItem.context.slice(0, longItem.answerStart)).length);
    expect(s).toBeGreaterThan(150 + 48);
    // the first occurrence is not taken when answer_start points at a later one
    const twice = { ...item, context: '台灣北部在北，台灣北部。', answerStart: 7 };
    expect(answerTokenSpan(tok, twice, ids(twice.context))).toEqual([7, 11]);
  });

  it('keeps a context window that contains the answer, centred on it', () => {
    const enc = encoded(longItem, limits, 'window');
    const budget = 64 - 4 - 8 - 4;
    expect(enc.contextIds).toHaveLength(budget);
    const at = enc.contextIds.findIndex((_, i) => ids('台灣北部').every((t, j) => enc.contextIds[i + j] === t));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(Math.abs(at + 2 - budget / 2)).toBeLessThanOrEqual(1);
    const ex = sqgExamplesFor(tok, enc);
    expect(Math.max(...ex.map((e) => e.inputIds.length))).toBeLessThanOrEqual(64);
    expect(isSkipReason(encodeQgItem(tok, longItem, limits, 'skip'))).toBe(true);
  });

  it('shifts the window inside the context near its ends', () => {
    const early = { ...longItem, context: '台灣北部' + '丙'.repeat(300), answerStart: 0 };
    expect(encoded(early, limits, 'window').contextIds.slice(0, 4)).toEqual(ids('台灣北部'));
    const late = { ...longItem, context: '丙'.repeat(300) + '台灣北部', answerStart: 300 };
    expect(encoded(late, limits, 'window').contextIds.slice(-4)).toEqual(ids('台灣北部'));
  });

  it('predictionContext cuts to maxSeqLen − |answer| − maxQuestionLen − 4 tokens centred on the answer', () => {
    const p = predictionContext(tok, longItem, limits);
    const budget = 64 - 4 - 20 - 4;
    expect(p.contextIds).toHaveLength(budget);
    const at = p.contextIds.findIndex((_, i) => ids('台灣北部').every((t, j) => p.contextIds[i + j] === t));
    expect(Math.abs(at + 2 - budget / 2)).toBeLessThanOrEqual(1);
    expect(p.answerIds).toEqual(ids('台灣北部'));
    expect(p.questionIds).toEqual(ids(longItem.question));
    const prompt = promptFor(tok, p.contextIds, p.answerIds, []);
    expect(prompt.inputIds.length + limits.maxQuestionLen).toBeLessThanOrEqual(64);
    // a short context is kept whole
    expect(predictionContext(tok, item).contextIds).toEqual(ids(item.context));
  });

  it("'head' keeps the context's first tokens (the study's DRCD path) and says when that loses the answer", () => {
    const budget = 64 - 4 - 20 - 4;
    const head = predictionPrompt(tok, longItem, limits, 'head');
    expect(head.contextIds).toEqual(ids(longItem.context).slice(0, budget));
    // the answer sits ~200 tokens in: the head cut loses it, the window keeps it
    expect([head.cut, head.answer]).toEqual([true, 'dropped']);
    const win = predictionPrompt(tok, longItem, limits, 'answer-window');
    expect([win.cut, win.answer]).toEqual([true, 'kept']);
    expect(win.contextIds).toEqual(predictionContext(tok, longItem, limits).contextIds);
    expect(predictionContext(tok, longItem, limits, 'head')).toEqual({
      id: head.id,
      contextIds: head.contextIds,
      answerIds: head.answerIds,
      questionIds: head.questionIds,
    });
    // an answer across the head's end is kept in part; one inside it is kept
    const across = { ...longItem, context: '甲'.repeat(budget - 2) + '台灣北部' + '丙'.repeat(100), answerStart: budget - 2 };
    expect(predictionPrompt(tok, across, limits, 'head').answer).toBe('partly');
    const early = { ...longItem, context: '台灣北部' + '丙'.repeat(300), answerStart: 0 };
    expect(predictionPrompt(tok, early, limits, 'head')).toMatchObject({ cut: true, answer: 'kept' });
    // both modes give the same prompt when the context fits
    expect(predictionPrompt(tok, item, limits, 'head')).toEqual(predictionPrompt(tok, item, limits, 'answer-window'));
    expect(predictionPrompt(tok, item, limits, 'head')).toMatchObject({ cut: false, answer: 'kept' });
  });

  it('counts the prompts a cut touched, by what happened to the answer', () => {
    const across = { ...longItem, id: 'across', context: '甲'.repeat(34) + '台灣北部' + '丙'.repeat(100), answerStart: 34 };
    const prompts = [item, longItem, across].map((it) => predictionPrompt(tok, it, limits, 'head'));
    const r = contextCutReport('head', prompts);
    expect(r).toEqual({ mode: 'head', prompts: 3, cut: 2, answerDropped: 1, answerPartlyCut: 1 });
    expect(describeContextCut(r)).toBe('context head: 2 of 3 prompts cut to their first tokens (1 lost the answer, 1 kept part of it)');
    const w = contextCutReport('answer-window', [item, longItem, across].map((it) => predictionPrompt(tok, it, limits, 'answer-window')));
    expect(w).toEqual({ mode: 'answer-window', prompts: 3, cut: 2, answerDropped: 0, answerPartlyCut: 0 });
    expect(describeContextCut(w)).toBe('context answer-window: 2 of 3 prompts cut to a window around the answer');
  });
});

withDrcd.describe('prediction prompts of DRCD dev under both cuts', () => {
  it("the study's head cut loses the answer of 198 of its 3,524 questions; the window keeps every one", () => {
    const items = toQgItems(parseDrcd(readFileSync(withDrcd.path(DRCD), 'utf8'), DRCD));
    const f = predictionCutFigures(tok, items);
    // the figures are those of the prompts evaluation builds
    for (const mode of ['head', 'answer-window'] as const)
      expect(f[mode]).toEqual(contextCutReport(mode, items.map((it) => predictionPrompt(tok, it, DEFAULT_SQG_LIMITS, mode))));
    expect(f.head).toEqual({ mode: 'head', prompts: 3524, cut: 1361, answerDropped: 198, answerPartlyCut: 4 });
    expect(f['answer-window']).toEqual({ mode: 'answer-window', prompts: 3524, cut: 1361, answerDropped: 0, answerPartlyCut: 0 });
    expect(f.contextsDiffer).toBe(663);
  });
});
