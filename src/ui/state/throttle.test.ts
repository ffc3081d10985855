import { describe, expect, it } from 'vitest';
import { throttle, type Timers } from './throttle';

function fakeTimers() {
  let t = 0;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    now: () => t,
    setTimeout: (fn, ms) => {
      due.set(++seq, { at: t + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void due.delete(h as number),
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const next = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      due.delete(next[0]);
      t = next[1].at;
      next[1].fn();
    }
    t = end;
  };
  return { timers, advance, pending: () => due.size };
}

describe('throttle', () => {
  it('runs the first call at once and folds the calls of the next 2 s into one trailing run', () => {
    const { timers, advance } = fakeTimers();
    const runs: number[] = [];
    const f = throttle(() => runs.push(timers.now()), 2000, timers);
    f();
    expect(runs).toEqual([0]);
    advance(100);
    f();
    advance(400);
    f();
    f();
    expect(runs).toEqual([0]);
    advance(1500);
    expect(runs).toEqual([0, 2000]);
    advance(5000);
    expect(runs).toEqual([0, 2000]); // nothing asked since
  });

  it('never runs twice within the interval, however often it is called', () => {
    const { timers, advance } = fakeTimers();
    const runs: number[] = [];
    const f = throttle(() => runs.push(timers.now()), 2000, timers);
    for (let i = 0; i < 100; i++) {
      f();
      advance(70);
    }
    advance(2000);
    for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(2000);
    // calls from 0 to 6930 ms: one run per 2 s, and the calls after the 6000 ms run get theirs at 8000 (none is lost)
    expect(runs).toEqual([0, 2000, 4000, 6000, 8000]);
  });

  it('runs at once again after a quiet interval; cancel drops the pending run', () => {
    const { timers, advance, pending } = fakeTimers();
    let n = 0;
    const f = throttle(() => n++, 2000, timers);
    f();
    advance(3000);
    f();
    expect(n).toBe(2);
    f();
    expect(pending()).toBe(1);
    f.cancel();
    advance(5000);
    expect(n).toBe(2);
  });

  it('each throttle keeps its own clock (two stores do not share one)', () => {
    const { timers } = fakeTimers();
    let a = 0;
    let b = 0;
    const fa = throttle(() => a++, 2000, timers);
    const fb = throttle(() => b++, 2000, timers);
    fa();
    fb();
    expect([a, b]).toEqual([1, 1]);
  });
});
