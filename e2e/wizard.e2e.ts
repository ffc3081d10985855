// The wizard's settings for the data in hand, and its layout: after uploading a DRCD slice the wizard suggests the
// study's 512-token limit with what the skip rule drops (the count checked against the lab's own rule in Node) and
// "Use these settings" writes it into the draft; the recipe table shows labelled fields (no JSON) with the State
// column inside its card at 1280 and 1024 px; the shape-preset select shows its whole label.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parseDrcd, toQgItems } from '../src/core/data/drcd';
import { labSplit } from '../src/core/data/sampleDataset';
import { sqgItemLengths, sqgReportFromLengths } from '../src/core/data/sqgExampleStore';
import { resolveTokenizer } from '../src/core/lab/inputs/tokenizerRule';
import type { LabTestsOptions } from './lab.e2e';
import { boot, nav, uploadDataset } from './labPage';
import { DRCD, writeDrcdSlice } from './nodeSide';
import { assert, waitFor, type TestDef } from './suite';

/** What the worker counts for a from-scratch lab: the training split, a character vocabulary of all items. */
function skipFigures(file: string) {
  const items = toQgItems(parseDrcd(readFileSync(file, 'utf8'), path.basename(file)));
  const { tokenizer } = resolveTokenizer({ items });
  const lengths = sqgItemLengths(tokenizer, labSplit(items).train);
  return sqgReportFromLengths(lengths, { maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 }, 'skip');
}

/** The State column's header and cells against the box of the card that holds the recipe table. */
async function stateColumnInCard(page: Page): Promise<{ ok: boolean; detail: string }> {
  return page.evaluate(() => {
    const table = document.querySelector('[data-testid=recipe-table]')!;
    const card = table.closest('.card')!.getBoundingClientRect();
    const wrap = table.closest('.table-wrap') as HTMLElement;
    const cells = [...table.querySelectorAll('[data-col=state]')].map((c) => c.getBoundingClientRect());
    const bad = cells.filter((r) => r.right > card.right + 0.5 || r.left < card.left - 0.5 || r.width < 20);
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    return {
      ok: cells.length > 1 && bad.length === 0 && !scrolls,
      detail: `card ${card.left.toFixed(0)}..${card.right.toFixed(0)}, state cells ${cells.map((r) => `${r.left.toFixed(0)}..${r.right.toFixed(0)}`).join(' ')}, table-wrap scrolls: ${scrolls}`,
    };
  });
}

export function wizardTests({ baseUrl, log }: LabTestsOptions): TestDef[] {
  return [
    {
      name: 'wizard settings: after a DRCD upload it suggests 512 with the skip count, applies it, and lays out labelled fields',
      shared: [DRCD],
      async run({ page, shot }) {
        const tmp = mkdtempSync(path.join(tmpdir(), 'qglab-e2e-wizard-'));
        const slice = writeDrcdSlice(tmp, 30);
        const want = skipFigures(slice.file);
        log(`DRCD slice of ${slice.questions}: at 512/15/42 the skip rule drops ${want.skipped.total} of ${want.items} training items`);
        await page.setViewportSize({ width: 1280, height: 800 });
        await boot(page, baseUrl);
        await uploadDataset(page, slice.file);
        await nav(page, 'wizard');

        // the suggestion, with the figures the worker counted
        const callout = '[data-testid=settings-suggestion]';
        await waitFor(page, `${callout}[data-skip-dropped]`, 'the settings suggestion with its figures', 30_000);
        const maxSeq = await page.getAttribute(callout, 'data-max-seq');
        const dropped = Number(await page.getAttribute(callout, 'data-skip-dropped'));
        const items = Number(await page.getAttribute(callout, 'data-items'));
        const policyLine = ((await page.textContent('[data-testid=suggest-policy]')) ?? '').trim();
        log(`suggestion: ${maxSeq} tokens; ${policyLine}`);
        assert(maxSeq === '512', `the suggestion's sequence length is ${maxSeq}, not the study's 512`);
        assert(dropped === want.skipped.total && items === want.items, `the suggestion says ${dropped} of ${items} dropped; the lab's rule in Node counts ${want.skipped.total} of ${want.items}`);
        assert(policyLine.includes(`drops ${want.skipped.total} of ${want.items}`), `the policy line does not give the count: '${policyLine}'`);
        const diffs = (await page.textContent('[data-testid=suggest-diffs]')) ?? '';
        assert(/Max sequence: 96 tokens → 512 tokens/.test(diffs), `the callout does not show the draft's 96 against 512: '${diffs}'`);

        // the shape preset's select shows its whole label (step 0, a from-scratch teacher)
        await page.click('[data-step="0"]');
        await waitFor(page, '#scratch-preset', 'the shape-preset select', 5_000);
        const fit = await page.evaluate(() => {
          const sel = document.querySelector('#scratch-preset') as HTMLSelectElement;
          const cs = getComputedStyle(sel);
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const label = sel.selectedOptions[0]?.textContent ?? '';
          const text = ctx.measureText(label).width;
          // the room for the text: the box less its padding and the drop-down arrow (about 20 px)
          const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
          return { label, text, room, title: sel.title };
        });
        log(`shape preset: '${fit.label}' needs ${fit.text.toFixed(0)} px of ${fit.room.toFixed(0)} px`);
        assert(fit.text <= fit.room, `the shape-preset select cuts '${fit.label}' (${fit.text.toFixed(0)} px of text in ${fit.room.toFixed(0)} px)`);
        assert(fit.title === fit.label, `the select's title is '${fit.title}', not its label`);
        await shot('wizard-settings-1280-step0');

        // "Use these settings": the draft gets 512 and skip; the callout goes (the sample demo's preset fits)
        await page.click('[data-testid=use-suggestion]');
        await waitFor(page, callout, 'the suggestion to go once applied', 5_000, 'detached');
        await page.click('[data-step="4"]');
        await waitFor(page, '[data-testid=recipe-table]', 'the recipe table', 5_000);
        const seq = await page.inputValue('#f-data-maxseq');
        const policy = await page.inputValue('#policy');
        assert(seq === '512' && policy === 'skip', `after "Use these settings" the draft has max sequence '${seq}' and policy '${policy}'`);
        const tableText = (await page.textContent('[data-testid=recipe-table]')) ?? '';
        assert(!/[{}]/.test(tableText), `the recipe table shows JSON: ${tableText.slice(0, 200)}`);
        const labelled = await page.$$eval('[data-testid=recipe-table] .cfg-field', (fs) => fs.map((f) => f.textContent ?? ''));
        assert(labelled.some((t) => /^layers 2 → 1$/.test(t)) && labelled.some((t) => /^dropout 0\.3$/.test(t)), `the recipe table lacks labelled fields: ${labelled.join(' | ')}`);
        for (const width of [1280, 1024]) {
          await page.setViewportSize({ width, height: 800 });
          const r = await stateColumnInCard(page);
          log(`${width} px: ${r.detail}`);
          assert(r.ok, `at ${width} px the State column is not inside the recipe card: ${r.detail}`);
          await page.locator('[data-testid=recipe-table]').scrollIntoViewIfNeeded();
          await shot(`wizard-settings-${width}-recipe`);
        }
      },
    },
  ];
}
