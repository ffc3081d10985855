import { useEffect, useMemo } from 'react';
import { modelInHand, suggestSettings, suggestionFigures, suggestionLines, type SettingsSuggestion } from '../../core/lab/suggestSettings';
import { configFields } from '../configFields';
import { fmtInt } from '../format';
import { applySuggestedData, dataModelKey, suggestedPresetDraft, suggestionDiffs, suggestionKey } from '../state/draftSuggestion';
import { PRESET_LABELS, PRESET_RECIPES } from '../state/recipes';
import { useLab } from '../state/store';

/** The preset's training settings in a few words ("lr 5e-5 · batch 8 · epochs 5"), from its teacher node. */
function presetSummary(s: SettingsSuggestion, teacherLayers: number | undefined): string {
  const teacher = PRESET_RECIPES[s.preset].nodes.find((n) => n.stage === 'teacher');
  const train = teacher
    ? configFields('teacher', teacher.config)
        .filter((f) => ['learningRate', 'batchSize', 'epochs'].includes(f.key))
        .map((f) => `${f.label} ${f.value}`)
    : [];
  const layers = s.studentK !== undefined && teacherLayers !== undefined ? [`student ${teacherLayers} → ${teacherLayers - s.studentK} layers`] : [];
  return [...layers, ...train].join(' · ');
}

/**
 * The wizard's suggestion of settings for the data and model in hand, shown while the draft's differ: the limits,
 * what the skip rule drops and the window keeps (counted by the worker), the preset sized for the model, a button
 * that applies the sequence settings (keeping every other edit) and one that starts from the preset. Nothing is
 * changed until a button is pressed; dismissed, it stays away until the data or the model changes.
 */
export function SuggestionCallout() {
  const dataset = useLab((s) => s.dataset);
  const baseModel = useLab((s) => s.baseModel);
  const draft = useLab((s) => s.draft);
  const forkFrom = useLab((s) => s.forkFrom);
  const running = useLab((s) => s.run?.active ?? false);
  const figures = useLab((s) => s.suggestFigures);
  const figuresError = useLab((s) => s.suggestFiguresError);
  const dismissed = useLab((s) => s.suggestDismissed);
  const { setDraft, loadSuggestFigures, dismissSuggestion } = useLab.getState();

  const made = useMemo((): { s: SettingsSuggestion; key: string } | { error: string } | null => {
    if (!dataset) return null;
    try {
      const s = suggestSettings({
        dataset: { name: dataset.name, isSample: dataset.isSample },
        model: baseModel ? modelInHand(baseModel) : null,
        sampleData: PRESET_RECIPES.demo.data ?? {},
      });
      return { s, key: suggestionKey(dataModelKey(dataset, baseModel), s) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [dataset, baseModel]);
  const key = made && 'key' in made ? made.key : null;
  const limits = made && 's' in made ? made.s.limits : null;

  useEffect(() => {
    if (key && limits && !forkFrom) void loadSuggestFigures(key, limits);
    // limits follow from key
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, forkFrom, loadSuggestFigures]);

  if (!made || forkFrom) return null;
  if ('error' in made) return <div className="callout warn" data-testid="settings-suggestion-error">No settings to suggest: {made.error}</div>;
  const { s } = made;
  if (dismissed.includes(made.key)) return null;
  const diffs = suggestionDiffs(draft, s);
  if (diffs.length === 0) return null;
  const dataDiffs = diffs.filter((d) => d.key !== 'preset');
  const presetDiff = diffs.find((d) => d.key === 'preset');
  const f = figures?.key === made.key ? suggestionFigures(s, figures.skip, figures.window) : null;
  const lines = f ? suggestionLines(s, f) : null;
  const [first, second] = lines ? (s.policy === 'skip' ? [lines.skip, lines.window] : [lines.window, lines.skip]) : [null, null];
  const l = s.limits;

  return (
    <div className="callout info suggest" data-testid="settings-suggestion" data-max-seq={l.maxSeqLen} data-policy={s.policy} data-preset={s.preset} data-skip-dropped={f?.skip.dropped} data-items={f?.items}>
      <div>
        <strong>Suggested settings.</strong> {s.why}
      </div>
      <ul>
        <li data-testid="suggest-limits">
          <b>Sequences:</b> {l.maxSeqLen} tokens, answers up to {l.maxAnswerLen}, questions up to {l.maxQuestionLen} tokens
        </li>
        <li data-testid="suggest-policy">
          <b>Long contexts:</b> {first ?? (figuresError ? `not counted: ${figuresError}` : 'counting…')}
        </li>
        {second && (
          <li data-testid="suggest-alternative">
            <b>Alternative:</b> {second}
          </li>
        )}
        <li data-testid="suggest-preset">
          <b>Preset:</b> {PRESET_LABELS[s.preset]} ({presetSummary(s, baseModel?.layers)})
        </li>
      </ul>
      {f && (
        <span className="small muted">
          Counted over the {fmtInt(f.items)} training items with {figures!.skip.tokenizer}.
        </span>
      )}
      <div className="diffs" data-testid="suggest-diffs">
        {diffs.map((d) => (
          <span key={d.key} data-diff={d.key}>
            {d.label}: <s>{d.current}</s> → <b>{d.suggested}</b>
          </span>
        ))}
      </div>
      <div className="row">
        {dataDiffs.length > 0 && (
          <button className="btn primary sm" disabled={running} onClick={() => setDraft((d) => applySuggestedData(d, s))} data-testid="use-suggestion" title="Sets the sequence limits and the long-context policy; every other setting of the draft is kept">
            Use these settings
          </button>
        )}
        {presetDiff && (
          <button
            className="btn sm"
            disabled={running}
            onClick={() => setDraft((d) => Object.assign(d, suggestedPresetDraft(s)))}
            data-testid="use-suggested-preset"
            title="Replaces the draft's stage settings with the preset's, sized for the model, and the sequence settings above"
          >
            Start from {PRESET_LABELS[s.preset]} (replaces the stage settings)
          </button>
        )}
        <button className="btn ghost sm" onClick={() => dismissSuggestion(made.key)} data-testid="dismiss-suggestion">
          Dismiss
        </button>
      </div>
    </div>
  );
}
