// The suggestion's figures come from the worker's dataReport at the suggested limits under both policies; an answer
// for a suggestion that is no longer the latest is dropped, and a failing call is said plainly.
import type * as Comlink from 'comlink';
import { describe, expect, it, vi } from 'vitest';
import type { LabApi } from '../../../../workers/labApi';
import type { SqgLimits, SqgPolicy } from '../../../core/data/sqgExamples';
import { dataReportOf } from '../../../core/data/testing/dataReports';
import { createLabStore } from '../store';
import type { LabDeps } from './types';

function storeWith(dataReport: (o: { limits: SqgLimits; policy: SqgPolicy }) => Promise<unknown>) {
  const api = { dataReport: vi.fn(dataReport) };
  const deps: LabDeps = {
    lab: () => api as unknown as Comlink.Remote<LabApi>,
    proxy: ((fn: unknown) => fn) as LabDeps['proxy'],
    transfer: ((obj: unknown) => obj) as LabDeps['transfer'],
  };
  return { api, store: createLabStore(deps) };
}
const limits = { maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 };

describe('suggest slice', () => {
  it('counts the suggested limits under skip and under window, once per suggestion', async () => {
    const { api, store } = storeWith(async (o) => ({ ...dataReportOf({ limits: o.limits, policy: o.policy }), tokenizer: 't' }));
    await store.getState().loadSuggestFigures('k1', limits);
    expect(api.dataReport.mock.calls.map((c) => c[0].policy)).toEqual(['skip', 'window']);
    expect(store.getState().suggestFigures).toMatchObject({ key: 'k1', skip: { policy: 'skip' }, window: { policy: 'window' } });
    await store.getState().loadSuggestFigures('k1', limits);
    expect(api.dataReport).toHaveBeenCalledTimes(2);
  });

  it('drops a late answer for an older suggestion and says why a call failed', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const { store } = storeWith(async (o) => {
      if (o.limits.maxSeqLen === 96) await slow;
      return { ...dataReportOf({ limits: o.limits, policy: o.policy }), tokenizer: 't' };
    });
    const older = store.getState().loadSuggestFigures('old', { ...limits, maxSeqLen: 96 });
    await store.getState().loadSuggestFigures('new', limits);
    release();
    await older;
    expect(store.getState().suggestFigures?.key).toBe('new');

    const failing = storeWith(async () => {
      throw new Error('dataReport is not a function');
    }).store;
    await failing.getState().loadSuggestFigures('k', limits);
    expect(failing.getState().suggestFiguresError).toBe("this build's lab worker has no dataReport() yet");
  });

  it('a dismissed suggestion is remembered once', () => {
    const { store } = storeWith(async () => undefined);
    store.getState().dismissSuggestion('k');
    store.getState().dismissSuggestion('k');
    expect(store.getState().suggestDismissed).toEqual(['k']);
  });
});
