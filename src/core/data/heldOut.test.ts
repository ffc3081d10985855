import { describe, expect, it } from 'vitest';
import { defaultHeldOutCount, holdOutItems } from './heldOut';

describe('holdOutItems', () => {
  const items = Array.from({ length: 50 }, (_, i) => `q${i}`);
  it('draws n items by a seeded shuffle, the same every time; both parts keep file order and together are the input', () => {
    const a = holdOutItems(items, 7);
    expect(a).toEqual(holdOutItems(items, 7));
    expect(a.heldOut).toHaveLength(7);
    expect(a.train).toHaveLength(43);
    expect([...a.train, ...a.heldOut].sort()).toEqual([...items].sort());
    const idx = (xs: string[]) => xs.map((x) => Number(x.slice(1)));
    for (const part of [a.train, a.heldOut]) expect(idx(part)).toEqual([...idx(part)].sort((x, y) => x - y));
    // not simply the first or last items
    expect(a.heldOut).not.toEqual(items.slice(0, 7));
    expect(a.heldOut).not.toEqual(items.slice(-7));
    expect(holdOutItems(items, 7, 1).heldOut).not.toEqual(a.heldOut);
  });
  it('0 holds nothing out; refuses to hold out every item or a bad count', () => {
    expect(holdOutItems(items, 0)).toEqual({ train: items, heldOut: [] });
    expect(() => holdOutItems(items, 50)).toThrow(/training needs at least one/);
    expect(() => holdOutItems(items, 1.5)).toThrow(/non-negative integer/);
  });
  it('the default takes at most a tenth of the training items', () => {
    expect(defaultHeldOutCount(272, 16)).toBe(16);
    expect(defaultHeldOutCount(40, 16)).toBe(4);
    expect(defaultHeldOutCount(5, 16)).toBe(0);
  });
});
