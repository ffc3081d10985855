/**
 * Seeded pseudo-random numbers for the train loop (batch shuffling, per-step dropout seeds).
 *
 * mulberry32: one 32-bit word of state, so the whole generator is serialisable as a single number and a
 * checkpoint can resume the exact stream. The study seeds Python/NumPy/torch (`set_seed(args)`, seed 42)
 * and shuffles with torch's `RandomSampler`; that stream cannot be reproduced here, only the property that
 * the same seed gives the same order.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`);
    this.state = seed >>> 0;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.nextInt needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Fisher–Yates shuffle, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  getState(): number {
    return this.state;
  }

  setState(state: number): void {
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff) {
      throw new Error(`Rng state must be an unsigned 32-bit integer, got ${state}`);
    }
    this.state = state >>> 0;
  }
}
