// Evaluations timed once (eval.json v2) read as one timing run; histories without a validation curve (v1) read
// with none; both through the storage readers the runner and the lab use.
import { describe, expect, it } from 'vitest';
import { nodeKey, readEval, readHistoryFile, saveHistory } from '../../experiment/checkpoints';
import { MemoryStorage } from '../../experiment/storage';
import { migrate } from './recordSchema';
import { EVAL_SCHEMA, HISTORY_SCHEMA } from './schemas';

const v2Eval = {
  schemaVersion: 2,
  n: 30,
  beamSize: 3,
  metrics: { Bleu_1: 0.5, Bleu_2: 0.4, Bleu_3: 0.3, Bleu_4: 0.2, METEOR: 0.3, ROUGE_L: 0.5, avg_score: 0.36 },
  genTimeMs: 204,
  questionsPerSec: 147,
  params: 1000,
  normalize: 'bert',
  contextCut: { mode: 'answer-window' },
  questions: [],
};

describe('eval.json v2 → v3', () => {
  it('one timed pass becomes one run of all n questions', async () => {
    const s = new MemoryStorage();
    await s.putJson(nodeKey('t', 'eval.json'), v2Eval);
    const r = (await readEval(s, 't'))!;
    expect((r as { schemaVersion?: number }).schemaVersion).toBe(3);
    expect(r.genTiming).toEqual({ runs: [6.8], median: 6.8, min: 6.8, max: 6.8, questions: 30 });
    expect(r.genTimeMs).toBe(204);
  });
  it('a v1 result (no settings, no version) reads through both migrations', () => {
    const { schemaVersion: _v, normalize: _n, contextCut: _c, ...v1 } = v2Eval;
    const r = migrate(EVAL_SCHEMA, v1);
    expect(r).toMatchObject({ schemaVersion: 3, normalize: 'none', contextCut: { mode: 'answer-window' }, genTiming: { runs: [6.8], questions: 30 } });
  });
  it('a result with no questions timed keeps no timing rather than a made-up one', () => {
    expect(migrate(EVAL_SCHEMA, { ...v2Eval, n: 0 }).genTiming).toBeUndefined();
  });
});

describe('history.json v1 → v2', () => {
  it('a v1 history reads with an empty validation curve; v2 keeps its points', async () => {
    const s = new MemoryStorage();
    const points = [{ step: 1, epoch: 0, loss: 3, lr: 1e-3, terms: { logits: 3 }, n: 1 }];
    await s.putJson(nodeKey('a', 'history.json'), { schemaVersion: 1, points });
    await s.putJson(nodeKey('b', 'history.json'), { points }); // before versioning: no field at all
    for (const id of ['a', 'b']) expect(await readHistoryFile(s, id)).toEqual({ points, validation: [] });
    const validation = [{ step: 1, totalSteps: 1, loss: 2.5, examples: 40, items: 4 }];
    await saveHistory(s, 'c', points, validation);
    expect(await s.getJson(nodeKey('c', 'history.json'))).toMatchObject({ schemaVersion: 2 });
    expect(await readHistoryFile(s, 'c')).toEqual({ points, validation });
    expect(() => migrate(HISTORY_SCHEMA, { schemaVersion: 3, points })).toThrow(/newer version of the lab/);
  });
});
