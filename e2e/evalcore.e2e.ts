// Browser tests of the validation curve, the timing spread and the few-questions warning, on the finished tree of
// the main flow (the tiny recipe on the uploaded DRCD slice: a tenth of its training items held out, 3 test questions).
import { LAB, type LabTestsOptions } from './lab.e2e';
import { nav } from './labPage';
import { assert, waitFor, type TestDef } from './suite';

export function evalcoreTests(_o: LabTestsOptions): TestDef[] {
  return [
    {
      name: 'evalcore: the node panel draws the stored validation curve and reads time and question count honestly',
      fixture: 'lab',
      needs: [LAB.fork],
      async run({ page, shot }) {
        await nav(page, 'tree');
        await page.click('g.tree-node[data-stage=teacher]');
        await waitFor(page, '[data-testid=node-panel] [data-testid=validation-chart]', "the teacher's validation curve", 15_000);
        const points = Number(await page.getAttribute('[data-testid=node-panel] [data-testid=validation-chart]', 'data-points'));
        assert(points >= 2, `expected a validation curve of several points, got ${points}`);
        const panel = (await page.textContent('[data-testid=node-panel]')) ?? '';
        assert(/held-out cross-entropy on \d+ training questions kept out of training \(\d+ examples/.test(panel), `the curve's caption is missing: ${panel.slice(0, 400)}`);
        assert(/ms \([\d.]+–[\d.]+, 3 runs\) \/ question · scores over \d+ test questions/.test(panel), `no timing spread / question count in: ${panel.slice(0, 600)}`);
        assert(/Scores over \d+ test questions: too few to tell branches apart/.test(panel), 'no few-questions warning in the node panel');
        await shot('evalcore-node-panel');
        await nav(page, 'compare');
        await waitFor(page, '[data-testid=compare-table]', 'the compare table', 10_000);
        const cmp = (await page.textContent('main')) ?? (await page.textContent('body')) ?? '';
        assert(/3 runs\)/.test(cmp), 'Compare does not show the timing runs');
        assert(await page.$('[data-testid=few-questions]'), 'Compare shows no few-questions warning');
        await shot('evalcore-compare');
      },
    },
  ];
}
