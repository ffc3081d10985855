// The loss chart's lines, axis settings and soft-term note as rendered (the drawing itself is checked in the
// browser suite, e2e/charts.e2e.ts).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../core/lab/history';
import { LossChart } from './components/LossChart';
import { useChartSettings } from './state/chartSettings';
import { useLab } from './state/store';
import { testRecord } from './state/testing/nodeRecords';

const pt = (step: number, loss: number, terms: Record<string, number>): HistoryPoint => ({ step, epoch: 0, loss, lr: 1e-4, terms, n: 1 });
const render = (props: Parameters<typeof LossChart>[0]) => renderToStaticMarkup(createElement(LossChart, props));

describe('LossChart (rendered)', () => {
  it('teacher: one line named "loss (hard CE)", the toolbar, no soft note', () => {
    const out = render({ points: [pt(1, 5, { logits: 5 }), pt(2, 4, { logits: 4 })], kind: 'total' });
    expect(out).toContain('data-lines="loss (hard CE)"');
    expect(out).toContain('data-testid="chart-smoothing"');
    expect(out).not.toContain('soft-note');
  });

  it("distill with the soft term: the note gives the model's vocabulary size from the records; log scale is on when set", () => {
    Object.assign(useLab.getInitialState(), {
      nodes: {
        s: testRecord('s', { stage: 'student', model: { layers: 1, hiddenSize: 16, parameters: 1, vocabSize: 4321 } }),
        d: testRecord('d', { stage: 'distill', parent: 's', resolved: { distill: { softForm: 'study', temperature: 1 } } }),
      },
    });
    // server rendering reads a store's initial state
    Object.assign(useChartSettings.getInitialState(), { logScale: true });
    const out = render({ points: [pt(1, 6, { logits: 5, soft: 0.001, 'hidden/1': 1 })], kind: 'total', nodeId: 'd', toolbar: false });
    expect(out).toContain('data-testid="soft-note"');
    expect(out).toContain('CE / 4,321');
    expect(out).toContain('data-log-scale="yes"');
    expect(out).not.toContain('data-testid="chart-toolbar"');
    Object.assign(useChartSettings.getInitialState(), { logScale: false });
  });
});
