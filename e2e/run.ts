// Browser end-to-end runner: builds the app, serves dist/ with `vite preview` on a free port, launches one Chromium
// (playwright-core + Debian's /usr/bin/chromium) and runs the tests e2e/allTests.ts lists through e2e/suite.ts: every
// test runs even after another failed, one line each (✓ / ✗ / - skipped), a screenshot of a failing page in
// e2e/artifacts/FAIL-<test>.png, and as the last line `N passed, M failed` (`, K skipped` when some were skipped).
//   npx tsx e2e/run.ts              build + run
//   npx tsx e2e/run.ts --no-build   reuse dist/
//   npx tsx e2e/run.ts --only=A,B    run the tests whose name contains A or B (and the tests they need)
// Exit code 0 only when no test failed and at least one passed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, freePort, waitForHttp } from './browserHarness';
import { allTests } from './allTests';
import { BACKEND } from './lab.e2e';
import { formatResult, runSuite, summaryLine, type TestDef, type TestResult } from './suite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'e2e', 'artifacts');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');

/** The tests whose name contains `word`, with the tests they need (transitively), in definition order. */
function only(tests: TestDef[], words: string | undefined): TestDef[] {
  if (!words) return tests;
  const keep = new Set<string>();
  const add = (name: string) => {
    if (keep.has(name)) return;
    keep.add(name);
    for (const n of tests.find((t) => t.name === name)?.needs ?? []) add(n);
  };
  for (const t of tests) if (words.split(',').some((w) => t.name.includes(w))) add(t.name);
  return tests.filter((t) => keep.has(t.name));
}

async function main(): Promise<number> {
  const t0 = Date.now();
  mkdirSync(artifacts, { recursive: true });
  const harnessFailure = (why: string) => {
    console.log(`✗ harness: ${why}`);
    console.log('0 passed, 1 failed');
    return 1;
  };
  if (!process.argv.includes('--no-build')) {
    console.log('e2e: building (vite build)…');
    const b = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) return harnessFailure('vite build failed');
  }
  if (!existsSync(path.join(root, 'dist', 'index.html'))) return harnessFailure('dist/index.html is missing (run without --no-build)');
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
  const log = (m: string) => console.log(`e2e: ${m}`);
  let results: TestResult[] = [];
  let browser: Browser | undefined;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 30_000, preview);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const words = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
    const tests = only(allTests({ baseUrl, log }), words);
    results = await runSuite(tests, {
      browser,
      artifacts,
      log,
      // the suite's backend is chosen, not 'auto': auto avoids SwiftShader's WebGPU (software) for WASM, and the
      // suite is meant to exercise WebGPU (the 'backend auto' test clears this choice)
      preparePage: async (page) => {
        await page.addInitScript((b) => localStorage.setItem('qglab.backend', b), BACKEND);
      },
      report: (r) => console.log(formatResult(r)),
    });
  } catch (e) {
    console.log(`e2e: harness error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    if (previewLog) console.log(`e2e: vite preview said:\n${previewLog}`);
    const r: TestResult = { name: 'harness', outcome: 'failed', message: e instanceof Error ? e.message : String(e), ms: 0 };
    console.log(formatResult(r));
    results.push(r);
  } finally {
    await browser?.close().catch(() => undefined);
    preview.kill('SIGTERM');
  }
  const failed = results.filter((r) => r.outcome === 'failed').length;
  const passed = results.filter((r) => r.outcome === 'passed').length;
  console.log(`e2e: total ${((Date.now() - t0) / 1000).toFixed(0)} s; screenshots in e2e/artifacts/`);
  console.log(summaryLine(results));
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
