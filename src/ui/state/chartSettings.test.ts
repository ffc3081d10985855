import { describe, expect, it } from 'vitest';
import { smoothingWeight, useChartSettings } from './chartSettings';

describe('chart settings', () => {
  it('clamps the smoothing weight to [0, 0.99] and refuses NaN', () => {
    expect(smoothingWeight(0.5)).toBe(0.5);
    expect(smoothingWeight(1)).toBe(0.99);
    expect(smoothingWeight(-1)).toBe(0);
    expect(() => smoothingWeight(Number.NaN)).toThrow(/number/);
  });

  it('one store: a change is seen by every reader', () => {
    useChartSettings.getState().setSmoothing(0.9);
    useChartSettings.getState().setLogScale(true);
    expect(useChartSettings.getState()).toMatchObject({ smoothing: 0.9, logScale: true });
    useChartSettings.getState().setSmoothing(2);
    expect(useChartSettings.getState().smoothing).toBe(0.99);
  });
});
