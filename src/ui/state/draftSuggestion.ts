// The wizard's draft against the settings suggested for the data and model in hand (core/lab/suggestSettings): which
// of its settings differ, and the draft with the suggestion applied. Pure: no React, no worker.
import type { SettingsSuggestion } from '../../core/lab/suggestSettings';
import { dataOptionsOf } from './plan';
import { PRESET_LABELS, presetDraft, type Draft } from './recipes';

export type SuggestedKey = 'maxSeqLen' | 'maxAnswerLen' | 'maxQuestionLen' | 'policy' | 'preset';

/** One setting the draft has otherwise than suggested, in words. */
export interface SettingDiff {
  key: SuggestedKey;
  label: string;
  current: string;
  suggested: string;
}

const POLICY_WORDS = { skip: 'skip items that do not fit', window: 'window around the answer' } as const;

/**
 * The draft's settings that differ from the suggestion: the sequence limits and the fit policy (an unset field is
 * the engine's default, 512 / 15 / 42 and skip), and the preset when the draft's is not one that fits the model.
 */
export function suggestionDiffs(d: Draft, s: SettingsSuggestion): SettingDiff[] {
  const { limits, policy } = dataOptionsOf(d.data);
  const out: SettingDiff[] = [];
  const num = (key: 'maxSeqLen' | 'maxAnswerLen' | 'maxQuestionLen', label: string) => {
    if (limits[key] !== s.limits[key]) out.push({ key, label, current: `${limits[key]} tokens`, suggested: `${s.limits[key]} tokens` });
  };
  num('maxSeqLen', 'Max sequence');
  num('maxAnswerLen', 'Max answer');
  num('maxQuestionLen', 'Max question');
  if (policy !== s.policy) out.push({ key: 'policy', label: 'Long contexts', current: POLICY_WORDS[policy], suggested: POLICY_WORDS[s.policy] });
  if (!s.fits.includes(d.preset)) out.push({ key: 'preset', label: 'Preset', current: PRESET_LABELS[d.preset], suggested: PRESET_LABELS[s.preset] });
  return out;
}

/** "Use these settings": the suggested limits and policy written into the draft; every other field is kept. */
export function applySuggestedData(d: Draft, s: SettingsSuggestion): void {
  d.data = { ...d.data, ...s.limits, policy: s.policy };
}

/**
 * The suggested preset's draft sized for the model: its stage settings, the student cut to half the model's
 * layers when a model is in hand, and the suggested limits (capped by the model's positions). It replaces the
 * draft's stage settings, which the button says.
 */
export function suggestedPresetDraft(s: SettingsSuggestion): Draft {
  const d = presetDraft(s.preset);
  if (s.studentK !== undefined && d.student.strategy !== 'keep') d.student.k = s.studentK;
  applySuggestedData(d, s);
  return d;
}

/** Which dataset and model a suggestion is made for (a new upload of either makes a new one). */
export function dataModelKey(dataset: { name: string; loadedAt: number }, model: { name: string; loadedAt: number } | null): string {
  return `${dataset.name}|${dataset.loadedAt}|${model?.name ?? ''}|${model?.loadedAt ?? ''}`;
}

/** What a suggestion is for: its figures and its dismissal belong to these settings of this data and model. */
export function suggestionKey(datasetKey: string, s: SettingsSuggestion): string {
  return JSON.stringify([datasetKey, s.limits, s.policy, s.preset, s.studentK ?? null]);
}
