// The new user's path through QG Distill Lab, in a real Chromium on WebGPU (SwiftShader in CI, so shapes stay tiny):
// upload a DRCD slice → tiny preset through the wizard → live per-layer charts → tree with scores → fork with another
// dropout → compare → export the student zip (safetensors layer count; loaded back in Node it generates the questions
// the app shows) → reload → malformed upload → a run interrupted by a reload resumes from its checkpoint.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from './browserHarness';
import { parseDrcd, toQgItems } from '../src/core/data/drcd';
import { DEFAULT_SQG_LIMITS, type SqgLimits } from '../src/core/data/sqgExamples';
import { evaluate } from '../src/core/experiment/evaluate';
import type { RecipeDataOptions, RecipeEvalOptions } from '../src/core/experiment/recipe';
import { loadHfModel } from '../src/core/model/hfFolder';
import { BertTokenizer } from '../src/core/tokenizer/bertTokenizer';
import { labSplit } from '../src/core/data/sampleDataset';

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
const RUN_TIMEOUT = 9 * 60_000;
const STUDY_LR = 5e-5;
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

/**
 * Regenerates, in Node on TF.js's 'cpu' backend, the questions the lab generated for an exported node: the zip's
 * model.safetensors + config.json (loadHfModel) and vocab.txt, the lab's test split of the uploaded file, and the
 * recipe options the node ran with (recorded in the zip's qg_distill_lab.json) — through the engine's own evaluate()
 * (prediction contexts, beam search), as the runner calls it.
 */
async function regenerateInNode(files: Record<string, Uint8Array>, datasetFile: string) {
  const text = (suffix: string) => {
    const name = Object.keys(files).find((n) => n.endsWith(suffix));
    if (!name) throw new Error(`zip lacks ${suffix}`);
    return new TextDecoder().decode(files[name]);
  };
  const st = Object.keys(files).find((n) => n.endsWith('/model.safetensors'))!;
  const meta = JSON.parse(text('/qg_distill_lab.json')) as { recipe?: { data?: RecipeDataOptions; eval?: RecipeEvalOptions } };
  assert(meta.recipe, 'qg_distill_lab.json does not record the recipe options the node ran with');
  // the runner's limits: the defaults overridden by recipe.data's sequence limits (runner.ts)
  const { policy: _policy, maxTrainItems: _max, ...limitOverrides } = meta.recipe.data ?? {};
  const limits: SqgLimits = { ...DEFAULT_SQG_LIMITS, ...limitOverrides };
  await tf.setBackend('cpu');
  await tf.ready();
  const tok = BertTokenizer.fromVocab(text('/vocab.txt'));
  const model = loadHfModel({ configJson: text('/config.json'), safetensors: files[st] });
  try {
    const { test } = labSplit(toQgItems(parseDrcd(readFileSync(datasetFile, 'utf8'), path.basename(datasetFile))));
    return await evaluate(model, tok, test, { ...meta.recipe.eval, limits });
  } finally {
    model.dispose();
  }
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
      gs.map((g) => ({
        id: g.getAttribute('data-node-id')!,
        stage: g.getAttribute('data-stage')!,
        status: g.getAttribute('data-status')!,
        score: g.getAttribute('data-score')!,
        steps: g.getAttribute('data-steps') ?? '',
        totalSteps: g.getAttribute('data-total-steps') ?? '',
        finishedAt: g.getAttribute('data-finished-at') ?? '',
      })),
    );
  const logLines = () => page.$$eval('[data-testid=log] div', (d) => d.map((x) => x.textContent ?? ''));
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
        // The study's learning rate (5e-5) instead of the preset's 1e-3..2e-3: after the preset's few steps at the
        // high rates every model answers '？' alone, which would make the export round trip below unable to tell two
        // models apart; at 5e-5 the models stay diverse and each one's beam-search questions are its own.
        const lrField: Record<number, string> = { 0: '#f-teacher-learningRate', 2: '#f-distill-learningRate', 3: '#f-selftrain-learningRate' };
        for (let i = 0; i <= 4; i++) {
          await page.click(`[data-step="${i}"]`);
          if (lrField[i]) await page.fill(lrField[i], String(STUDY_LR));
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

    await step('export the student: its safetensors has its layer count and loads back to the same questions', async () => {
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

      // the generated questions the app stored for the node (its panel shows the first few of the test split)
      await nav('tree');
      await page.click(`g.tree-node[data-node-id="${selftrainId}"]`);
      await page.waitForSelector(`[data-testid=node-panel][data-node-id="${selftrainId}"] [data-sample-id]`, { timeout: 10_000 });
      const shown = await page.$$eval(`[data-testid=node-panel] [data-sample-id]`, (els) =>
        els.map((e) => ({ id: e.getAttribute('data-sample-id')!, generated: e.querySelector('[data-generated]')?.getAttribute('data-generated') ?? null })),
      );
      const appScore = Number(await page.getAttribute(`g.tree-node[data-node-id="${selftrainId}"]`, 'data-score'));
      await shot('11b-export-node-questions');

      const t0 = Date.now();
      const mine = await regenerateInNode(files, slice.file);
      log(`  regenerated ${mine.n} questions in Node (cpu, beam ${mine.beamSize}) in ${Date.now() - t0} ms`);
      assert(shown.length === Math.min(mine.n, 4), `the node panel shows ${shown.length} generated questions, want ${Math.min(mine.n, 4)} of ${mine.n}`);
      const texts = mine.questions.map((q) => q.generated);
      assert(
        new Set(texts).size >= 2 && texts.every((t) => t.length >= 3),
        `the exported model's questions are too uniform to tell two models apart: ${JSON.stringify(texts)}`,
      );
      const diffs: string[] = [];
      shown.forEach((s, i) => {
        const q = mine.questions[i];
        if (!q || q.id !== s.id) diffs.push(`#${i}: app item '${s.id}', Node item '${q?.id}'`);
        else if (q.generated !== s.generated) diffs.push(`${s.id}: app '${s.generated}' vs Node '${q.generated}'`);
      });
      assert(diffs.length === 0, `the exported model generates other questions than the app stored:\n${diffs.join('\n')}`);
      assert(
        Math.abs(mine.metrics.avg_score - appScore) < 1e-9,
        `avg_score from the regenerated questions ${mine.metrics.avg_score} ≠ the app's ${appScore} (a question beyond the first ${shown.length} differs)`,
      );
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

    await step('a run interrupted by a reload resumes from its checkpoint and keeps finished nodes', async () => {
      // fork the first distillation node: a new distill node, then a 3-epoch self-training node to interrupt
      await nav('tree');
      await page.click('g.tree-node[data-stage=distill]');
      await page.click('[data-testid=fork]');
      await page.waitForSelector('[data-testid=fork-banner]');
      await page.fill('#f-distill-dropout', '0.2');
      await page.click('[data-step="3"]');
      await page.fill('#f-selftrain-epochs', '3');
      await page.click('[data-step="4"]');
      await page.click('[data-testid=run]');
      await page.waitForSelector('[data-testid=run-status]');
      const ids = await page.$$eval('[data-live-node]', (b) => b.map((x) => x.getAttribute('data-live-node')!));
      const selfId = ids.find((i) => i.startsWith('selftrain-'))!;
      const distillId = ids.filter((i) => i.startsWith('distill-')).pop()!;
      assert(selfId && distillId && ids.length === 4, `fork run nodes: ${ids.join(', ')}`);
      // reload once the self-training node is past its first epoch's checkpoint and not yet finished
      const handle = await page.waitForFunction(
        (id) => {
          const el = document.querySelector(`[data-testid=live-progress][data-node="${id}"]`);
          const st = document.querySelector('[data-testid=run-status]')?.getAttribute('data-status');
          if (st && st !== 'running') return { ended: st };
          const step = Number(el?.getAttribute('data-step') || 0);
          const total = Number(el?.getAttribute('data-total-steps') || 0);
          return total > 0 && step > total / 3 ? { step, total } : null;
        },
        selfId,
        { timeout: RUN_TIMEOUT, polling: 50 },
      );
      const at = (await handle.jsonValue()) as { step?: number; total?: number; ended?: string };
      assert(at.step && at.total, `the run ended (${at.ended}) before the self-training node could be interrupted`);
      assert(at.step < at.total, `self-training reached step ${at.step} of ${at.total} before the reload`);
      const stepsPerEpoch = at.total / 3;
      await shot('14-resume-before-reload');
      await page.reload();
      log(`  reloaded at self-training step ${at.step} of ${at.total}`);
      await page.waitForSelector('.app[data-booted=yes]', { timeout: 60_000 });
      await nav('tree');
      await page.waitForSelector(`[data-resume-node="${selfId}"]`, { timeout: 10_000 });
      const before = new Map((await treeNodes()).map((n) => [n.id, n]));
      const self0 = before.get(selfId)!;
      assert(self0.status === 'cancelled', `interrupted node is '${self0.status}'`);
      const ckpt = Number(self0.steps);
      assert(ckpt >= stepsPerEpoch && ckpt <= at.step && ckpt % stepsPerEpoch === 0, `interrupted node shows checkpoint step '${self0.steps}' (reloaded at ${at.step}, ${stepsPerEpoch} steps per epoch)`);
      const finished = [...ids.filter((i) => i !== selfId)].map((i) => before.get(i)!);
      for (const n of finished) assert(n?.status === 'done' && n.score !== '', `node ${n?.id} is '${n?.status}' before the resume`);
      await page.click(`g.tree-node[data-node-id="${selfId}"]`);
      await page.waitForSelector('[data-testid=node-panel] [data-testid=resume]');
      const err = (await page.textContent('[data-testid=node-panel] .callout')) ?? '';
      assert(/interrupted/.test(err), `the panel does not say the node was interrupted: '${err}'`);
      await shot('15-resume-interrupted-tree');

      const tResume = Date.now();
      await page.click('[data-testid=node-panel] [data-testid=resume]');
      await page.waitForSelector('[data-testid=run-status]');
      await waitRunEnd();
      log(`  resumed run finished in ${((Date.now() - tResume) / 1000).toFixed(1)} s`);
      const resumed = (await logLines()).find((l) => l.includes(`'${selfId}': resuming`)) ?? '';
      const m = /resuming selftrain from step (\d+) of (\d+)/.exec(resumed);
      assert(m && Number(m[1]) === ckpt && Number(m[2]) === at.total, `no resume from step ${ckpt} of ${at.total} in the log ('${resumed}')`);
      await page.click(`[data-live-node="${selfId}"]`);
      const first = await page.getAttribute('[data-testid=live-progress]', 'data-first-step');
      assert(Number(first) === ckpt + 1, `the resumed loss curve starts at step ${first}, want ${ckpt + 1}`);
      const retrained = (await logLines()).filter((l) => finished.some((n) => l.includes(`node '${n.id}'`)));
      assert(retrained.length === 0, `finished nodes were touched: ${retrained.join(' | ')}`);
      await shot('16-resume-live-done');

      await nav('tree');
      const after = new Map((await treeNodes()).map((n) => [n.id, n]));
      const self1 = after.get(selfId)!;
      assert(self1.status === 'done' && self1.score !== '', `resumed node is '${self1.status}' with score '${self1.score}'`);
      assert(self1.steps === String(at.total), `resumed node finished at step ${self1.steps}, want ${at.total}`);
      for (const n of finished) {
        const a = after.get(n.id)!;
        assert(
          a.status === 'done' && a.steps === n.steps && a.finishedAt === n.finishedAt && a.score === n.score,
          `finished node ${n.id} (${n.stage}) changed: steps ${n.steps}→${a.steps}, finishedAt ${n.finishedAt}→${a.finishedAt}, score ${n.score}→${a.score}`,
        );
      }
      assert(!(await page.$('[data-testid=interrupted]')), 'the tree still offers a resume');
      await page.click(`g.tree-node[data-node-id="${selfId}"]`);
      await page.waitForSelector('[data-testid=node-panel] [data-sample-id]');
      await page.waitForTimeout(400);
      await shot('17-resume-tree-done');
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
