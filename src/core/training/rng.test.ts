import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng (mulberry32)', () => {
  it('is deterministic in its seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
    for (const x of xs) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  it('resumes the exact stream from a saved state', () => {
    const r = new Rng(7);
    r.next();
    r.next();
    const saved = r.getState();
    const rest = [r.next(), r.next(), r.nextInt(10)];
    const r2 = new Rng(0);
    r2.setState(saved);
    expect([r2.next(), r2.next(), r2.nextInt(10)]).toEqual(rest);
  });

  it('shuffles to a permutation, reproducibly', () => {
    const p = new Rng(1).shuffle([...Array(20).keys()]);
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    expect(new Rng(1).shuffle([...Array(20).keys()])).toEqual(p);
    expect(p).not.toEqual([...Array(20).keys()]);
  });

  it('rejects bad seeds and states', () => {
    expect(() => new Rng(NaN)).toThrow(/finite/);
    expect(() => new Rng(1).setState(-1)).toThrow(/32-bit/);
    expect(() => new Rng(1).nextInt(0)).toThrow(/positive/);
  });
});
