// The full-size rehearsal (`npm run test:scale`): the study's workload, as a researcher runs it, in headless
// Chromium on WASM. A bert-base-chinese-shaped random model (written here, never committed) and a ~28,000-question
// file made from ../shared/drcd/DRCD_dev.json go through the UI: upload → reload → the Data screen's figures at the
// study's limits → one teacher step at sequence 512, effective batch 8 → its checkpoint (the run is cancelled during
// it) → reload → resume from the checkpoint → cut to 6 layers → one 12→6 distillation step → export the 6-layer
// student, whose zip is loaded again in Node. Each phase prints its time, the renderer's peak memory (RSS of
// Chromium's renderer processes, sampled every second), the page's JS heap and IndexedDB usage.
//   npx tsx e2e/scale.ts [--no-build]
// Exit 0 only when every phase passed; ../shared missing → skipped (exit 0), or failed under CI=true.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadHfModel } from '../src/core/model/hfFolder';
import { countParameters } from '../src/core/model/parameterCount';
import { CHROMIUM_ARGS, freePort, waitForHttp } from './browserHarness';
import { sharedRequired } from '../src/testing/sharedDir';
import { DRCD, VOCAB } from './nodeSide';
import { BERT_BASE_CHINESE, scaleRecipe, writeBertBaseFolder, writeScaleDataset } from './scaleInputs';
import { assert, until, waitFor } from './suite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const artifacts = path.join(root, 'e2e', 'artifacts');
const STEP_TIMEOUT = 9 * 60_000;
const MiB = 2 ** 20;

interface PhaseRow {
  phase: string;
  seconds: number;
  rendererPeakMiB: number;
  pageHeapMiB: number | null;
  idbMiB: number | null;
  note: string;
}

/** Peak RSS of Chromium's renderer processes (the page and its workers live there), sampled every second. */
class RendererMemory {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;
  start(): void {
    const sample = async () => {
      try {
        const { stdout } = await promisify(execFile)('ps', ['-eo', 'rss=,args=']);
        let biggest = 0;
        for (const line of stdout.split('\n')) {
          if (!line.includes('--type=renderer')) continue;
          biggest = Math.max(biggest, Number(line.trim().split(/\s+/)[0]) * 1024);
        }
        this.peak = Math.max(this.peak, biggest);
      } catch {
        /* ps unavailable: the column stays 0 */
      }
    };
    void sample();
    this.timer = setInterval(() => void sample(), 1000);
  }
  /** The peak since the last call, and a new window. */
  take(): number {
    const p = this.peak;
    this.peak = 0;
    return p;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

async function pageFigures(page: Page): Promise<{ heap: number | null; idb: number | null }> {
  return page
    .evaluate(async () => {
      const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      const est = await navigator.storage?.estimate?.();
      return { heap: mem?.usedJSHeapSize ?? null, idb: est?.usage ?? null };
    })
    .catch(() => ({ heap: null, idb: null }));
}

async function nav(page: Page, screen: string): Promise<void> {
  await page.click(`[data-nav="${screen}"]`);
  await waitFor(page, `[data-nav="${screen}"][aria-current=page]`, `the ${screen} screen to open`, 10_000);
}

async function waitForBoot(page: Page): Promise<void> {
  await waitFor(page, '.app[data-booted=yes]', 'the app to boot', 120_000, 'attached');
  await waitFor(page, '[data-testid=backend][data-backend]:not([data-backend=""])', 'the backend badge to name a backend', 120_000);
}

const logLines = (page: Page) => page.$$eval('[data-testid=log] div', (d) => d.map((x) => x.textContent ?? ''));

/** Waits for a log line matching `re` (the Live screen's log), returning it. */
async function logLine(page: Page, re: RegExp, what: string, ms: number): Promise<string | null> {
  return until<string, string | null>(
    page,
    what,
    (src: string) => {
      const r = new RegExp(src);
      const st = document.querySelector('[data-testid=run-status]')?.getAttribute('data-status');
      const line = [...document.querySelectorAll('[data-testid=log] div')].map((d) => d.textContent ?? '').find((t) => r.test(t));
      if (line) return line;
      if (st === 'failed') return `FAILED: ${[...document.querySelectorAll('[data-testid=log] div')].slice(-4).map((d) => d.textContent).join(' | ')}`;
      return null;
    },
    re.source,
    ms,
    500,
  );
}

/** Waits until node `id` reports step == total on the Live screen; returns the total. */
async function stepDone(page: Page, id: string, what: string): Promise<number> {
  const r = (await until(
    page,
    what,
    (nid: string) => {
      const st = document.querySelector('[data-testid=run-status]')?.getAttribute('data-status');
      if (st && st !== 'running') return { ended: st };
      const el = document.querySelector(`[data-testid=live-progress][data-node="${nid}"]`);
      const step = Number(el?.getAttribute('data-step') || 0);
      const total = Number(el?.getAttribute('data-total-steps') || 0);
      return total > 0 && step === total ? { total } : null;
    },
    id,
    STEP_TIMEOUT,
    250,
  )) as { total?: number; ended?: string };
  if (!r.total) throw new Error(`${what}: the run ended '${r.ended}' first. Log tail:\n${(await logLines(page)).slice(-6).join('\n')}`);
  return r.total;
}

async function main(): Promise<number> {
  if (!existsSync(DRCD) || !existsSync(VOCAB)) {
    const line = `scale: ${existsSync(DRCD) ? VOCAB : DRCD} is missing (../shared beside the repo, or QGLAB_SHARED)`;
    if (sharedRequired()) {
      console.log(`✗ ${line}; required under CI=true / QGLAB_REQUIRE_SHARED=1`);
      return 1;
    }
    console.log(`- skipped: ${line}`);
    return 0;
  }
  mkdirSync(artifacts, { recursive: true });
  const tmp = mkdtempSync(path.join(tmpdir(), 'qglab-scale-'));
  const rows: PhaseRow[] = [];
  const mem = new RendererMemory();
  let page: Page | undefined;
  let t = Date.now();
  const phase = async (name: string, note: string) => {
    const seconds = (Date.now() - t) / 1000;
    const fig = page ? await pageFigures(page) : { heap: null, idb: null };
    const row: PhaseRow = {
      phase: name,
      seconds,
      rendererPeakMiB: mem.take() / MiB,
      pageHeapMiB: fig.heap === null ? null : fig.heap / MiB,
      idbMiB: fig.idb === null ? null : fig.idb / MiB,
      note,
    };
    rows.push(row);
    console.log(
      `scale: ✓ ${name}: ${seconds.toFixed(1)} s · renderer peak ${row.rendererPeakMiB.toFixed(0)} MiB · page heap ${row.pageHeapMiB?.toFixed(0) ?? 'n/a'} MiB · IndexedDB ${row.idbMiB?.toFixed(0) ?? 'n/a'} MiB${note ? ` · ${note}` : ''}`,
    );
    t = Date.now();
  };

  if (!process.argv.includes('--no-build')) {
    const b = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) {
      console.log('✗ scale: vite build failed');
      return 1;
    }
    await phase('build', 'vite build');
  }
  const vocabText = readFileSync(VOCAB, 'utf8');
  // QGLAB_SCALE_SHAPE=narrow: the same 12 layers at hidden 64, for debugging the rehearsal's flow in a minute or two
  const narrow = process.env.QGLAB_SCALE_SHAPE === 'narrow';
  const shape = narrow ? { ...BERT_BASE_CHINESE, hiddenSize: 64, numAttentionHeads: 2, intermediateSize: 128 } : BERT_BASE_CHINESE;
  const model = writeBertBaseFolder(path.join(tmp, 'bert-base-random'), VOCAB, 1, shape);
  const data = writeScaleDataset(tmp, DRCD, vocabText);
  const recipeFile = path.join(tmp, 'scale-rehearsal.json');
  writeFileSync(recipeFile, JSON.stringify(scaleRecipe(), null, 2));
  assert(data.firstRowTokens === 512 && data.firstExamples === 8, `the lead item gives ${data.firstExamples} examples of up to ${data.firstRowTokens} tokens`);
  await phase(
    'inputs',
    `model.safetensors ${(model.bytes / MiB).toFixed(0)} MiB (${model.parameters.toLocaleString('en-US')} parameters); ${data.questions.toLocaleString('en-US')} questions; one step = 8 examples of ≤ ${data.firstRowTokens} tokens`,
  );

  const port = await freePort();
  const preview = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: root, stdio: 'ignore' });
  let context: BrowserContext | undefined;
  let failed: string | undefined;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 30_000, preview);
    // a profile on disk, as a researcher's browser has: an incognito context (browser.newContext) keeps IndexedDB in
    // memory and refused the 1.2 GB checkpoint ("storage is full") at about 1.5 GB in all
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
      viewport: { width: 1440, height: 960 },
      acceptDownloads: true,
    });
    context.setDefaultTimeout(60_000);
    page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`scale: page console.error: ${m.text()}`);
    });
    // the worker's own errors (and, while debugging, its console) next to the phase lines
    page.on('worker', (w) => {
      w.on('console', (m) => {
        if (m.type() === 'error' || m.text().startsWith('[qglab]')) console.log(`scale: worker console.${m.type()}: ${m.text()}`);
      });
      w.on('close', () => console.log('scale: a worker closed'));
    });
    await page.addInitScript(() => localStorage.setItem('qglab.backend', 'wasm'));
    mem.start();
    const shot = (name: string) => page!.screenshot({ path: path.join(artifacts, `scale-${name}.png`), fullPage: true }).catch(() => undefined);

    await page.goto(`http://localhost:${port}/`);
    await waitForBoot(page);
    const backend = await page.getAttribute('[data-testid=backend]', 'data-backend');
    assert(backend === 'wasm', `the backend is '${backend}', want wasm`);
    await phase('boot', `backend ${backend}`);

    // ---- upload the model folder and the data file
    await nav(page, 'model');
    await page.setInputFiles('[data-testid=model-input]', model.dir);
    await waitFor(page, '[data-testid=model-summary]', 'the model summary of the bert-base folder', 180_000);
    const layers = await page.$$eval('[data-testid=model-summary] .stat', (s) => s.find((x) => x.querySelector('.k')?.textContent === 'Layers')?.querySelector('.v')?.textContent);
    assert(layers === '12', `the model summary shows ${layers} layers`);
    await phase('upload model', `${(model.bytes / MiB).toFixed(0)} MiB folder accepted, 12 layers`);
    await nav(page, 'data');
    await page.setInputFiles('[data-testid=dataset-input]', data.file);
    await waitFor(page, '[data-testid=dataset-summary] h2:text-is("drcd_28k.json")', 'the summary of the 28k file', 120_000);
    await phase('upload data', `${data.questions.toLocaleString('en-US')} questions`);

    // ---- reload: both are still there
    await page.reload();
    await waitForBoot(page);
    await nav(page, 'model');
    await waitFor(page, '[data-testid=model-summary]', 'the model after the reload', 60_000);
    await nav(page, 'data');
    await waitFor(page, '[data-testid=dataset-summary] h2:text-is("drcd_28k.json")', 'the data file after the reload', 60_000);
    await phase('reload', 'model and data kept');

    // ---- the recipe, and the Data screen's figures at its limits (the study's 512 / 15 / 42, skip)
    await nav(page, 'wizard');
    await page.setInputFiles('[data-testid=recipe-input]', recipeFile);
    await page.locator('.toast', { hasText: 'scale-rehearsal.json loaded' }).first().waitFor({ timeout: 10_000 });
    await nav(page, 'data');
    const figures = (await until(
      page,
      'the Data screen to count the 28k file at 512 / 15 / 42',
      () => {
        const card = document.querySelector('[data-testid=data-report]');
        if (!card || card.getAttribute('data-busy') !== 'no') return null;
        const text = card.textContent ?? '';
        if (!/Limits 512 \/ 15 \/ 42 tokens/.test(text)) return null;
        const stats = Object.fromEntries([...card.querySelectorAll('.stat')].map((s) => [s.querySelector('.k')?.textContent ?? '', s.querySelector('.v')?.textContent ?? '']));
        return stats;
      },
      null,
      180_000,
      500,
    )) as Record<string, string>;
    const num = (s: string | undefined) => Number((s ?? '').split(/\s/)[0]!.replace(/,/g, ''));
    // the figures are of the training split (the lab's seeded 90 / 10 split of the file)
    assert(num(figures['Items']) === data.trainItems, `the Data screen counts ${figures['Items']} items, the training split has ${data.trainItems}`);
    assert(num(figures['Skipped']) > 0 && num(figures['Kept']) + num(figures['Skipped']) === data.trainItems, `kept + skipped ≠ items: ${JSON.stringify(figures)}`);
    await shot('data-figures');
    await phase('data figures', `kept ${figures['Kept']}, skipped ${figures['Skipped']}, ${figures['BERT-SQG examples']} examples`);

    // ---- run: one teacher step at 512 × 8 (micro-batches of 2, layers recomputed), cancelled during its checkpoint
    await nav(page, 'wizard');
    await page.click('[data-step="4"]');
    await waitFor(page, '[data-step="4"][aria-selected=true]', 'the last wizard step', 5_000);
    await page.click('[data-testid=run]');
    await waitFor(page, '[data-testid=run-status][data-status=running]', 'the run to start', 30_000);
    const ids = await page.$$eval('[data-live-node]', (b) => b.map((x) => x.getAttribute('data-live-node')!));
    const teacherId = ids.find((i) => i.startsWith('teacher'))!;
    const distillId = ids.find((i) => i.startsWith('distill'))!;
    assert(teacherId && distillId, `run nodes: ${ids.join(', ')}`);
    const total = await stepDone(page, teacherId, 'the teacher step at 512 × 8');
    assert(total === 1, `the teacher has ${total} steps, want 1`);
    const loss = (await logLines(page)).length;
    await shot('teacher-step');
    await phase('teacher step', `1 step of 8 × 512 tokens (micro-batch 2, recompute) on WASM; ${loss} log lines`);
    await page.click('[data-testid=cancel]');
    await waitFor(page, '[data-testid=run-status][data-status=cancelled]', 'the run to stop after the teacher checkpoint', 300_000);
    await phase('checkpoint', 'teacher train-state (weights + Adam moments) saved; run cancelled during it');

    // ---- reload, resume from the checkpoint, cut to 6 layers, one distill step
    await page.reload();
    await waitForBoot(page);
    await nav(page, 'tree');
    await waitFor(page, `[data-resume-node="${teacherId}"]`, `the tree to offer resuming ${teacherId}`, 60_000);
    await page.click(`[data-resume-node="${teacherId}"]`);
    const resumed = (await logLine(page, /resuming teacher from step 1 of 1/, 'the teacher to resume from its checkpoint', 300_000))!;
    assert(!resumed.startsWith('FAILED'), resumed);
    await phase('reload + resume', 'teacher resumed from step 1 of 1 (checkpoint read back)');
    await logLine(page, /distill/, 'the distill node to start', 300_000);
    const dTotal = await stepDone(page, distillId, 'the 12→6 distill step');
    assert(dTotal === 1, `the distill node has ${dTotal} steps, want 1`);
    await phase('teacher save + cut + distill step', 'teacher model saved, top 6 layers dropped, 1 distill step (micro-batch 1, every loss term)');
    await waitFor(page, '[data-testid=run-status][data-status=done]', 'the run to finish', 300_000);
    await shot('run-done');
    await phase('distill save', 'distilled student saved, run done');

    // ---- export the 6-layer student; load the zip in Node
    await nav(page, 'export');
    await waitFor(page, `[data-export="${distillId}"]`, `the export button of ${distillId}`, 30_000);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 300_000 }), page.click(`[data-export="${distillId}"]`)]);
    const zipPath = path.join(tmp, dl.suggestedFilename());
    await dl.saveAs(zipPath);
    const zipBytes = readFileSync(zipPath);
    await phase('export', `${dl.suggestedFilename()} ${(zipBytes.byteLength / MiB).toFixed(0)} MiB`);
    const files = unzipSync(new Uint8Array(zipBytes));
    const pick = (suffix: string) => {
      const k = Object.keys(files).find((n) => n.endsWith(suffix));
      assert(k, `the zip lacks ${suffix}: ${Object.keys(files).join(', ')}`);
      return files[k];
    };
    await tf.setBackend('cpu');
    const student = loadHfModel({ configJson: new TextDecoder().decode(pick('/config.json')), safetensors: pick('/model.safetensors') });
    try {
      const c = student.config;
      assert(c.numHiddenLayers === 6, `the exported student has ${c.numHiddenLayers} layers`);
      const params = countParameters(c);
      if (!narrow) assert(params === 59_763_080, `the exported student has ${params} parameters, want 59,763,080`);
      const logits = tf.tidy(() => student.forward({ inputIds: tf.tensor2d([[101, 704, 1744, 102, 103]], [1, 5], 'int32') }).logits!);
      const finite = (await logits.data()).every(Number.isFinite);
      logits.dispose();
      assert(finite, 'the exported student gives non-finite logits');
      await phase('zip loaded in Node', `6 layers, ${params.toLocaleString('en-US')} parameters, finite logits`);
    } finally {
      student.dispose();
    }
    if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
  } catch (e) {
    failed = e instanceof Error ? e.message : String(e);
    if (page) await page.screenshot({ path: path.join(artifacts, 'scale-FAIL.png'), fullPage: true }).catch(() => undefined);
    if (page) console.log(`scale: log tail:\n${(await logLines(page).catch(() => [])).slice(-10).join('\n')}`);
  } finally {
    mem.stop();
    await context?.close().catch(() => undefined);
    preview.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
  const totalS = rows.reduce((a, r) => a + r.seconds, 0);
  console.log('\nscale: phase | s | renderer peak MiB | page heap MiB | IndexedDB MiB');
  for (const r of rows)
    console.log(`  ${r.phase} | ${r.seconds.toFixed(1)} | ${r.rendererPeakMiB.toFixed(0)} | ${r.pageHeapMiB?.toFixed(0) ?? 'n/a'} | ${r.idbMiB?.toFixed(0) ?? 'n/a'}`);
  console.log(`  total | ${totalS.toFixed(1)} | ${Math.max(0, ...rows.map((r) => r.rendererPeakMiB)).toFixed(0)} (peak)`);
  if (failed) {
    console.log(`✗ scale: ${failed}`);
    return 1;
  }
  console.log(`✓ scale: the full-size rehearsal passed in ${(totalS / 60).toFixed(1)} min`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`✗ scale: ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(1);
  },
);
