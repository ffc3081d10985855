import { describe, expect, it } from 'vitest';
import { dataReportOf as report } from '../data/testing/dataReports';
import { describeDataReport, describeNodeResult, formatDuration } from './runMessages';

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

describe('describeNodeResult: one line per finished node', () => {
  const scores = (avg: number) => ({ Bleu_1: 0, Bleu_2: 0, Bleu_3: 0, Bleu_4: 0, METEOR: 0, ROUGE_L: 0, avg_score: avg });
  const teacher = { id: 'teacher', stage: 'teacher' as const, label: 'Teacher', trainMs: 123_000, steps: 80, lastLoss: 1.9234, scores: scores(0.43) };

  it('a trained node: time, steps, avg_score ×100 with the % of its teacher, last loss', () => {
    const d = { id: 'distill', stage: 'distill' as const, label: 'Distill · drop 0.3', trainMs: 72_000, steps: 40, lastLoss: 2.3141, scores: scores(0.4128) };
    expect(describeNodeResult(d, teacher)).toBe(
      "node 'distill' (Distill · drop 0.3) done in 1 min 12 s, 40 steps: avg_score 41.28 (96.0 % of teacher 'teacher'), last loss 2.31",
    );
  });

  it('the teacher itself: no % of itself; a student cut: no training, no loss; unevaluated says so', () => {
    expect(describeNodeResult(teacher, teacher)).toBe("node 'teacher' (Teacher) done in 2 min 3 s, 80 steps: avg_score 43.00, last loss 1.92");
    expect(describeNodeResult({ id: 's', stage: 'student', label: 'Student', trainMs: 210, scores: scores(0.05) }, teacher)).toBe(
      "node 's' (Student) done in 0.2 s (no training): avg_score 5.00 (11.6 % of teacher 'teacher')",
    );
    expect(describeNodeResult({ id: 'x', stage: 'selftrain', label: 'Self-train', trainMs: 4000, steps: 3, lastLoss: 0.01234 })).toBe(
      "node 'x' (Self-train) done in 4.0 s, 3 steps: not evaluated, last loss 0.0123",
    );
  });

  it('a reference that is not a teacher, or not evaluated, gives no %', () => {
    const d = { id: 'd', stage: 'distill' as const, label: 'D', trainMs: 1000, steps: 1, lastLoss: 1, scores: scores(0.2) };
    expect(describeNodeResult(d, { ...teacher, stage: 'student' })).not.toContain('% of');
    expect(describeNodeResult(d, { ...teacher, scores: undefined })).not.toContain('% of');
  });
});

describe('formatDuration', () => {
  it('seconds, minutes and hours as the log reads them; a negative duration is an error', () => {
    expect(formatDuration(800)).toBe('0.8 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(72_000)).toBe('1 min 12 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(() => formatDuration(-1)).toThrow(RangeError);
  });
});
