// The held-out validation items: the datasets the lab reads have a train and a test split and no dev split, so the
// validation curve's questions are carved out of the training items (never the test split), by a seeded draw, and
// kept out of training. Both parts keep file order. Contexts can appear in both (a paragraph carries several
// questions), as between train and test.
import { seededRandom, shuffled } from './random';

/** Seed of the held-out draw (the train/test split uses 42). */
export const HELD_OUT_SEED = 4242;

/** Most items a default held-out set takes: a tenth of the training items, so a small dataset keeps most of them. */
export function defaultHeldOutCount(trainItems: number, wanted: number): number {
  return Math.max(0, Math.min(wanted, Math.floor(trainItems / 10)));
}

/** `n` items drawn by a seeded shuffle go to `heldOut`, the rest to `train`; both in file order. */
export function holdOutItems<T>(items: readonly T[], n: number, seed = HELD_OUT_SEED): { train: T[]; heldOut: T[] } {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`held-out count must be a non-negative integer, got ${n}`);
  if (n >= items.length && n > 0)
    throw new RangeError(`cannot hold out ${n} of ${items.length} training items: training needs at least one (lower data.validationItems)`);
  if (n === 0) return { train: items.slice(), heldOut: [] };
  const pick = new Uint8Array(items.length);
  for (const i of shuffled(
    items.map((_, i) => i),
    seededRandom(seed),
  ).slice(0, n))
    pick[i] = 1;
  const train: T[] = [];
  const heldOut: T[] = [];
  items.forEach((it, i) => (pick[i] ? heldOut : train).push(it));
  return { train, heldOut };
}
