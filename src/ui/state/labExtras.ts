// The lab-core calls for a full-size study, as the UI uses them: the Data screen's figures (dataReport), the plan
// before a long run (planRun) and dropping resume checkpoints (clearTrainStates). The types are the lab contract's
// (workers/labApi.ts); this file names the parts the screens use.
import type { SkipKind, SqgLimits, SqgPolicy } from '../../core/data/sqgExamples';

export type { DataReport, RunPlan, StagePlan } from '../../../workers/labApi';
export type { SkipKind };
export type DataLimits = SqgLimits;
export type DataPolicy = SqgPolicy;

/** Skip reasons in the order the Data screen lists them (the core's SKIP_KINDS). */
export const SKIP_KINDS: readonly SkipKind[] = ['answer-too-long', 'question-too-long', 'context-too-long', 'empty-answer', 'empty-question'];

export type ExtraCall = 'dataReport' | 'planRun' | 'clearTrainStates';

/** An error from a worker that lacks the call (an older build: comlink says "… is not a function"), said plainly. */
export function missingCallText(call: ExtraCall, e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return /is not a function/i.test(text) ? `this build's lab worker has no ${call}() yet` : text;
}
