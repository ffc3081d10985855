// The playground's browser test, on the main flow's finished tree (fixture 'lab' after the fork): a pasted paragraph,
// an answer marked by selecting it with the keyboard, the teacher and a self-trained student side by side — both
// questions and latencies shown, five timed runs with a median, and the clear error of an answer not in the paragraph.
import type { Page } from 'playwright-core';
import { LAB, type LabTestsOptions } from './lab.e2e';
import { assert, until, waitFor, type TestDef } from './suite';

const GEN_TIMEOUT = 3 * 60_000;

/** Clicks Generate and waits until that generation ended on both sides; throws with a side's error when `ok`. */
async function generate(page: Page, what: string, ok: boolean): Promise<void> {
  const before = Number(await page.getAttribute('[data-testid=playground]', 'data-seq'));
  await page.click('[data-testid=pg-generate]');
  await until(
    page,
    what,
    (seq) => {
      const root = document.querySelector('[data-testid=playground]');
      return Number(root?.getAttribute('data-seq')) > seq && root?.getAttribute('data-busy') === 'no';
    },
    before,
    GEN_TIMEOUT,
    200,
  );
  if (!ok) return;
  for (const s of ['a', 'b']) {
    const err = await page.locator(`[data-testid=pg-result-${s}] [data-testid=pg-error]`).count();
    if (err) throw new Error(`side ${s}: ${await page.textContent(`[data-testid=pg-result-${s}] [data-testid=pg-error]`)}`);
  }
}

export function playgroundTests(_o: LabTestsOptions): TestDef[] {
  return [
    {
      name: "playground: a pasted paragraph with a selected answer gives the teacher's and the self-trained student's questions side by side, with latencies",
      fixture: 'lab',
      needs: [LAB.fork],
      timeoutMs: 8 * 60_000,
      async run({ page, shot, log }) {
        await page.click('[data-nav="playground"]');
        await waitFor(page, '[data-nav="playground"][aria-current=page]', 'the playground to open', 10_000);
        // prefilled with a test item of the uploaded DRCD slice
        await until(page, 'the paragraph prefilled from a test item', () => (document.querySelector('[data-testid=pg-context]') as HTMLTextAreaElement | null)?.value.length, null, 30_000, 100);
        const item = await page.inputValue('[data-testid=pg-context]');
        // paste a paragraph of our own: a new first sentence and a part of that item (its characters are in the vocabulary)
        const paragraph = `這是貼上的段落。${item.slice(0, 160)}`;
        await page.fill('[data-testid=pg-context]', paragraph);
        const at = paragraph.slice(8).search(/[\u4e00-\u9fff]{4}/) + 8;
        assert(at >= 8, `no 4 CJK characters in a row in the pasted paragraph: ${paragraph}`);
        const answer = paragraph.slice(at, at + 4);
        // mark it by selecting it in the paragraph with the keyboard
        await page.focus('[data-testid=pg-context]');
        await page.keyboard.press('Control+Home');
        for (let i = 0; i < at; i++) await page.keyboard.press('ArrowRight');
        for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
        await until(page, `the selection '${answer}' marked as the answer`, (a) => (document.querySelector('[data-testid=pg-answer]') as HTMLInputElement).value === a, answer, 10_000, 100);
        const start = await page.getAttribute('[data-testid=pg-answer-pos]', 'data-start');
        assert(start === String(at), `answer position ${start}, want ${at}`);
        assert(((await page.textContent('[data-testid=pg-answer-preview] mark')) ?? '') === answer, 'the preview does not mark the answer');

        // the teacher on A, the first self-training node on B
        const options = await page.$$eval('[data-testid=pg-node-a] option', (os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '' })));
        const teacher = options.find((o) => o.text.startsWith('teacher:'));
        const student = options.find((o) => o.text.startsWith('selftrain:'));
        assert(teacher && student, `node options: ${options.map((o) => o.text).join(' | ')}`);
        await page.selectOption('[data-testid=pg-node-a]', teacher.value);
        await page.selectOption('[data-testid=pg-node-b]', student.value);
        await generate(page, 'both questions', true);
        for (const s of ['a', 'b']) {
          const q = ((await page.textContent(`[data-testid=pg-result-${s}] [data-testid=pg-question]`)) ?? '').trim();
          const gen = Number(await page.getAttribute(`[data-testid=pg-result-${s}] [data-testid=pg-latency]`, 'data-gen-ms'));
          const load = Number(await page.getAttribute(`[data-testid=pg-result-${s}] [data-testid=pg-latency]`, 'data-load-ms'));
          const shown = (await page.textContent(`[data-testid=pg-result-${s}] [data-testid=pg-latency]`)) ?? '';
          log(`${s}: '${q}' — generation ${gen} ms, load ${load} ms`);
          assert(q.length > 0 && !q.startsWith('(an empty question'), `side ${s}: empty question`);
          assert(gen > 0 && load > 0, `side ${s}: latency gen ${gen} / load ${load}`);
          assert(/Generation\s*\d/.test(shown) && /Model load\s*\d/.test(shown) && /Parameters/.test(shown) && /Layers/.test(shown), `side ${s} shows: ${shown}`);
        }
        await waitFor(page, '[data-testid=pg-ratio]', 'the B / A latency ratio', 5_000);
        log((await page.textContent('[data-testid=pg-ratio]')) ?? '');
        await shot('pg-01-side-by-side');

        // five timed runs: a median and a spread; the models are cached now
        await page.check('[data-testid=pg-runs]');
        await generate(page, 'five timed runs on each side', true);
        const a = (await page.textContent('[data-testid=pg-result-a] [data-testid=pg-latency]')) ?? '';
        assert(/median of 5/.test(a) && /Spread/.test(a) && /Model load\s*cached/.test(a), `side a after 5 runs: ${a}`);
        await shot('pg-02-five-runs');

        // an answer that is not in the paragraph: said before and after Generate
        await page.fill('[data-testid=pg-answer]', '這個答案不在段落裡');
        await waitFor(page, '[data-testid=pg-answer-pos]:has-text("not in the paragraph")', 'the answer flagged as not in the paragraph', 5_000);
        await generate(page, 'the error on both sides', false);
        for (const s of ['a', 'b']) {
          const e = (await page.textContent(`[data-testid=pg-result-${s}] [data-testid=pg-error]`)) ?? '';
          assert(/the answer '這個答案不在段落裡' does not occur in the paragraph/.test(e), `side ${s} error: '${e}'`);
        }
        await shot('pg-03-answer-not-found');
      },
    },
  ];
}
