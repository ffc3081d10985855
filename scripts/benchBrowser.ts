// `npm run bench:browser [-- --backends webgpu,webgl,wasm] [--shapes tiny2,tiny1] [--reps 1] [--no-generation]
//   [--json out.json] [--timeout-s 1200] [--chromium /usr/bin/chromium] [--chromium-arg=--flag ...]`
// The lab's fixed-shape benchmark (scripts/bench/shapes.ts) and generation loop (scripts/bench/generation.ts) inside
// headless Chromium, on the browser backends, chosen as the lab worker chooses them (workers/backend.ts): starts the
// vite dev server on a free port (TS served as is, no build), opens scripts/bench/browser/index.html once per backend
// in a fresh browser, waits for the page's window.__bench and prints the rows as scripts/bench.ts does.
// Without a GPU, WebGPU runs on SwiftShader (~0.25 GFLOP/s: keep the tiny shapes); on a machine with a real GPU use
// e.g. `--shapes mini4,mini2` and the GPU flags it needs (`--chromium-arg=--enable-features=Vulkan`, ...).
// Exit code 0 only when every requested backend ran and produced its figures.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { intFlag, optionalFlag, parseArgs } from '../src/cli/args';
import type { BrowserBenchState } from './bench/browser/main';
import type { BenchRow } from './bench/types';
import { CHROMIUM_ARGS, freePort, waitForHttp } from '../e2e/browserHarness';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv.filter((a) => !a.startsWith('--chromium-arg=')));
  const extraArgs = argv.filter((a) => a.startsWith('--chromium-arg=')).map((a) => a.slice('--chromium-arg='.length));
  const backends = (optionalFlag(args, 'backends') ?? 'webgpu,webgl,wasm').split(',').filter(Boolean);
  const shapes = optionalFlag(args, 'shapes') ?? 'tiny2,tiny1';
  const reps = intFlag(args, 'reps', 1);
  const generation = args.flags['no-generation'] !== true;
  const timeoutMs = intFlag(args, 'timeout-s', 1200) * 1000;
  const jsonPath = optionalFlag(args, 'json');
  const executablePath = optionalFlag(args, 'chromium') ?? '/usr/bin/chromium';

  const results: Record<string, BenchRow[]> = {};
  const print = (section: string, rows: BenchRow[]) => {
    (results[section] ??= []).push(...rows);
    for (const r of rows) process.stdout.write(`${section.padEnd(10)} ${r.name.padEnd(86)} ${String(r.value).padStart(10)} ${r.unit}\n`);
  };
  const say = (m: string) => process.stdout.write(`${m}\n`);

  const port = await freePort();
  const server = spawn(process.execPath, [vite, '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--clearScreen', 'false'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let serverLog = '';
  server.stdout?.on('data', (d) => (serverLog += String(d)));
  server.stderr?.on('data', (d) => (serverLog += String(d)));
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    browser = undefined;
    // vite closes gracefully on SIGTERM, but that close can hang (seen here): SIGKILL after 3 s
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      if ((await Promise.race([exited.then(() => true), sleep(3000).then(() => false)])) === false) server.kill('SIGKILL');
    }
  };
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let failed = 0;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/scripts/bench/browser/index.html`, 60_000, server);
    for (const backend of backends) {
      const t0 = Date.now();
      const q = new URLSearchParams({ backend, shapes, reps: String(reps), generation: generation ? '1' : '0' });
      const url = `http://localhost:${port}/scripts/bench/browser/index.html?${q}`;
      // a fresh browser per backend: a lost GPU device or a stuck page cannot spoil the next backend
      browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extraArgs] });
      const page = await browser.newPage();
      page.on('pageerror', (e) => say(`[${backend}] page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') say(`[${backend}] console ${m.type()}: ${m.text()}`);
        else if (m.text().startsWith('[bench]')) say(`[${backend}] ${m.text().slice(8)}`);
      });
      let state: BrowserBenchState | undefined;
      try {
        await page.goto(url, { timeout: 120_000 });
        while (Date.now() - t0 < timeoutMs && !state?.done) {
          await sleep(1000);
          // raced against the time left: a page stuck in a long synchronous kernel answers no evaluate
          const poll = page.evaluate(() => (window as unknown as { __bench?: BrowserBenchState }).__bench);
          const left = sleep(Math.max(0, timeoutMs - (Date.now() - t0))).then(() => state);
          state = await Promise.race([poll, left]).catch((e: Error) => {
            if (page.isClosed() || !browser?.isConnected()) throw e;
            return undefined; // e.g. the page is reloading (vite re-optimised its dependencies)
          });
        }
      } catch (e) {
        state = { done: true, rows: {}, userAgent: '', error: `page: ${e instanceof Error ? e.message : String(e)}` };
      }
      const wall = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
      const info = state?.info;
      if (info) {
        const all = [...info.notes, ...(state?.glRenderer ? [`WebGL renderer: ${state.glRenderer}`] : [])];
        const notes = all.length ? ` — ${all.join('; ')}` : '';
        say(`backend ${backend}: ran on ${info.backend} (init ${info.initMs} ms)${notes}`);
      }
      if (!state?.done) {
        say(`backend ${backend}: FAILED: no result within ${timeoutMs / 1000} s (--timeout-s); wall ${wall}`);
        failed++;
      } else if (state.skipped) {
        say(`backend ${backend}: SKIPPED, no figures: ${state.skipped}`);
        failed++;
      } else {
        for (const [section, rows] of Object.entries(state.rows)) print(section, rows);
        const rowFailed = Object.values(state.rows).some((rows) => rows.some((r) => r.name.includes('FAILED')));
        if (state.error) say(`backend ${backend}: FAILED: ${state.error}`);
        if (state.error || rowFailed) failed++;
        say(`backend ${backend}: wall ${wall}${state.seconds !== undefined ? ` (in page ${state.seconds.toFixed(1)} s)` : ''}`);
      }
      await browser.close().catch(() => undefined);
      browser = undefined;
    }
  } catch (e) {
    say(`bench:browser: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (serverLog) say(`vite said:\n${serverLog}`);
    failed++;
  } finally {
    await cleanup();
  }
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench:browser: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
