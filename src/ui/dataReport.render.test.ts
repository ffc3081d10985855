// The Data screen's card counts both what the limits skip and what the 'window' policy keeps with a cut context,
// each by reason.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, it } from 'vitest';
import { DataReportCard } from './components/DataReportCard';
import { useLab } from './state/store';
import { dataReportOf, skippedBy } from '../core/data/testing/dataReports';

const setState = (p: Partial<ReturnType<typeof useLab.getState>>) => void Object.assign(useLab.getInitialState(), p);

it('data report: skipped and windowed items by reason', () => {
  setState({
    dataset: { name: 'DRCD_dev.json' } as never,
    draft: { ...useLab.getInitialState().draft, data: { policy: 'window' } },
    dataReport: {
      ...dataReportOf({
        policy: 'window',
        items: 3524,
        kept: 3348,
        skipped: skippedBy({ 'answer-too-long': 91, 'question-too-long': 85 }),
        windowed: { total: 1106, byReason: { 'context-too-long': 1106 } },
        examples: 70_000,
      }),
      tokenizer: "bert-base-chinese's vocabulary",
    },
  });
  const out = renderToStaticMarkup(createElement(DataReportCard));
  const row = (reason: string) => new RegExp(`<tr data-reason="${reason}"[^>]*>(.*?)</tr>`).exec(out)?.[1] ?? '';
  expect(row('context-too-long')).toContain('<td class="num" data-count="skipped">0 of 3,524');
  expect(row('context-too-long')).toContain('<td class="num" data-count="windowed">1,106 of 3,524 (31.4%)');
  expect(row('answer-too-long')).toContain('<td class="num" data-count="skipped">91 of 3,524');
  expect(row('answer-too-long')).toContain('<td class="num" data-count="windowed">—');
  expect(out).toContain('1,106 of 3,524 (31.4%)'); // the Windowed figure, as a share like Skipped
});
