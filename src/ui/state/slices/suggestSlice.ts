// The figures behind the wizard's settings suggestion (what the suggested limits keep under the skip rule and under
// the window), counted by the worker's dataReport, and which suggestions the user dismissed.
import type { SqgLimits } from '../../../core/data/sqgExamples';
import { missingCallText, type DataReport } from '../labExtras';
import { untilWorkerDies, type Slice } from './types';

export interface SuggestFigures {
  /** suggestionKey(...) of the suggestion they were counted for */
  key: string;
  skip: DataReport;
  window: DataReport;
}

export interface SuggestSlice {
  suggestFigures: SuggestFigures | null;
  suggestFiguresError: string | null;
  /** keys of the suggestions dismissed this session (a new dataset or model makes a new suggestion) */
  suggestDismissed: string[];
  /** Counts the suggested limits under both policies (an answer for an older key arriving late is dropped). */
  loadSuggestFigures(key: string, limits: SqgLimits): Promise<void>;
  dismissSuggestion(key: string): void;
}

export const createSuggestSlice: Slice<SuggestSlice> = (deps) => (set, get) => {
  let latest = '';
  return {
    suggestFigures: null,
    suggestFiguresError: null,
    suggestDismissed: [],

    async loadSuggestFigures(key, limits) {
      latest = key;
      if (get().suggestFigures?.key === key) return;
      try {
        const [skip, window] = await untilWorkerDies(deps, () =>
          Promise.all([deps.lab().dataReport({ limits, policy: 'skip' }), deps.lab().dataReport({ limits, policy: 'window' })]),
        );
        if (latest === key) set({ suggestFigures: { key, skip, window }, suggestFiguresError: null });
      } catch (e) {
        if (latest === key) set({ suggestFigures: null, suggestFiguresError: missingCallText('dataReport', e) });
      }
    },

    dismissSuggestion(key) {
      if (!get().suggestDismissed.includes(key)) set({ suggestDismissed: [...get().suggestDismissed, key] });
    },
  };
};
