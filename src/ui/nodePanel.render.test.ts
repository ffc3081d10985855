// The node panel says how the node's evaluation scored: the references' normalisation and how many test contexts
// were cut for the prompts (and lost their answer).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { NodePanel, evalSetupText } from './components/NodePanel';
import { useLab } from './state/store';
import { testRecord } from './state/testing/nodeRecords';

const setState = (p: Partial<ReturnType<typeof useLab.getState>>) => void Object.assign(useLab.getInitialState(), p);
const scores = { Bleu_1: 0.5, Bleu_2: 0.4, Bleu_3: 0.3, Bleu_4: 0.2, METEOR: 0.3, ROUGE_L: 0.5, avg_score: 0.37 };

describe('node panel: how the evaluation scored', () => {
  it('the prompts cut and the answers lost, and the references as scored', () => {
    setState({
      nodes: {
        a: testRecord('a', {
          status: 'done',
          scores,
          evalSetup: {
            normalize: 'bert',
            normalizedReferences: 57,
            contextCut: { mode: 'head', prompts: 3524, cut: 1361, answerDropped: 198, answerPartlyCut: 4 },
          },
        }),
      },
      selectedId: 'a',
      run: null,
    });
    const out = renderToStaticMarkup(createElement(NodePanel));
    expect(out).toContain('data-testid="eval-setup"');
    expect(out).toContain('references through the tokenizer (57 changed) · 1,361 of 3,524 contexts cut to their first tokens (198 lost the answer, 4 kept part of it)');
  });

  it('a record evaluated before these settings, and a raw-scored one with the window', () => {
    expect(evalSetupText(undefined)).toMatch(/^raw references · long contexts cut to a window around the answer/);
    expect(
      evalSetupText({ normalize: 'none', normalizedReferences: 0, contextCut: { mode: 'answer-window', prompts: 30, cut: 0, answerDropped: 0, answerPartlyCut: 0 } }),
    ).toBe('raw references · 0 of 30 contexts cut to a window around the answer');
    expect(evalSetupText({ normalize: 'none', contextCut: { mode: 'head' } })).toBe('raw references · long contexts cut to their first tokens');
  });
});
