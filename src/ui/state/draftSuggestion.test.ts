import { describe, expect, it } from 'vitest';
import { suggestSettings } from '../../core/lab/suggestSettings';
import { applySuggestedData, suggestedPresetDraft, suggestionDiffs, suggestionKey } from './draftSuggestion';
import { PRESET_RECIPES, presetDraft } from './recipes';

const sampleData = PRESET_RECIPES.demo.data ?? {};
const bertBase = { name: 'bert-base-chinese', layers: 12, hiddenSize: 768, maxPositionEmbeddings: 512 };
const drcdStudy = suggestSettings({ dataset: { name: 'DRCD_dev.json', isSample: false }, model: bertBase, sampleData });
const drcdScratch = suggestSettings({ dataset: { name: 'DRCD_dev.json', isSample: false }, model: null, sampleData });
const sample = suggestSettings({ dataset: { name: 'sample', isSample: true }, model: null, sampleData });

describe('suggestionDiffs', () => {
  it("the sample demo's draft on DRCD with bert-base: the length, the policy and the preset differ", () => {
    const diffs = suggestionDiffs(presetDraft('demo'), drcdStudy);
    expect(diffs.map((d) => [d.key, d.current, d.suggested])).toEqual([
      ['maxSeqLen', '96 tokens', '512 tokens'],
      ['policy', 'window around the answer', 'skip items that do not fit'],
      ['preset', 'Sample demo', 'Study best recipe'],
    ]);
  });

  it('nothing differs for the sample demo on the sample, nor for the study presets on DRCD with bert-base', () => {
    expect(suggestionDiffs(presetDraft('demo'), sample)).toEqual([]);
    expect(suggestionDiffs(presetDraft('study'), drcdStudy)).toEqual([]);
    expect(suggestionDiffs(presetDraft('study-logits-only'), drcdStudy)).toEqual([]);
  });

  it("an unset limit is the engine's default (512 / 15 / 42, skip)", () => {
    const d = presetDraft('demo');
    d.data = {};
    expect(suggestionDiffs(d, drcdScratch)).toEqual([]);
    d.data = { maxQuestionLen: 24 };
    expect(suggestionDiffs(d, drcdScratch).map((x) => x.key)).toEqual(['maxQuestionLen']);
  });
});

describe('applying a suggestion', () => {
  it('"Use these settings" sets the limits and the policy and keeps every other edit', () => {
    const d = presetDraft('tiny');
    d.teacher.train.learningRate = 5e-5;
    d.data.maxTrainItems = 40;
    d.name = 'my run';
    applySuggestedData(d, drcdScratch);
    expect(d.data).toEqual({ maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42, policy: 'skip', maxTrainItems: 40 });
    expect([d.teacher.train.learningRate, d.name, d.preset]).toEqual([5e-5, 'my run', 'tiny']);
    expect(suggestionDiffs(d, drcdScratch)).toEqual([]);
  });

  it("the suggested preset sized for the model: a 4-layer model's student keeps 2, the length is its 128 positions", () => {
    const small = suggestSettings({ dataset: { name: 'd', isSample: false }, model: { name: 'm', layers: 4, hiddenSize: 32, maxPositionEmbeddings: 128 }, sampleData });
    const d = suggestedPresetDraft(small);
    expect(d.preset).toBe('study');
    expect(d.student).toMatchObject({ strategy: 'drop-top', k: 2 });
    expect(d.data.maxSeqLen).toBe(128);
    expect(suggestionDiffs(d, small)).toEqual([]);
    expect(suggestedPresetDraft(drcdStudy).student.k).toBe(6);
  });

  it('a key per data, model and suggestion', () => {
    expect(suggestionKey('a', drcdStudy)).not.toBe(suggestionKey('b', drcdStudy));
    expect(suggestionKey('a', drcdStudy)).not.toBe(suggestionKey('a', drcdScratch));
  });
});
