// Data reports for tests (the run log, the Data screen, the store): one factory instead of a copy of the whole
// report in each test file.
import { SKIP_KINDS, type SqgDataReport } from '../sqgExampleStore';
import type { SkipKind } from '../sqgExamples';

/** `skipped` of a report with these counts by reason (the others 0) and their total. */
export function skippedBy(counts: Partial<Record<SkipKind, number>>): SqgDataReport['skipped'] {
  const byReason = Object.fromEntries(SKIP_KINDS.map((k) => [k, counts[k] ?? 0])) as Record<SkipKind, number>;
  return { total: Object.values(byReason).reduce((a, b) => a + b, 0), byReason };
}

/** A report at the study's limits (512 / 15 / 42, skip) of 100 items, all kept, 2000 examples; `over` replaces fields. */
export function dataReportOf(over: Partial<SqgDataReport> = {}): SqgDataReport {
  return {
    limits: { maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 },
    policy: 'skip',
    items: 100,
    kept: 100,
    skipped: skippedBy({}),
    windowed: { total: 0, byReason: { 'context-too-long': 0 } },
    examples: 2000,
    ...over,
  };
}
