import { describe, expect, it } from 'vitest';
import type { RunPlan, StagePlan } from './labExtras';
import { applyMicroBatches, microBatchPicks } from './planMicroBatch';
import { presetDraft } from './recipes';

const stage = (s: Partial<StagePlan> & Pick<StagePlan, 'stage'>): StagePlan => ({
  nodeId: `${s.stage}-new`,
  label: s.stage,
  examples: 100,
  batchSize: 8,
  microBatchSize: 8,
  stepsPerEpoch: 13,
  epochs: 5,
  totalSteps: 65,
  secondsPerStep: 1,
  ...s,
});
const plan = (stages: StagePlan[]) => ({ backend: 'wasm', stages, storage: { bytes: 0, perNode: {} }, knobs: [] }) as unknown as RunPlan;

describe('the micro-batches a plan found', () => {
  it('picks the stages whose timed micro-batch is smaller than the draft asks for, and applies them', () => {
    const d = presetDraft('study');
    const p = plan([
      stage({ stage: 'teacher', microBatchSize: 2 }),
      stage({ stage: 'student', microBatchSize: 0, secondsPerStep: undefined }),
      stage({ stage: 'distill', microBatchSize: 1 }),
      stage({ stage: 'selftrain', microBatchSize: 8 }),
    ]);
    const picks = microBatchPicks(p, d);
    expect(picks).toEqual([
      { stage: 'teacher', current: 8, microBatch: 2 },
      { stage: 'distill', current: 8, microBatch: 1 },
    ]);
    applyMicroBatches(d, picks);
    expect(d.teacher.train.microBatchSize).toBe(2);
    expect(d.distill.train.microBatchSize).toBe(1);
    expect(d.selftrain.train.microBatchSize).toBeUndefined();
    expect(microBatchPicks(p, d)).toEqual([]); // applied: nothing more to pick
  });

  it('an untimed stage (no figure) picks nothing', () => {
    expect(microBatchPicks(plan([stage({ stage: 'teacher', microBatchSize: 1, secondsPerStep: undefined })]), presetDraft('study'))).toEqual([]);
  });
});
