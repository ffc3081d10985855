import { describe, expect, it } from 'vitest';
import { defaultStoppingCriteria, MaxLengthCriterion } from './stoppingCriteria';

describe('stopping criteria', () => {
  it('[SEP] ends a sequence; the length limit counts the [SEP]; [SEP] wins at the limit', () => {
    const stop = defaultStoppingCriteria(9, 3);
    expect(stop.check([])).toBeNull();
    expect(stop.check([4, 9])).toBe('eos');
    expect(stop.check([4, 5])).toBeNull();
    expect(stop.check([4, 5, 6])).toBe('maxLength');
    expect(stop.check([4, 5, 9])).toBe('eos');
  });

  it('rejects a bad limit', () => {
    expect(() => new MaxLengthCriterion(0)).toThrow(/maxLen must be a positive integer/);
  });
});
