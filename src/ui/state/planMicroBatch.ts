// The micro-batches a plan found to fit (its memory probe on the chosen backend), as changes to the wizard's draft:
// the plan picks them, the Plan card shows them and applies them with one click (the user can still type others).
import type { RunPlan } from './labExtras';
import type { Draft } from './recipes';

export type TrainedStage = 'teacher' | 'distill' | 'selftrain';
export interface MicroBatchPick {
  stage: TrainedStage;
  /** the micro-batch the draft asks for now (its batch size when unset) */
  current: number;
  microBatch: number;
}

const trainOf = (d: Draft, stage: TrainedStage) => (stage === 'teacher' ? d.teacher.train : d[stage].train);

/** Stages of the plan that only fit in memory with a smaller micro-batch than the draft's. */
export function microBatchPicks(plan: RunPlan, draft: Draft): MicroBatchPick[] {
  const picks: MicroBatchPick[] = [];
  for (const p of plan.stages) {
    if (p.stage === 'student' || p.secondsPerStep === undefined) continue;
    const t = trainOf(draft, p.stage);
    const batch = t.batchSize ?? p.batchSize;
    const current = t.microBatchSize && t.microBatchSize > 0 ? Math.min(t.microBatchSize, batch) : batch;
    if (p.microBatchSize < current && !picks.some((x) => x.stage === p.stage)) picks.push({ stage: p.stage, current, microBatch: p.microBatchSize });
  }
  return picks;
}

/** The draft with the picked micro-batches set (the update stays the same: gradients accumulate to the batch). */
export function applyMicroBatches(d: Draft, picks: readonly MicroBatchPick[]): void {
  for (const p of picks) trainOf(d, p.stage).microBatchSize = p.microBatch;
}
