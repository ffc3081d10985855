// How an evaluation's generation time and question count read, in one place for the run log, `qglab eval`, the
// node panel and the Compare table: the time as the median of the timing runs with their range, and a warning when
// the scores are over too few test questions to tell two branches apart.
import type { GenTiming } from './evaluate';

/** Below this many test questions the scores of two branches are not compared without a warning. */
export const FEW_TEST_QUESTIONS = 100;

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** "6.8 ms (6.2–10.9, 3 runs)"; one run: "6.8 ms (1 run)". */
export function timingText(t: Pick<GenTiming, 'median' | 'min' | 'max' | 'runs'>): string {
  const n = t.runs.length;
  return n > 1 ? `${ms(t.median)} ms (${ms(t.min)}–${ms(t.max)}, ${n} runs)` : `${ms(t.median)} ms (1 run)`;
}

/** The log's and the CLI's line: "6.8 ms per question, median of 3 runs of 30 questions (6.2–10.9 ms)". */
export function describeTiming(t: GenTiming): string {
  const n = t.runs.length;
  return n > 1
    ? `${ms(t.median)} ms per question, median of ${n} runs of ${t.questions} question${t.questions === 1 ? '' : 's'} (${ms(t.min)}–${ms(t.max)} ms)`
    : `${ms(t.median)} ms per question (one run of ${t.questions} question${t.questions === 1 ? '' : 's'})`;
}

/** The warning for scores over fewer than FEW_TEST_QUESTIONS questions (undefined otherwise). */
export function fewQuestionsNote(n: number | undefined): string | undefined {
  if (n === undefined || !(n > 0) || n >= FEW_TEST_QUESTIONS) return undefined;
  return `scores over ${n} test question${n === 1 ? '' : 's'}: too few to tell branches apart (small differences between branches are noise; evaluate on at least ${FEW_TEST_QUESTIONS} questions to compare them)`;
}
