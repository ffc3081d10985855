// The node panel and Compare read a node's generation time as the median of its timing runs with their range, say
// how many test questions the scores are over (with a warning under 100), and show the stored validation curve.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FewQuestionsNote, genTimeText } from './components/EvalFacts';
import { NodePanel } from './components/NodePanel';
import { CompareTable } from './components/CompareTable';
import { compareRows } from './components/compareRows';
import { useLab } from './state/store';
import { testRecord } from './state/testing/nodeRecords';

const setState = (p: Partial<ReturnType<typeof useLab.getState>>) => void Object.assign(useLab.getInitialState(), p);
const scores = { Bleu_1: 0.5, Bleu_2: 0.4, Bleu_3: 0.3, Bleu_4: 0.2, METEOR: 0.3, ROUGE_L: 0.5, avg_score: 0.37 };
const timing = { runs: [10.9, 6.2, 6.8], median: 6.8, min: 6.2, max: 10.9, questions: 30 };

describe('generation time and question count', () => {
  it('median (min–max, runs); a record from before the runs reads as one run', () => {
    expect(genTimeText({ genTiming: timing, genMsPerQuestion: 6.8 })).toBe('6.8 ms (6.2–10.9, 3 runs)');
    expect(genTimeText({ genMsPerQuestion: 7.25 })).toBe('7.3 ms (1 run)');
    expect(genTimeText({})).toBeUndefined();
  });

  it('warns under 100 test questions, over the fewest any evaluated node has; nothing at 100 or without scores', () => {
    const few = renderToStaticMarkup(createElement(FewQuestionsNote, { nodes: [{ scores, evalCount: 3524 }, { scores, evalCount: 30 }] }));
    expect(few).toContain('Scores over 30 test questions: too few to tell branches apart');
    expect(renderToStaticMarkup(createElement(FewQuestionsNote, { nodes: [{ scores, evalCount: 100 }] }))).toBe('');
    expect(renderToStaticMarkup(createElement(FewQuestionsNote, { nodes: [{ evalCount: 30 }] }))).toBe('');
  });

  it('the node panel: timing, count, warning and the stored validation curve', () => {
    const node = testRecord('a', { status: 'done', scores, genTiming: timing, genMsPerQuestion: 6.8, evalCount: 30, heldOut: 16 });
    const validation = [1, 2, 3].map((s) => ({ step: s * 10, totalSteps: 30, loss: 5 - s, examples: 200, items: 16 }));
    setState({ nodes: { a: node }, selectedId: 'a', run: null, validation: {}, detail: { ...node, loss: [], validation, evalSamples: [] } });
    const out = renderToStaticMarkup(createElement(NodePanel));
    expect(out).toContain('6.8 ms (6.2–10.9, 3 runs) / question · scores over 30 test questions');
    expect(out).toContain('data-testid="few-questions"');
    expect(out).toContain('data-testid="validation-chart" data-points="3"');
    expect(out).toContain('held-out cross-entropy on 16 training questions kept out of training (200 examples, teacher-forced, no dropout) · last 2 at step 30');
  });

  it('a node trained without held-out items says why it has no curve', () => {
    const node = testRecord('b', { status: 'done', heldOut: 0 });
    setState({ nodes: { b: node }, selectedId: 'b', run: null, validation: {}, detail: { ...node, loss: [], validation: [], evalSamples: [] } });
    expect(renderToStaticMarkup(createElement(NodePanel))).toContain('data-testid="validation-none"');
  });

  it("Compare's gen-time cell shows the spread", () => {
    const t = testRecord('t', { status: 'done', scores, genTiming: timing, genMsPerQuestion: 6.8, evalCount: 30, model: { layers: 2, hiddenSize: 64, parameters: 1000 } });
    const out = renderToStaticMarkup(createElement(CompareTable, { rows: compareRows({ t }, 't'), referenceId: 't' }));
    expect(out).toContain('6.8 ms (6.2–10.9, 3 runs)');
  });
});
