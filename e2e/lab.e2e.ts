// The new user's path through QG Distill Lab, in a real Chromium on WebGPU (SwiftShader in CI, so shapes stay tiny):
// upload a DRCD slice → tiny preset through the wizard → live per-layer charts → tree with scores → fork with another
// dropout → compare → export the student zip (safetensors layer count) → reload → malformed upload.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { chromium, type Browser, type Page } from 'playwright-core';

export interface E2EOptions {
  baseUrl: string;
  artifacts: string;
  log(message: string): void;
}
export interface E2EResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

const DRCD = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'shared', 'drcd', 'DRCD_dev.json');
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const RUN_TIMEOUT = 9 * 60_000;
/** QGLAB_E2E_BACKEND=wasm (etc.) runs the same path on another backend (debugging); default webgpu. */
const BACKEND = process.env.QGLAB_E2E_BACKEND ?? 'webgpu';

interface Qa { id: string; question: string; answers: { text: string; answer_start: number }[] }
interface Para { context: string; qas: Qa[] }
interface Art { title: string; paragraphs: Para[] }

/**
 * A slice of DRCD_dev (written to a temp file, never into the repo): short questions with short answers, each
 * context cut to a window around its answer so every sequence fits 64 tokens.
 */
export function writeDrcdSlice(dir: string, n = 24): { file: string; questions: number } {
  const ds = JSON.parse(readFileSync(DRCD, 'utf8')) as { version: string; data: Art[] };
  const articles: Art[] = [];
  let count = 0;
  outer: for (const art of ds.data) {
    const paragraphs: Para[] = [];
    for (const p of art.paragraphs) {
      for (const qa of p.qas) {
        const a = qa.answers[0];
        if (!a || a.text.length > 8 || qa.question.length > 18 || qa.question.length < 6) continue;
        if (p.context.slice(a.answer_start, a.answer_start + a.text.length) !== a.text) continue;
        const start = Math.max(0, a.answer_start - 14);
        const end = Math.min(p.context.length, a.answer_start + a.text.length + 14);
        paragraphs.push({
          context: p.context.slice(start, end),
          qas: [{ id: qa.id, question: qa.question, answers: [{ text: a.text, answer_start: a.answer_start - start }] }],
        });
        if (++count >= n) {
          articles.push({ title: art.title, paragraphs });
          break outer;
        }
        break; // one question per paragraph keeps the slice varied
      }
    }
    if (paragraphs.length) articles.push({ title: art.title, paragraphs });
  }
  const file = path.join(dir, 'drcd_dev_slice.json');
  writeFileSync(file, JSON.stringify({ version: ds.version, data: articles }));
  return { file, questions: count };
}

/** Tensor names of a safetensors file (header only). */
function safetensorsNames(bytes: Uint8Array): string[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  return Object.keys(header).filter((k) => k !== '__metadata__');
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

export async function runLabE2E({ baseUrl, artifacts, log }: E2EOptions): Promise<E2EResult[]> {
  const results: E2EResult[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), 'qglab-e2e-'));
  const slice = writeDrcdSlice(tmp, 30);
  log(`DRCD slice: ${slice.questions} questions → ${slice.file}`);
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, acceptDownloads: true, deviceScaleFactor: 1 });
  const page: Page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
  let fatal: string | null = null;
  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

  async function step(name: string, fn: () => Promise<void>, critical = false): Promise<void> {
    const t0 = Date.now();
    if (fatal) {
      results.push({ name, ok: false, error: `not run: ${fatal}`, ms: 0 });
      return;
    }
    log(`▶ ${name}`);
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - t0 });
      log(`  ✓ ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      const error = e instanceof Error ? e.message.split('\n').slice(0, 12).join('\n      ') : String(e);
      results.push({ name, ok: false, error, ms: Date.now() - t0 });
      log(`  ✗ ${error}`);
      await shot(`FAIL-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
      if (critical) fatal = `'${name}' failed`;
    }
  }

  const nav = async (screen: string) => {
    await page.click(`[data-nav="${screen}"]`);
    await page.waitForTimeout(350);
  };
  const treeNodes = () =>
    page.$$eval('g.tree-node', (gs) =>
      gs.map((g) => ({ id: g.getAttribute('data-node-id')!, stage: g.getAttribute('data-stage')!, status: g.getAttribute('data-status')!, score: g.getAttribute('data-score')! })),
    );
  const waitRunEnd = async () => {
    await page.waitForSelector('[data-testid=run-status]:not([data-status=running])', { timeout: RUN_TIMEOUT });
    const status = await page.getAttribute('[data-testid=run-status]', 'data-status');
    if (status !== 'done') {
      const lines = await page.$$eval('[data-testid=log] div', (d) => d.map((x) => x.textContent ?? ''));
      throw new Error(`run ended '${status}'. Log tail:\n${lines.slice(-8).join('\n')}`);
    }
  };

  try {
    await step(
      `app loads and picks the ${BACKEND} backend`,
      async () => {
        if (BACKEND !== 'webgpu') await page.addInitScript((b) => localStorage.setItem('qglab.backend', b), BACKEND);
        await page.goto(baseUrl);
        await page.waitForSelector('.app[data-booted=yes]', { timeout: 60_000 });
        await page.waitForSelector('[data-testid=backend][data-backend]:not([data-backend=""])', { timeout: 60_000 });
        const backend = await page.getAttribute('[data-testid=backend]', 'data-backend');
        await shot('01-data-empty');
        assert(backend === BACKEND, `expected the ${BACKEND} backend, got '${backend}' (${await page.textContent('[data-testid=backend]')})`);
        const crossOrigin = await page.evaluate(() => crossOriginIsolated);
        assert(crossOrigin, 'page is not cross-origin isolated (COOP/COEP headers missing)');
      },
      true,
    );

    await step(
      'uploads a DRCD slice and shows its statistics',
      async () => {
        await page.setInputFiles('[data-testid=dataset-input]', slice.file);
        await page.waitForSelector('[data-testid=dataset-summary]', { timeout: 30_000 });
        const text = await page.textContent('[data-testid=dataset-summary]');
        assert(text?.includes('drcd_dev_slice.json'), 'dataset name missing');
        assert(text?.includes(String(slice.questions)), `question count ${slice.questions} not shown`);
        await shot('02-data-loaded');
      },
      true,
    );

    await step(
      'model screen offers the tiny from-scratch preset',
      async () => {
        await nav('model');
        await shot('03-model');
        await page.click('[data-testid=use-tiny]');
        await page.waitForSelector('[data-preset=tiny].on');
      },
      true,
    );

    await step(
      'wizard explains each step and runs the tiny recipe',
      async () => {
        const whys: string[] = [];
        for (let i = 0; i <= 4; i++) {
          await page.click(`[data-step="${i}"]`);
          const why = (await page.textContent('[data-testid=step-why]')) ?? '';
          assert(why.length > 30, `step ${i} has no explanation`);
          whys.push(why);
          await shot(`04-wizard-${i}`);
        }
        assert(new Set(whys).size === 5, 'steps share an explanation');
        const problems = await page.$('[data-testid=recipe-problems]');
        assert(!problems, `recipe problems: ${problems ? await problems.textContent() : ''}`);
        await page.click('[data-testid=run]');
        await page.waitForSelector('[data-testid=run-status]', { timeout: 10_000 });
      },
      true,
    );

    await step(
      'live training charts the loss and per-layer distillation terms',
      async () => {
        // catch the live screen while the distillation node trains
        await page.waitForSelector('[data-live-node^="distill-"] .pill.running, [data-testid=run-status]:not([data-status=running])', { timeout: RUN_TIMEOUT });
        await page.waitForSelector('[data-testid=chart-layers]', { timeout: 120_000 }).catch(() => undefined);
        await shot('05-live-running');
        await waitRunEnd();
        await page.click('[data-live-node^="distill-"]');
        await page.waitForSelector('[data-testid=chart-layers]', { timeout: 10_000 });
        const series = (await page.getAttribute('[data-testid=chart-layers]', 'data-series')) ?? '';
        assert(/hidden\/\d/.test(series) && /attn\/\d/.test(series), `per-layer series missing: '${series}'`);
        const lines = await page.$$eval('[data-testid=chart-layers] .recharts-line', (l) => l.length);
        assert(lines >= 2, `expected ≥ 2 per-layer lines, saw ${lines}`);
        await shot('06-live-done');
      },
      true,
    );

    await step('branch tree shows every node with a score', async () => {
      await nav('tree');
      await page.waitForSelector('g.tree-node');
      const nodes = await treeNodes();
      assert(nodes.length === 4, `expected 4 nodes, got ${nodes.length}`);
      for (const n of nodes) assert(n.status === 'done' && n.score !== '', `node ${n.id} (${n.stage}) is ${n.status} with score '${n.score}'`);
      await shot('07-tree');
      await page.click('g.tree-node[data-stage=distill]');
      await page.waitForSelector('[data-testid=node-panel] [data-metric=avg_score]');
      await page.waitForTimeout(500);
      await shot('07b-tree-selected');
    }, true);

    let selftrainId = '';
    await step(
      'fork the distillation node with another dropout',
      async () => {
        const before = await treeNodes();
        selftrainId = before.find((n) => n.stage === 'selftrain')!.id;
        await page.click('g.tree-node[data-stage=distill]');
        await page.click('[data-testid=fork]');
        await page.waitForSelector('[data-testid=fork-banner]');
        const prev = await page.inputValue('#f-distill-dropout');
        assert(prev === '0.3', `fork form not prefilled (dropout '${prev}')`);
        await page.fill('#f-distill-dropout', '0.05');
        await shot('08-fork-wizard');
        await page.click('[data-step="4"]');
        await page.click('[data-testid=run]');
        await page.waitForSelector('[data-testid=run-status]');
        await waitRunEnd();
        await nav('tree');
        const after = await treeNodes();
        assert(after.length === 6, `expected 6 nodes after the fork, got ${after.length}`);
        for (const n of after) assert(n.score !== '', `node ${n.id} has no score`);
        const distills = await page.$$eval('g.tree-node[data-stage=distill] text', (t) => t.map((x) => x.textContent ?? '').join(' | '));
        assert(distills.includes('drop 0.05') && distills.includes('drop 0.3'), `fork labels: ${distills}`);
        await shot('09-tree-forked');
      },
      true,
    );

    await step('compare table, chart and CSV', async () => {
      await nav('compare');
      await page.waitForSelector('[data-testid=compare-table]');
      const rows = await page.$$eval('[data-testid=compare-table] tbody tr', (r) => r.length);
      assert(rows === 6, `expected 6 rows, got ${rows}`);
      const head = (await page.textContent('[data-testid=compare-table] thead')) ?? '';
      for (const col of ['Gen. time', 'Parameters', 'avg_score', 'BLEU-1', 'BLEU-4', 'METEOR', 'ROUGE-L']) assert(head.includes(col), `column ${col} missing`);
      const pcts = await page.$$eval('[data-testid=compare-table] .pct', (p) => p.length);
      assert(pcts >= 6 * 9, `expected % of teacher on every cell, saw ${pcts}`);
      const bars = await page.$$eval('[data-testid=compare-chart] .recharts-bar-rectangle', (b) => b.length);
      assert(bars > 0, 'bar chart is empty');
      await shot('10-compare');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv]')]);
      const csvPath = path.join(tmp, 'compare.csv');
      await dl.saveAs(csvPath);
      const csv = readFileSync(csvPath, 'utf8').trim().split('\n');
      assert(csv.length === 8, `CSV has ${csv.length} lines (want comment + header + 6)`);
      assert(csv[1].includes('avg_score_pct_of_teacher'), 'CSV header lacks % columns');
    });

    await step('export the student as a Hugging Face zip with its layer count', async () => {
      await nav('export');
      await page.waitForSelector(`[data-export="${selftrainId}"]`);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${selftrainId}"]`)]);
      const zipPath = path.join(tmp, dl.suggestedFilename());
      await dl.saveAs(zipPath);
      await page.waitForSelector('[data-testid=export-done]');
      await shot('11-export');
      const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
      const names = Object.keys(files);
      const st = names.find((n) => n.endsWith('/model.safetensors'));
      const cfg = names.find((n) => n.endsWith('/config.json'));
      assert(st && cfg && names.some((n) => n.endsWith('/vocab.txt')), `zip lacks HF files: ${names.join(', ')}`);
      const config = JSON.parse(new TextDecoder().decode(files[cfg])) as { num_hidden_layers: number };
      const layers = new Set(safetensorsNames(files[st]).flatMap((k) => /encoder\.layer\.(\d+)\./.exec(k)?.[1] ?? []));
      assert(config.num_hidden_layers === 1, `student config has ${config.num_hidden_layers} layers, want 1`);
      assert(layers.size === 1, `student safetensors has ${layers.size} encoder layers, want 1`);
    });

    await step('reload finds the dataset, the tree and its scores', async () => {
      await page.reload();
      await page.waitForSelector('.app[data-booted=yes]', { timeout: 60_000 });
      await nav('tree');
      await page.waitForSelector('g.tree-node');
      const nodes = await treeNodes();
      assert(nodes.length === 6, `expected 6 nodes after reload, got ${nodes.length}`);
      for (const n of nodes) assert(n.status === 'done' && n.score !== '', `node ${n.id} lost its state: ${n.status} '${n.score}'`);
      await page.click(`g.tree-node[data-node-id="${selftrainId}"]`);
      await page.waitForSelector('[data-testid=node-panel] .recharts-line', { timeout: 10_000 });
      await shot('12-reload-tree');
      await nav('data');
      const text = (await page.textContent('[data-testid=dataset-summary]')) ?? '';
      assert(text.includes('drcd_dev_slice.json'), 'dataset not restored');
    });

    await step('a malformed upload shows the JSON path and keeps everything', async () => {
      const bad = path.join(tmp, 'broken.json');
      writeFileSync(
        bad,
        JSON.stringify({ version: '1.3', data: [{ title: 'x', paragraphs: [{ context: '台北是首都', qas: [{ id: 'q1', question: '首都是哪裡？', answers: [{ text: '台北', answer_start: 'zero' }] }] }] }] }),
      );
      await page.setInputFiles('[data-testid=dataset-input]', bad);
      await page.waitForSelector('[data-testid=dataset-error]', { timeout: 15_000 });
      const err = (await page.textContent('[data-testid=dataset-error]')) ?? '';
      assert(err.includes('answer_start'), `error does not name the field: ${err}`);
      assert(err.includes('data[0].paragraphs[0].qas[0].answers[0]'), `error does not give the JSON path: ${err}`);
      const still = (await page.textContent('[data-testid=dataset-summary]')) ?? '';
      assert(still.includes('drcd_dev_slice.json'), 'the previous dataset was replaced');
      await shot('13-malformed-upload');
      await nav('tree');
      assert((await treeNodes()).length === 6, 'runs disappeared after a bad upload');
    });

    await step('no uncaught errors in the page', async () => {
      const real = pageErrors.filter((e) => !/favicon/.test(e));
      assert(real.length === 0, real.slice(0, 5).join(' | '));
    });
  } finally {
    await browser.close();
  }
  return results;
}
