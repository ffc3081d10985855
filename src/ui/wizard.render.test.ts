// The wizard with an uploaded dataset: the settings suggestion with its figures, the recipe table and the node
// panel as labelled fields (no raw JSON), and the preset buttons from PRESET_LABELS.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { suggestSettings } from '../core/lab/suggestSettings';
import { dataReportOf, skippedBy } from '../core/data/testing/dataReports';
import { NodePanel } from './components/NodePanel';
import { WizardScreen } from './screens/WizardScreen';
import { dataModelKey, suggestionKey } from './state/draftSuggestion';
import { freshIds, PRESET_LABELS, PRESET_NAMES, PRESET_RECIPES, presetDraft, recipeFromDraft } from './state/recipes';
import { useLab } from './state/store';
import { testRecord } from './state/testing/nodeRecords';
import type { DatasetSummary } from '../core/lab/inputs/datasetInput';

// renderToStaticMarkup reads the store's initial state (zustand's server snapshot): the tests set that
const reset = { dataset: null, baseModel: null, forkFrom: null, nodes: {}, selectedId: null, run: null, suggestFigures: null, suggestDismissed: [] };
const setState = (p: Partial<ReturnType<typeof useLab.getState>>) => void Object.assign(useLab.getInitialState(), reset, p);
const draftWith = (edit: (d: ReturnType<typeof presetDraft>) => void) => {
  const d = presetDraft('demo');
  edit(d);
  return d;
};
const dataset: DatasetSummary = { name: 'DRCD_dev.json', isSample: false, bytes: 1, stats: {}, trainItems: 3172, testItems: 352, examples: [], loadedAt: 7 };
const s = suggestSettings({ dataset, model: null, sampleData: PRESET_RECIPES.demo.data ?? {} });
const key = suggestionKey(dataModelKey(dataset, null), s);
const skip = { ...dataReportOf({ items: 3172, kept: 2020, skipped: skippedBy({ 'context-too-long': 1000, 'answer-too-long': 80, 'question-too-long': 72 }) }), tokenizer: 'a character vocabulary' };
const window = { ...dataReportOf({ policy: 'window', items: 3172, kept: 3020, skipped: skippedBy({ 'answer-too-long': 80, 'question-too-long': 72 }), windowed: { total: 1000, byReason: { 'context-too-long': 1000 } } }), tokenizer: 'a character vocabulary' };
const render = () => renderToStaticMarkup(createElement(WizardScreen));

describe('wizard: settings that fit the data', () => {
  beforeEach(() => setState({ dataset, draft: presetDraft('demo'), wizardStep: 4, suggestFigures: { key, skip, window } }));

  it("suggests the study's 512 with what the skip rule drops and the window keeps", () => {
    const out = render();
    expect(out).toContain('data-testid="settings-suggestion"');
    expect(out).toContain('data-max-seq="512"');
    expect(out).toContain('data-skip-dropped="1152"');
    expect(out).toContain('skip (the study&#x27;s rule) drops 1,152 of 3,172 (36.3 %) items: 1,000 contexts too long for 512 tokens, 80 answers over 15 tokens, 72 questions over 42 tokens');
    expect(out).toContain('window keeps 3,020 of 3,172 (95.2 %) items (1,000 with the context cut to a window around the answer), drops 152');
    expect(out).toContain('Use these settings');
    expect(out).toMatch(/Max sequence: <s>96 tokens<\/s> → <b>512 tokens<\/b>/);
  });

  it('is gone once the draft has the settings, when dismissed, and while forking', () => {
    setState({ dataset, draft: draftWith((d) => void (d.data = { maxSeqLen: 512, policy: 'skip' })), wizardStep: 4, suggestFigures: { key, skip, window } });
    expect(render()).not.toContain('settings-suggestion');
    setState({ dataset, draft: presetDraft('demo'), wizardStep: 4, suggestDismissed: [key] });
    expect(render()).not.toContain('settings-suggestion');
    setState({ dataset, draft: presetDraft('demo'), wizardStep: 4, forkFrom: 'x', nodes: { x: testRecord('x', { status: 'done' }) } });
    expect(render()).not.toContain('settings-suggestion');
  });

  it('says it is counting until the figures for this suggestion arrive', () => {
    setState({ dataset, draft: presetDraft('demo'), wizardStep: 4, suggestFigures: { key: 'older', skip, window } });
    const out = render();
    expect(out).toContain('counting…');
    expect(out).not.toContain('data-skip-dropped');
  });

  it('the recipe table shows labelled fields, no JSON; the preset buttons are PRESET_LABELS', () => {
    const out = render();
    const table = out.slice(out.indexOf('data-testid="recipe-table"'), out.indexOf('</table>'));
    expect(table).not.toMatch(/\{&quot;|\{"/);
    expect(table).toContain('<span class="k">layers</span> <span class="v">2 → 1</span>');
    expect(table).toContain('<span class="k">dropout</span> <span class="v">0.3</span>');
    expect(table).toContain('<span class="k">data</span> <span class="v">50 %</span>');
    for (const p of PRESET_NAMES) expect(out).toContain(`data-preset="${p}">${PRESET_LABELS[p]}</button>`);
  });

  it("the shape preset's select carries its whole label", () => {
    setState({ dataset, draft: draftWith((d) => void (d.teacher.init = 'scratch')), wizardStep: 0 });
    expect(render()).toMatch(/<div class="field wide"><label for="scratch-preset">Shape preset<\/label><select id="scratch-preset" class="input" title="tiny — 2 layers, hidden 64"/);
  });
});

describe('wizard: the validation curve settings', () => {
  it('step 4 offers the validation interval and the scored held-out questions, and they reach the recipe', () => {
    setState({ dataset, draft: draftWith((d) => Object.assign(d.evaluate, { validationEverySteps: 7, validationScore: 4 })), wizardStep: 4 });
    const out = render();
    expect(out).toMatch(/name="eval-valevery" value="7"/);
    expect(out).toMatch(/name="eval-valscore" value="4"/);
    const recipe = recipeFromDraft(useLab.getInitialState().draft, {}, freshIds([]));
    expect(recipe.eval).toMatchObject({ validationEverySteps: 7, validationScore: 4 });
  });
});

describe('node panel: the config as labelled fields', () => {
  it('with a raw JSON disclosure', () => {
    setState({
      nodes: {
        t: testRecord('t', { status: 'done', model: { layers: 12, hiddenSize: 768, parameters: 1 } as never }),
        s: testRecord('s', { stage: 'student', parent: 't', status: 'done', config: { strategy: 'drop-top', k: 6 } }),
      },
      selectedId: 's',
    });
    const out = renderToStaticMarkup(createElement(NodePanel));
    const dd = out.slice(out.indexOf('data-testid="node-config"'));
    expect(dd).toContain('<span class="k">layers</span> <span class="v">12 → 6</span>');
    expect(dd).toContain('<span class="k">drop top</span> <span class="v">6</span>');
    expect(dd).toMatch(/<details class="raw-config"><summary>raw JSON<\/summary>/);
  });
});
