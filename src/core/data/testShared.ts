// For tests only: the read-only reference files in ../shared (relative to the repository root). A test that needs
// them skips, with one line naming what is missing, when they are absent; under CI=true or QGLAB_REQUIRE_SHARED=1
// their absence is a failure instead.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe } from 'vitest';

export const SHARED_DIR = path.resolve(__dirname, '../../../../shared');

export function sharedPath(rel: string): string {
  return path.join(SHARED_DIR, rel);
}

type Describe = (name: string, fn: () => void) => void;

/**
 * `describe` for tests that need the given ../shared files: skipped (after one console line naming what is missing)
 * when some are missing and not required; when required, every test of the block fails naming them.
 */
export function describeWithShared(testName: string, ...rels: string[]): { describe: Describe; requireShared: () => void; available: boolean } {
  const missing = rels.map(sharedPath).filter((f) => !existsSync(f));
  const required = process.env.CI === 'true' || process.env.QGLAB_REQUIRE_SHARED === '1';
  const requireShared = () => {
    if (missing.length > 0) throw new Error(`missing ${missing.join(' and ')} (required under CI=true or QGLAB_REQUIRE_SHARED=1)`);
  };
  if (missing.length === 0) return { describe, requireShared, available: true };
  if (!required) {
    console.warn(`${testName}: skipping the tests that need ${missing.join(' and ')} (missing)`);
    return { describe: (name, fn) => describe.skip(name, fn), requireShared, available: false };
  }
  return {
    describe: (name, fn) =>
      describe(name, () => {
        beforeAll(requireShared);
        fn();
      }),
    requireShared,
    available: false,
  };
}
