// Loss charts people read, and the end of a run on the Live screen: axis titles, the smoothing slider and the log
// axis redraw the curves, the teacher's loss is one line, the distillation chart says the soft term's scale, and once
// the run ended the Live screen shows each node's scores and the log one result line per node it trained.
// Runs on the 'lab' fixture after the fork run (the Live screen still shows that ended run).
import type { Page } from 'playwright-core';
import { LAB, type LabTestsOptions } from './lab.e2e';
import { nav } from './labPage';
import { assert, until, waitFor, type TestDef } from './suite';

/** Sets a range input the way a user's drag does (React listens to the input event). */
async function setRange(page: Page, selector: string, value: number): Promise<void> {
  await page.locator(selector).first().evaluate((el, v) => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    set.call(el, String(v));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

const lossPath = (page: Page, chart: string) =>
  page.$eval(`${chart} .recharts-line.main-line path.recharts-line-curve`, (p) => p.getAttribute('d') ?? '');

/** "node 'x' (Label) done in 12 s, 3 steps: avg_score 41.20 (96.0 % of teacher 't'), last loss 2.31" */
const RESULT_LINE = /node '([^']+)' \((.*)\) done( in [^,:(]+)?(, \d+ steps| \(no training\)): (avg_score (\d+\.\d\d)|not evaluated)/;

export function chartsTests(_o: LabTestsOptions): TestDef[] {
  return [
    {
      name: 'charts: axis titles, smoothing and log scale redraw the loss, one teacher line, the soft scale, results and result lines at the run end',
      fixture: 'lab',
      needs: [LAB.fork],
      async run({ page, shot }) {
        await nav(page, 'live');
        await waitFor(page, '[data-testid=run-status]:not([data-status=running])', 'the ended fork run on the Live screen', 10_000);

        // ---- the distillation node's chart: titles, smoothing, log axis, the soft term's scale
        const distill = await page.$$eval('[data-live-node^="distill-"]', (b) => b.map((x) => x.getAttribute('data-live-node')!));
        assert(distill.length > 0, 'no distillation node in the ended run');
        await page.click(`[data-live-node="${distill[distill.length - 1]}"]`);
        const total = '[data-testid=live-progress] [data-testid=chart-total]';
        await waitFor(page, `${total} .recharts-line.main-line path.recharts-line-curve`, 'the drawn loss line of the distillation node', 10_000, 'attached');
        const labels = await page.$$eval(`${total} .recharts-label`, (l) => l.map((x) => x.textContent ?? ''));
        assert(labels.includes('step (optimizer steps)'), `x-axis title missing: ${JSON.stringify(labels)}`);
        assert(labels.some((l) => /^loss/.test(l) && /nats/.test(l)), `y-axis title missing: ${JSON.stringify(labels)}`);
        const layerLabels = await page.$$eval('[data-testid=live-progress] [data-testid=chart-layers] .recharts-label', (l) => l.map((x) => x.textContent ?? ''));
        assert(layerLabels.some((l) => /MSE/.test(l)), `per-layer y-axis title missing: ${JSON.stringify(layerLabels)}`);
        const note = (await page.textContent('[data-testid=live-progress] [data-testid=soft-note]')) ?? '';
        assert(/averaged over .* and all [\d,]+ vocabulary entries/.test(note) && /CE \/ [\d,]+/.test(note), `soft-term note: '${note}'`);

        await setRange(page, '[data-testid=chart-smoothing]', 0);
        await until(page, 'smoothing 0 on the chart', (s) => document.querySelector(s)?.getAttribute('data-smoothing') === '0', total, 5_000);
        const raw = await lossPath(page, total);
        assert((await page.$$(`${total} .recharts-line.raw-line`)).length === 0, 'raw lines drawn at smoothing 0');
        await setRange(page, '[data-testid=chart-smoothing]', 0.95);
        await until(page, 'smoothing 0.95 on the chart', (s) => document.querySelector(s)?.getAttribute('data-smoothing') === '0.95', total, 5_000);
        const smooth = await lossPath(page, total);
        assert(raw && smooth && raw !== smooth, 'the smoothing slider did not change the drawn loss path');
        assert((await page.$$(`${total} .recharts-line.raw-line`)).length > 0, 'no faint raw line behind the smoothed one');
        await shot('charts-01-distill-smoothed');

        await page.check('[data-testid=chart-log]');
        await until(page, 'the log y axis', (s) => document.querySelector(s)?.getAttribute('data-log-scale') === 'yes', total, 5_000);
        const logged = await lossPath(page, total);
        assert(logged !== smooth, 'the log toggle did not redraw the loss path');
        assert(
          (await page.getAttribute('[data-testid=live-progress] [data-testid=chart-layers]', 'data-log-scale')) === 'yes',
          'the log setting does not apply to the per-layer chart',
        );
        await shot('charts-02-distill-log');
        await page.uncheck('[data-testid=chart-log]');

        // ---- the end of the run: each node's scores, a link to Compare
        const runNodes = await page.$$eval('[data-live-node]', (b) => b.map((x) => x.getAttribute('data-live-node')!));
        await waitFor(page, '[data-testid=run-results]', 'the results card of the ended run', 10_000);
        const rows = await page.$$eval('[data-testid=run-results] [data-result-node]', (trs) =>
          trs.map((tr) => ({
            id: tr.getAttribute('data-result-node')!,
            avg: tr.querySelector('[data-metric=avg_score]')?.firstChild?.textContent ?? '',
            cells: ['Bleu_4', 'METEOR', 'ROUGE_L', 'genMs'].map((k) => tr.querySelector(`[data-metric=${k}]`)?.textContent ?? ''),
            pct: /% of teacher/.test(tr.textContent ?? ''),
            reference: tr.classList.contains('teacher'),
          })),
        );
        assert(rows.length === runNodes.length, `results rows ${rows.map((r) => r.id).join(', ')} for run nodes ${runNodes.join(', ')}`);
        for (const r of rows) {
          assert(/^\d+\.\d\d$/.test(r.avg) && r.cells.every((c) => /\d/.test(c)), `node ${r.id}: scores '${r.avg}' ${JSON.stringify(r.cells)}`);
          assert(r.reference || r.pct, `node ${r.id}: no % of teacher`);
        }
        await shot('charts-03-run-results');

        // ---- one result line per node this run trained (the fork's distill and self-train nodes)
        const lines = await page.$$eval('[data-testid=log] div', (d) => d.map((x) => x.textContent ?? ''));
        const results = lines.flatMap((l) => {
          const m = RESULT_LINE.exec(l);
          return m ? [{ id: m[1]!, avg: m[6], line: l }] : [];
        });
        const ids = results.map((r) => r.id);
        assert(new Set(ids).size === ids.length, `a node has more than one result line:\n${results.map((r) => r.line).join('\n')}`);
        assert(ids.some((id) => id.startsWith('distill-')) && ids.some((id) => id.startsWith('selftrain-')), `result lines: ${ids.join(', ')}`);
        for (const r of results) {
          const row = rows.find((x) => x.id === r.id);
          assert(row && r.avg === row.avg, `node ${r.id}: log says avg_score ${r.avg}, the results card ${row?.avg}`);
        }

        // ---- the self-train node (loss is the hard CE alone): one line
        const self = ids.find((id) => id.startsWith('selftrain-'))!;
        await page.click(`[data-live-node="${self}"]`);
        await waitFor(page, `[data-testid=live-progress][data-node="${self}"] [data-testid=chart-total]`, 'the self-train chart', 10_000);
        const selfLines = await page.getAttribute(total, 'data-lines');
        assert(selfLines === 'loss (hard CE)', `self-train chart lines: '${selfLines}'`);

        await setRange(page, '[data-testid=chart-smoothing]', 0.6); // back to the default for the tests after this one

        await page.click('[data-testid=open-compare]');
        await waitFor(page, '[data-nav="compare"][aria-current=page]', 'the Compare screen from the results card', 10_000);

        // ---- the teacher's chart in the node panel (the stored history): one line
        await nav(page, 'tree');
        await page.click('g.tree-node[data-stage=teacher]');
        const panelChart = '[data-testid=node-panel] [data-testid=chart-total]';
        await waitFor(page, `${panelChart} .recharts-line.main-line`, "the teacher's loss chart", 10_000, 'attached');
        const teacherLines = await page.getAttribute(panelChart, 'data-lines');
        assert(teacherLines === 'loss (hard CE)', `teacher chart lines: '${teacherLines}'`);
        assert((await page.$$(`${panelChart} .recharts-line.main-line`)).length === 1, 'the teacher chart draws more than one loss line');
        await shot('charts-04-teacher-panel');
      },
    },
  ];
}
