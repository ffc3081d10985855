// Browser end-to-end runner: builds the app, serves dist/ with `vite preview` on a free port, drives it with
// Playwright (playwright-core + Debian's /usr/bin/chromium) and prints `N passed, M failed` as its last line.
//   npx tsx e2e/run.ts              build + run
//   npx tsx e2e/run.ts --no-build   reuse dist/
// Exit code 0 only when every check passed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from './browserHarness';
import { runLabE2E } from './lab.e2e';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'e2e', 'artifacts');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');


async function main(): Promise<number> {
  const t0 = Date.now();
  mkdirSync(artifacts, { recursive: true });
  if (!process.argv.includes('--no-build')) {
    console.log('e2e: building (vite build)…');
    const b = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) {
      console.log('e2e: build failed');
      console.log('0 passed, 1 failed');
      return 1;
    }
  }
  if (!existsSync(path.join(root, 'dist', 'index.html'))) {
    console.log('e2e: dist/index.html is missing (run without --no-build)');
    console.log('0 passed, 1 failed');
    return 1;
  }
  const port = await freePort();
  const preview = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let previewLog = '';
  preview.stdout?.on('data', (d) => (previewLog += String(d)));
  preview.stderr?.on('data', (d) => (previewLog += String(d)));
  // "localhost" is a secure context, so navigator.gpu exists there
  const baseUrl = `http://localhost:${port}/`;
  let results: { name: string; ok: boolean; error?: string; ms: number }[] = [];
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 30_000, preview);
    results = await runLabE2E({ baseUrl, artifacts, log: (m) => console.log(`e2e: ${m}`) });
  } catch (e) {
    console.log(`e2e: harness error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    if (previewLog) console.log(`e2e: vite preview said:\n${previewLog}`);
    results.push({ name: 'harness', ok: false, error: String(e), ms: 0 });
  } finally {
    preview.kill('SIGTERM');
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log('');
  for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${(r.ms / 1000).toFixed(1)} s)${r.ok ? '' : `\n      ${r.error}`}`);
  console.log(`e2e: total ${((Date.now() - t0) / 1000).toFixed(0)} s; screenshots in e2e/artifacts/`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
