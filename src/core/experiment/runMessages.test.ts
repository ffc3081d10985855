import { describe, expect, it } from 'vitest';
import { dataReportOf as report } from '../data/testing/dataReports';
import { describeDataReport } from './runMessages';

describe('describeDataReport: the training items skipped and windowed, each by reason', () => {
  it("'skip': the items skipped by reason", () => {
    const r = report({
      kept: 60,
      skipped: { total: 40, byReason: { 'answer-too-long': 3, 'question-too-long': 2, 'context-too-long': 35, 'empty-answer': 0, 'empty-question': 0 } },
    });
    expect(describeDataReport(r)).toBe(
      '60 of 100 training items → 2000 examples; 40 skipped (answer-too-long: 3, question-too-long: 2, context-too-long: 35) [limits 512/15/42, policy skip]',
    );
    expect(describeDataReport(report({}))).toBe('100 of 100 training items → 2000 examples; 0 skipped [limits 512/15/42, policy skip]');
  });

  it("'window': the items kept with a window, by reason, beside those still skipped; 0 said too", () => {
    const r = report({
      policy: 'window',
      kept: 95,
      skipped: { total: 5, byReason: { 'answer-too-long': 5, 'question-too-long': 0, 'context-too-long': 0, 'empty-answer': 0, 'empty-question': 0 } },
      windowed: { total: 30, byReason: { 'context-too-long': 30 } },
    });
    expect(describeDataReport(r)).toBe(
      '95 of 100 training items → 2000 examples; 5 skipped (answer-too-long: 5); 30 kept with the context cut to a window around the answer (context-too-long: 30) [limits 512/15/42, policy window]',
    );
    expect(describeDataReport(report({ policy: 'window' }))).toBe(
      '100 of 100 training items → 2000 examples; 0 skipped; 0 kept with the context cut to a window around the answer [limits 512/15/42, policy window]',
    );
  });
});
