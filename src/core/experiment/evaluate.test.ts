// evaluate(): the prompt cut and the reference normalisation it applies, and that the scores it reports are the
// scores of the questions it stores against the references as scored.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QgItem } from '../data/drcd';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { bertPresets } from '../model/bertConfig';
import { METRIC_KEYS, scoreQuestions } from '../metrics/score';
import { evalModesFor, evaluate, type EvaluationResult } from './evaluate';
import { tokenizerFor } from '../data/testing/itemsTokenizer';

const long = '甲乙丙丁'.repeat(12); // 48 tokens
const items: QgItem[] = [
  { id: 'short', context: '台北市位於台灣北部。', answer: '台灣北部', answerStart: 5, question: '台北市位於哪裡？' },
  // the answer near the end of a long context: the head cut loses it
  { id: 'late', context: `${long}CPU由英特爾製造。`, answer: '英特爾', answerStart: long.length + 4, question: 'CPU由誰製造？' },
  // the answer at the start of a long context: both cuts keep it
  { id: 'early', context: `NBA球員很高。${long}`, answer: 'NBA球員', answerStart: 0, question: '誰很高？' },
];
const tok = tokenizerFor(items);
const limits = { maxSeqLen: 40, maxAnswerLen: 15, maxQuestionLen: 8 };
let model: BertForMaskedLM;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = BertForMaskedLM.create({ ...bertPresets.tiny(tok.vocabSize, 64), hiddenSize: 16, intermediateSize: 32 }, 7);
  // a model that writes Latin letters, lower case as every generated question is: "c", "p", "u" lead the output
  // bias by far, so what it writes overlaps the references only once they are lower-cased
  const bias = new Float32Array(tok.vocabSize);
  ['c', 'p', 'u'].forEach((t, i) => (bias[tok.tokenToId(t)!] = 50 - i));
  model.getVariable('cls.predictions.bias').assign(tf.tensor1d(bias));
});
afterAll(() => model.dispose());

/** The scores of the stored questions against the references as they were scored. */
function rescore(r: EvaluationResult) {
  const hyps = Object.fromEntries(r.questions.map((q) => [q.id, q.generated]));
  const refs = Object.fromEntries(r.questions.map((q) => [q.id, [q.scoredReference ?? q.reference]]));
  return scoreQuestions(hyps, refs);
}

describe('evaluate', () => {
  it("by default: references through the tokenizer ('bert'), long contexts cut to a window around the answer", async () => {
    const r = await evaluate(model, tok, items, { beamSize: 1, limits });
    expect(r.normalize).toBe('bert');
    expect(r.contextCut).toEqual({ mode: 'answer-window', prompts: 3, cut: 2, answerDropped: 0, answerPartlyCut: 0 });
    // only the reference with upper-case letters is scored otherwise than written
    expect(r.normalizedReferences).toBe(1);
    expect(r.questions.map((q) => q.scoredReference)).toEqual([undefined, 'cpu由誰製造？', undefined]);
    expect(r.questions[1]!.reference).toBe('CPU由誰製造？');
    const again = rescore(r);
    for (const k of [...METRIC_KEYS, 'avg_score'] as const) expect(r.metrics[k], k).toBe(again[k]);
    // the model writes "c p c p …": it overlaps "cpu由誰製造？" but not "CPU由誰製造？"
    expect(r.questions.map((q) => q.generated.replace(/ /g, ''))).toEqual(['cpcpcpcp', 'cpcpcpcp', 'cpcpcpcp']);
    const raw = await evaluate(model, tok, items, { beamSize: 1, limits, normalize: 'none' });
    expect(raw.questions.map((q) => q.generated)).toEqual(r.questions.map((q) => q.generated));
    expect(r.metrics.Bleu_1).toBeGreaterThan(0.05);
    expect(raw.metrics.Bleu_1).toBeLessThan(1e-9);
    expect(r.metrics.ROUGE_L).toBeGreaterThan(raw.metrics.ROUGE_L);
    expect(r.metrics.avg_score).toBeGreaterThan(raw.metrics.avg_score);
  });

  it("'none' scores the raw references; 'head' keeps the first tokens and counts the answers it loses", async () => {
    const r = await evaluate(model, tok, items, { beamSize: 1, limits, normalize: 'none', context: 'head' });
    expect(r.normalize).toBe('none');
    expect(r.normalizedReferences).toBe(0);
    expect(r.questions.every((q) => q.scoredReference === undefined)).toBe(true);
    expect(r.contextCut).toEqual({ mode: 'head', prompts: 3, cut: 2, answerDropped: 1, answerPartlyCut: 0 });
    const again = rescore(r);
    for (const k of [...METRIC_KEYS, 'avg_score'] as const) expect(r.metrics[k], k).toBe(again[k]);
  });
});

describe('evalModesFor', () => {
  const stored = (normalize: 'bert' | 'none', mode: 'head' | 'answer-window') =>
    ({ normalize, contextCut: { mode } }) as Pick<EvaluationResult, 'normalize' | 'contextCut'>;

  it('the defaults without a setting or a stored reference', () => {
    expect(evalModesFor({})).toEqual({ context: 'answer-window', normalize: 'bert', inherited: [], differs: [] });
  });

  it("an unset setting follows the reference teacher's stored evaluation (an older tree keeps scoring as it did)", () => {
    expect(evalModesFor({}, stored('none', 'answer-window'))).toEqual({ context: 'answer-window', normalize: 'none', inherited: ['normalize'], differs: [] });
    expect(evalModesFor({ context: 'head' }, stored('bert', 'head'))).toEqual({ context: 'head', normalize: 'bert', inherited: [], differs: [] });
  });

  it('a setting the recipe names wins, and a difference from the reference is reported', () => {
    expect(evalModesFor({ normalize: 'bert', context: 'head' }, stored('none', 'answer-window'))).toEqual({
      context: 'head',
      normalize: 'bert',
      inherited: [],
      differs: ['context', 'normalize'],
    });
  });
});
