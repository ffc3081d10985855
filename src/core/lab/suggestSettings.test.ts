import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDrcd, toQgItems } from '../data/drcd';
import { sqgItemLengths, sqgReportFromLengths, type SqgItemLengths } from '../data/sqgExampleStore';
import { dataReportOf, skippedBy } from '../data/testing/dataReports';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { withShared } from '../../testing/withShared';
import { modelInHand, suggestSettings, suggestionFigures, suggestionLines, type SettingsSuggestion } from './suggestSettings';

const bertBase = { name: 'bert-base-chinese', layers: 12, hiddenSize: 768, maxPositionEmbeddings: 512 };
const sampleData = { maxSeqLen: 96, policy: 'window' as const };
const drcd = { name: 'DRCD_dev.json', isSample: false };

describe('suggestSettings', () => {
  it('an uploaded 12-layer bert-base: the study preset, 512 tokens, the skip rule, a 6-layer student', () => {
    const s = suggestSettings({ dataset: drcd, model: bertBase, sampleData });
    expect(s.limits).toEqual({ maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 });
    expect(s.policy).toBe('skip');
    expect(s.preset).toBe('study');
    expect(s.fits).toContain('study-logits-only');
    expect(s.studentK).toBe(6);
    expect(s.why).toMatch(/^bert-base-chinese \(12 layers, hidden 768\) on DRCD_dev.json/);
  });

  it("caps the length at the model's positions and halves a smaller model", () => {
    const s = suggestSettings({ dataset: drcd, model: { name: 'hf-bert-tiny', layers: 4, hiddenSize: 32, maxPositionEmbeddings: 128 }, sampleData });
    expect(s.limits.maxSeqLen).toBe(128);
    expect(s.studentK).toBe(2);
    expect(s.why).toContain("capped by the model's 128 positions");
  });

  it("the embedded sample from scratch: the sample demo's sizes and the from-scratch presets", () => {
    const s = suggestSettings({ dataset: { name: 'sample', isSample: true }, model: null, sampleData });
    expect(s.limits).toEqual({ maxSeqLen: 96, maxAnswerLen: 15, maxQuestionLen: 42 });
    expect(s.policy).toBe('window');
    expect(s.preset).toBe('demo');
    expect(s.fits).toEqual(['demo', 'tiny']);
    expect(s.studentK).toBeUndefined();
  });

  it("an uploaded dataset without a model: the study's limits, from scratch", () => {
    const s = suggestSettings({ dataset: drcd, model: null, sampleData });
    expect(s.limits.maxSeqLen).toBe(512);
    expect(s.policy).toBe('skip');
    expect(s.preset).toBe('demo');
    expect(s.why).toContain('upload bert-base-chinese');
  });

  it('refuses a one-layer model and a config without positions', () => {
    expect(() => suggestSettings({ dataset: drcd, model: { ...bertBase, layers: 1 }, sampleData })).toThrow(/at least 2 layers/);
    expect(() => modelInHand({ name: 'm', layers: 12, hiddenSize: 768, config: {} })).toThrow(/max_position_embeddings must be an integer/);
    expect(modelInHand({ name: 'm', layers: 12, hiddenSize: 768, config: { max_position_embeddings: 512 } }).maxPositionEmbeddings).toBe(512);
  });
});

describe('suggestionFigures', () => {
  const s = suggestSettings({ dataset: drcd, model: bertBase, sampleData });
  const skip = dataReportOf({ items: 10, kept: 6, skipped: skippedBy({ 'context-too-long': 3, 'question-too-long': 1 }) });
  const window = dataReportOf({ policy: 'window', items: 10, kept: 9, skipped: skippedBy({ 'question-too-long': 1 }), windowed: { total: 3, byReason: { 'context-too-long': 3 } } });

  it('reads what each policy drops and keeps', () => {
    const f = suggestionFigures(s, skip, window);
    expect(f.skip).toMatchObject({ kept: 6, dropped: 4, contextTooLong: 3, questionTooLong: 1, answerTooLong: 0 });
    expect(f.window).toMatchObject({ kept: 9, windowed: 3, dropped: 1 });
    const lines = suggestionLines(s, f);
    expect(lines.skip).toBe("skip (the study's rule) drops 4 of 10 (40.0 %) items: 3 contexts too long for 512 tokens, 1 question over 42 tokens");
    expect(lines.window).toBe('window keeps 9 of 10 (90.0 %) items (3 with the context cut to a window around the answer), drops 1 (answer or question too long)');
  });

  it('refuses reports counted at other limits or with the policies swapped', () => {
    expect(() => suggestionFigures(s, window, skip)).toThrow(/skip figures were counted at 512\/15\/42 window/);
    expect(() => suggestionFigures(s, { ...skip, limits: { ...skip.limits, maxSeqLen: 96 } }, window)).toThrow(/counted at 96\/15\/42 skip/);
  });
});

// The figure the wizard shows after uploading DRCD with bert-base-chinese, counted by the lab's own rule
// (sqgReportFromLengths, as `qglab data-stats --data ../shared/drcd/DRCD_dev.json --vocab …` prints it).
const shared = withShared('suggestSettings.test.ts', 'drcd/DRCD_dev.json', 'vocab/bert-base-chinese-vocab.txt');
shared.describe('on DRCD dev with the bert-base-chinese vocabulary', () => {
  let lengths: SqgItemLengths | undefined;
  const counted = () => {
    if (!lengths) {
      const tok = BertTokenizer.fromVocab(readFileSync(shared.path('vocab/bert-base-chinese-vocab.txt'), 'utf8'));
      const items = toQgItems(parseDrcd(readFileSync(shared.path('drcd/DRCD_dev.json'), 'utf8'), 'DRCD_dev.json'));
      lengths = sqgItemLengths(tok, items);
    }
    return lengths;
  };
  const at = (s: SettingsSuggestion) =>
    suggestionFigures(s, sqgReportFromLengths(counted(), s.limits, 'skip'), sqgReportFromLengths(counted(), s.limits, 'window'));

  it("the study's skip rule at 512/15/42 drops 1,282 of the 3,524 items; the window keeps 3,348", () => {
    const s = suggestSettings({ dataset: drcd, model: bertBase, sampleData });
    const f = at(s);
    expect(f.items).toBe(3524);
    expect(f.skip).toMatchObject({ dropped: 1282, contextTooLong: 1106, answerTooLong: 91, questionTooLong: 85 });
    expect(f.window).toMatchObject({ kept: 3348, windowed: 1106, dropped: 176 });
    expect(suggestionLines(s, f).skip).toMatch(/^skip \(the study's rule\) drops 1,282 of 3,524 \(36\.4 %\) items: 1,106 contexts too long for 512 tokens/);
  });
});
