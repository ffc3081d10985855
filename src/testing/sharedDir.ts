// Where tests find the read-only reference material (DRCD, the bert-base-chinese vocabulary, Hugging Face fixtures):
// ../shared beside the repository, or the folder QGLAB_SHARED names (QGLAB_SHARED=/nonexistent shows the skips).
// Node only, no test runner: the unit tests (through withShared.ts) and the browser suite (e2e/) both use it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const SHARED_DIR = path.resolve(process.env.QGLAB_SHARED || path.join(repoRoot, '..', 'shared'));

/** `rel` (e.g. 'drcd/DRCD_dev.json') inside the shared folder. */
export function sharedPath(rel: string): string {
  return path.join(SHARED_DIR, rel);
}

/** Under CI=true or QGLAB_REQUIRE_SHARED=1 missing shared material is a failure; otherwise the tests that need it skip. */
export function sharedRequired(): boolean {
  return process.env.CI === 'true' || process.env.QGLAB_REQUIRE_SHARED === '1';
}

/** The ones of `rels` (relative to the shared folder) that are absent, as paths relative to the shared folder. */
export function missingShared(rels: readonly string[]): string[] {
  return rels.filter((r) => !existsSync(sharedPath(r)));
}

/** One line saying what is missing and where it was looked for. */
export function describeMissing(missing: readonly string[]): string {
  return `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from ${SHARED_DIR}`;
}
