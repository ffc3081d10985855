// `npm run bench:browser [-- --backends webgpu,webgl,wasm] [--shapes tiny2,tiny1] [--reps 1] [--no-generation]
//   [--wasm-threads 1,all] [--json out.json] [--timeout-s 1200] [--chromium /usr/bin/chromium] [--chromium-arg=--flag ...]`
// The lab's fixed-shape benchmark (scripts/bench/shapes.ts) and generation loop (scripts/bench/generation.ts) inside
// headless Chromium, on the browser backends, chosen as the lab worker chooses them (workers/backend.ts): starts the
// vite dev server on a free port (TS served as is, no build; COOP/COEP sent), opens scripts/bench/browser/index.html
// once per backend (WASM: once per thread count) in a fresh browser, where a module worker runs the benchmark, waits
// for the page's window.__bench and prints the rows as scripts/bench.ts does.
// Without a GPU, WebGPU runs on SwiftShader (~0.25 GFLOP/s: keep the tiny shapes); on a machine with a real GPU use
// e.g. `--shapes mini4,mini2` and the GPU flags it needs (`--chromium-arg=--enable-features=Vulkan`, ...).
// WASM runs once per --wasm-threads entry (default: the single-threaded SIMD build, then the threaded build on all
// navigator.hardwareConcurrency threads; the dev server sends COOP/COEP), its rows named by thread count, then the
// all/1 ratio of every throughput row and a check that a few seeded tiny training steps give the same losses (1e-4).
// Exit code 0 only when every requested backend ran and produced its figures (and the WASM losses agree).
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
  const wasmThreads = (optionalFlag(args, 'wasm-threads') ?? '1,all').split(',').filter(Boolean);
  const runs = backends.flatMap((backend) => (backend === 'wasm' ? wasmThreads.map((threads) => ({ backend, threads })) : [{ backend, threads: 'all' }]));
  /** per WASM run: its thread count, rows and training losses */
  const wasmRuns: { threads: number; rows: BenchRow[]; losses?: number[] }[] = [];

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
    for (const { backend, threads } of runs) {
      const t0 = Date.now();
      const q = new URLSearchParams({ backend, shapes, reps: String(reps), generation: generation ? '1' : '0', threads });
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
        // WASM rows are named by thread count ("wasm 2 threads tiny1 train step")
        const label = backend === 'wasm' && info?.threads ? `wasm ${info.threads} thread${info.threads === 1 ? '' : 's'}` : undefined;
        const named = Object.fromEntries(
          Object.entries(state.rows).map(([section, rows]) => [section, label ? rows.map((r) => ({ ...r, name: r.name.replace(/^wasm /, `${label} `) })) : rows]),
        );
        for (const [section, rows] of Object.entries(named)) print(section, rows);
        if (label) wasmRuns.push({ threads: info!.threads!, rows: Object.values(state.rows).flat(), losses: state.losses });
        const rowFailed = Object.values(state.rows).some((rows) => rows.some((r) => r.name.includes('FAILED')));
        if (state.error) say(`backend ${backend}: FAILED: ${state.error}`);
        if (state.error || rowFailed) failed++;
        say(`backend ${backend}: wall ${wall}${state.seconds !== undefined ? ` (in page ${state.seconds.toFixed(1)} s)` : ''}`);
      }
      await browser.close().catch(() => undefined);
      browser = undefined;
    }
    failed += compareWasmThreads(wasmRuns, print, say);
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

const THROUGHPUT = new Set(['examples/s', 'rows/s', 'questions/s', 'tokens/s']);

/**
 * The most-threads/1-thread ratio of every throughput row two WASM runs share, and whether their seeded training
 * losses agree within 1e-4; returns 1 when they do not (0 otherwise, also when there is nothing to compare).
 */
function compareWasmThreads(
  runs: { threads: number; rows: BenchRow[]; losses?: number[] }[],
  print: (section: string, rows: BenchRow[]) => void,
  say: (m: string) => void,
): number {
  const one = runs.find((r) => r.threads === 1);
  const many = runs.filter((r) => r.threads > 1).sort((a, b) => b.threads - a.threads)[0];
  if (!one || !many) {
    if (runs.length > 1) say(`wasm: no thread-count comparison (runs on ${runs.map((r) => r.threads).join(', ')} threads)`);
    return 0;
  }
  const base = new Map(one.rows.filter((r) => THROUGHPUT.has(r.unit)).map((r) => [r.name, r.value]));
  const ratios: BenchRow[] = [];
  for (const r of many.rows) {
    const b = base.get(r.name);
    if (b && THROUGHPUT.has(r.unit) && Number.isFinite(r.value)) {
      const unit = r.name.includes(r.unit) ? '' : ` (${r.unit})`;
      ratios.push({ name: `${r.name.replace(/^wasm /, `wasm ${many.threads}/1 threads `)}${unit}`, value: +(r.value / b).toFixed(2), unit: '×' });
    }
  }
  print('threads', ratios);
  if (!one.losses || !many.losses || one.losses.length !== many.losses.length) {
    say('wasm: FAILED: no training losses to compare between thread counts');
    return 1;
  }
  const diff = Math.max(...one.losses.map((l, i) => Math.abs(l - many.losses![i]!)));
  const ok = diff <= 1e-4;
  say(`wasm: tiny1 training losses on 1 and ${many.threads} threads ${ok ? 'agree' : 'DIFFER (FAILED)'}: max |Δ| ${diff.toExponential(2)} (1: ${one.losses.map((l) => l.toFixed(6)).join(', ')}; ${many.threads}: ${many.losses.map((l) => l.toFixed(6)).join(', ')})`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench:browser: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
