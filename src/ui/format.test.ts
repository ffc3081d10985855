import { describe, expect, it } from 'vitest';
import { fmtPlanDuration, fmtSecondsPerStep } from './format';

const MIN = 60_000;
const H = 60 * MIN;

describe('plan durations', () => {
  it('reads as a plan does: seconds, minutes, hours and minutes (never days)', () => {
    expect(fmtPlanDuration(40_000)).toBe('≈ 40 s');
    expect(fmtPlanDuration(200)).toBe('≈ 1 s');
    expect(fmtPlanDuration(12 * MIN + 10_000)).toBe('≈ 12 min');
    expect(fmtPlanDuration(3 * H + 10 * MIN)).toBe('≈ 3 h 10 min');
    expect(fmtPlanDuration(61 * H + 20 * MIN + 14_000)).toBe('≈ 61 h 20 min');
    expect(fmtPlanDuration(61 * H)).toBe('≈ 61 h');
  });
  it('rounds to the minute across the hour', () => {
    expect(fmtPlanDuration(59.5 * 1000)).toBe('≈ 1 min');
    expect(fmtPlanDuration(59 * MIN + 40_000)).toBe('≈ 1 h');
    expect(fmtPlanDuration(61 * H + 59.6 * MIN)).toBe('≈ 62 h');
  });
  it('has no figure for a stage that was not timed', () => {
    expect(fmtPlanDuration(undefined)).toBe('—');
    expect(fmtPlanDuration(Number.NaN)).toBe('—');
  });
  it('seconds per step', () => {
    expect(fmtSecondsPerStep(0.095)).toBe('95 ms');
    expect(fmtSecondsPerStep(5)).toBe('5.00 s');
    expect(fmtSecondsPerStep(12.34)).toBe('12.3 s');
    expect(fmtSecondsPerStep(undefined)).toBe('—');
  });
});
