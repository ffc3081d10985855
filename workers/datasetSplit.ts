// The lab's train/test split of an uploaded dataset. Pure (no DOM, no IndexedDB), so the browser e2e can rebuild the
// exact test items the worker evaluated when it checks an exported model in Node.
import type { QgItem } from '../src/core/data/drcd';
import { splitItems } from '../src/core/data/sampleDataset';

export const TEST_FRACTION = 0.1;
export const SPLIT_SEED = 42; // same split as the CLI (`qglab run --test-fraction 0.1`)

export function labSplit(items: readonly QgItem[]): { train: QgItem[]; test: QgItem[] } {
  return splitItems(items, TEST_FRACTION, SPLIT_SEED);
}
