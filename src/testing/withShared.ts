// For unit tests that read ../shared (see sharedDir.ts): `it` and `describe` that run when the files are there;
// when some are missing they skip with one line naming the test, the files and why, or, under CI=true or
// QGLAB_REQUIRE_SHARED=1, register one failing test that says what is missing instead of an ENOENT at load.
import { describe, it } from 'vitest';
import { describeMissing, missingShared, sharedPath, sharedRequired } from './sharedDir';

export interface SharedTests {
  /** true when every file is there */
  available: boolean;
  /** sharedPath: the file's absolute path */
  path(rel: string): string;
  it: typeof it;
  describe: typeof describe;
}

/**
 * `file`: the test file's name, for the skip line; `rels`: the files the guarded tests read, relative to the
 * shared folder. Read them inside the guarded blocks (or behind `available`), never at module level unguarded.
 */
export function withShared(file: string, ...rels: string[]): SharedTests {
  const missing = missingShared(rels);
  const base = { available: missing.length === 0, path: sharedPath };
  if (missing.length === 0) return { ...base, it, describe };
  const why = describeMissing(missing);
  if (sharedRequired()) {
    const fail = () => {
      throw new Error(`${why}, and it is required here (CI=true or QGLAB_REQUIRE_SHARED=1)`);
    };
    return {
      ...base,
      it: ((name: string) => it(name, fail)) as unknown as typeof it,
      describe: ((name: string) => describe(name, () => it('has its ../shared files', fail))) as unknown as typeof describe,
    };
  }
  const skipLine = (name: string) =>
    console.warn(`skipped ${file} › ${name}: ${why} (CI=true or QGLAB_REQUIRE_SHARED=1 makes this a failure)`);
  return {
    ...base,
    it: ((name: string) => {
      skipLine(name);
      it.skip(name, () => undefined);
    }) as unknown as typeof it,
    describe: ((name: string) => {
      skipLine(name);
      describe.skip(name, () => it('needs ../shared', () => undefined));
    }) as unknown as typeof describe,
  };
}
