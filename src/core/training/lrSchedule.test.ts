import { describe, expect, it } from 'vitest';
import { learningRateAt, linearWarmupDecayFactor, warmupStepsFor } from './lrSchedule';

describe('linear warmup + decay (HF get_linear_schedule_with_warmup)', () => {
  it('without warmup decays linearly from the peak to 0', () => {
    // total 4: multipliers 4/4, 3/4, 2/4, 1/4 for updates 0..3
    const lrs = [0, 1, 2, 3, 4].map((s) => learningRateAt(s, 5e-5, 0, 4));
    [5e-5, 3.75e-5, 2.5e-5, 1.25e-5, 0].forEach((want, i) => expect(lrs[i]).toBeCloseTo(want, 15));
  });

  it('warms up from 0 then decays', () => {
    // warmup 2, total 10: 0, 0.5, then (10 - s) / 8
    const f = [0, 1, 2, 3, 6, 10, 12].map((s) => linearWarmupDecayFactor(s, 2, 10));
    expect(f).toEqual([0, 0.5, 1, 7 / 8, 4 / 8, 0, 0]);
  });

  it('warmup steps from a ratio use ceil, as HF TrainingArguments', () => {
    expect(warmupStepsFor(100, 0.1)).toBe(10);
    expect(warmupStepsFor(101, 0.1)).toBe(11);
    expect(warmupStepsFor(100, 0)).toBe(0);
  });
});
