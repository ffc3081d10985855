import { describe, expect, it } from 'vitest';
import { orderNodes, RecipeError, validateRecipe, descendants } from './recipe';

const ok = {
  version: 1,
  name: 'ok',
  nodes: [
    { id: 'sel', parent: 'dist', stage: 'selftrain', config: { trainFraction: 1, hiddenDropout: 0.3 } },
    { id: 'teacher', parent: null, stage: 'teacher', config: { init: { preset: 'tiny' }, epochs: 1 } },
    { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
    { id: 'dist', parent: 'student', stage: 'distill', config: { trainFraction: 0.5 } },
  ],
};

function problemsOf(json: unknown): { nodeId: string | null; message: string }[] {
  try {
    validateRecipe(json);
  } catch (e) {
    expect(e).toBeInstanceOf(RecipeError);
    return (e as RecipeError).problems;
  }
  throw new Error('expected a RecipeError');
}

describe('validateRecipe', () => {
  it('accepts a valid tree and orders parents first', () => {
    const r = validateRecipe(ok);
    expect(orderNodes(r).map((n) => n.id)).toEqual(['teacher', 'student', 'dist', 'sel']);
    expect([...descendants(r, 'student')].sort()).toEqual(['dist', 'sel', 'student']);
  });

  it('rejects non-objects and a wrong version', () => {
    expect(() => validateRecipe(null)).toThrow(RecipeError);
    expect(problemsOf({ version: 2, nodes: ok.nodes })).toEqual([{ nodeId: null, message: expect.stringMatching(/version/) }]);
    expect(problemsOf({ version: 1 })[0]!.message).toMatch(/nodes must be an array/);
  });

  it('lists every problem with its node id', () => {
    const p = problemsOf({
      version: 1,
      nodes: [
        { id: 't', parent: null, stage: 'teacher', config: { init: 'pretrained' } },
        { id: 't', parent: null, stage: 'teacher', config: { init: 'pretrained' } }, // duplicate
        { parent: null, stage: 'teacher', config: {} }, // missing id
        { id: 'x', parent: 't', stage: 'prune', config: {} }, // unknown stage
        { id: 'orphan', parent: 'nope', stage: 'selftrain', config: {} }, // unknown parent
        { id: 'a', parent: 'b', stage: 'selftrain', config: {} }, // cycle a <-> b
        { id: 'b', parent: 'a', stage: 'selftrain', config: {} },
        { id: 'rootstudent', parent: null, stage: 'student', config: { strategy: 'drop-top', k: 1 } }, // needs parent
        { id: 'lonely', parent: 't', stage: 'distill', config: {} }, // no teacher ancestor
        { id: 'badcfg', parent: 't', stage: 'selftrain', config: { learningRate: -1, batchSize: 2.5, hiddenDropout: 1.5 } },
        { id: 'badinit', parent: null, stage: 'teacher', config: { init: { preset: 'huge' } } },
        { id: 'badstudent', parent: 't', stage: 'student', config: { strategy: 'random', k: 2 } },
        { id: 'nok', parent: 't', stage: 'student', config: { strategy: 'drop-top' } },
        { id: 'tchild', parent: 't', stage: 'teacher', config: { init: 'pretrained' } }, // teacher with a parent
        { id: 'badteacherref', parent: 't', stage: 'distill', config: { teacher: 'ghost' } },
      ],
    });
    const by = (id: string | null) => p.filter((x) => x.nodeId === id).map((x) => x.message).join(' | ');
    expect(by('t')).toMatch(/duplicate id/);
    expect(by(null)).toMatch(/nodes\[2\] has no id/);
    expect(by('x')).toMatch(/unknown stage "prune"/);
    expect(by('orphan')).toMatch(/unknown parent 'nope'/);
    expect(by('a')).toMatch(/cycle/);
    expect(by('b')).toMatch(/cycle/);
    expect(by('rootstudent')).toMatch(/needs a parent/);
    expect(by('lonely')).toMatch(/distill needs a teacher/);
    expect(by('badcfg')).toMatch(/learningRate/);
    expect(by('badcfg')).toMatch(/batchSize/);
    expect(by('badcfg')).toMatch(/hiddenDropout/);
    expect(by('badinit')).toMatch(/preset/);
    expect(by('badstudent')).toMatch(/strategy/);
    expect(by('nok')).toMatch(/config.k/);
    expect(by('tchild')).toMatch(/parent must be null/);
    expect(by('badteacherref')).toMatch(/unknown node 'ghost'/);
    // the error message lists them all, each with its node
    try {
      validateRecipe({ version: 1, nodes: [{ id: 'q', parent: 'zz', stage: 'selftrain', config: {} }] });
    } catch (e) {
      expect((e as Error).message).toContain("node 'q': unknown parent 'zz'");
    }
  });

  it('accepts an explicit teacher for distill and orders it first', () => {
    const r = validateRecipe({
      version: 1,
      nodes: [
        { id: 'small', parent: null, stage: 'teacher', config: { init: { preset: 'tiny' } } },
        { id: 'd', parent: 'small', stage: 'distill', config: { teacher: 'big' } },
        { id: 'big', parent: null, stage: 'teacher', config: { init: { preset: 'tiny', layers: 4 } } },
      ],
    });
    expect(orderNodes(r).map((n) => n.id)).toEqual(['small', 'big', 'd']);
  });

  it('rejects a distill whose explicit teacher depends on it', () => {
    const p = problemsOf({
      version: 1,
      nodes: [
        { id: 't', parent: null, stage: 'teacher', config: { init: { preset: 'tiny' } } },
        { id: 'd', parent: 't', stage: 'distill', config: { teacher: 'e' } },
        { id: 'e', parent: 'd', stage: 'selftrain', config: {} },
      ],
    });
    expect(p).toEqual([{ nodeId: 'd', message: expect.stringMatching(/descendant/) }]);
  });

  it('checks the data and eval options and training-config field names', () => {
    const p = problemsOf({
      version: 1,
      data: { maxSeqLen: 4, policy: 'crop', extra: 1 },
      eval: { beamSize: 0 },
      nodes: [{ id: 't', parent: null, stage: 'teacher', config: { init: { preset: 'tiny' }, lr: 1e-3 } }],
    });
    const msgs = p.map((x) => `${x.nodeId}: ${x.message}`);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^null: data.maxSeqLen must be an integer >= 8/),
        expect.stringMatching(/^null: data.policy/),
        expect.stringMatching(/^null: data: unknown option 'extra'/),
        expect.stringMatching(/^null: eval.beamSize/),
        expect.stringMatching(/^t: config: unknown field lr/),
      ]),
    );
  });

  it('refuses a maxSeqLen that leaves a test prompt no room (the question, 4 special tokens and an answer token)', () => {
    const withData = (d: unknown) => ({ ...ok, data: d });
    expect(problemsOf(withData({ maxSeqLen: 40 }))).toEqual([
      { nodeId: null, message: 'data.maxSeqLen 40 leaves no room for a prompt: it must be at least maxQuestionLen (42) + 5 (4 special tokens and one answer token)' },
    ]);
    expect(problemsOf(withData({ maxSeqLen: 64, maxQuestionLen: 60 }))).toHaveLength(1);
    expect(() => validateRecipe(withData({ maxSeqLen: 47 }))).not.toThrow();
    expect(() => validateRecipe(withData({ maxSeqLen: 40, maxQuestionLen: 20 }))).not.toThrow();
  });

  it('checks eval.sampleEverySteps: a non-negative integer, 0 = off', () => {
    const withEval = (e: unknown) => ({ ...ok, eval: e });
    expect(validateRecipe(withEval({ sampleEverySteps: 0, samples: 3 })).eval).toEqual({ sampleEverySteps: 0, samples: 3 });
    expect(validateRecipe(withEval({ sampleEverySteps: 25 })).eval).toEqual({ sampleEverySteps: 25 });
    for (const bad of [-1, 2.5, '10', null]) {
      expect(problemsOf(withEval({ sampleEverySteps: bad }))).toEqual([
        { nodeId: null, message: `eval.sampleEverySteps must be a non-negative integer (optimizer steps between samples during training; 0 = off) (got ${JSON.stringify(bad)})` },
      ]);
    }
  });

  it('checks eval.limit: a non-negative integer, 0 = no evaluation', () => {
    const withEval = (e: unknown) => ({ ...ok, eval: e });
    expect(validateRecipe(withEval({ limit: 0 })).eval).toEqual({ limit: 0 });
    expect(validateRecipe(withEval({ limit: 30 })).eval).toEqual({ limit: 30 });
    for (const bad of [-1, 0.5, '3']) {
      expect(problemsOf(withEval({ limit: bad }))).toEqual([
        { nodeId: null, message: `eval.limit must be a non-negative integer (0 = no evaluation) (got ${JSON.stringify(bad)})` },
      ]);
    }
  });

  it("checks eval.context ('head' | 'answer-window') and eval.normalize ('bert' | 'none')", () => {
    const withEval = (e: unknown) => ({ ...ok, eval: e });
    expect(validateRecipe(withEval({ context: 'head', normalize: 'none' })).eval).toEqual({ context: 'head', normalize: 'none' });
    expect(validateRecipe(withEval({ context: 'answer-window', normalize: 'bert' })).eval).toEqual({ context: 'answer-window', normalize: 'bert' });
    expect(problemsOf(withEval({ context: 'window', normalize: 'BERT' }))).toEqual([
      {
        nodeId: null,
        message: `eval.context must be 'head' (the study's: a long context keeps its first tokens) or 'answer-window' (a window centred on the answer) (got "window")`,
      },
      { nodeId: null, message: `eval.normalize must be 'bert' (references through the tokenizer, as the generated questions are) or 'none' (raw text) (got "BERT")` },
    ]);
  });

  it('checks the validation and timing options: data.validationItems, eval.validationEverySteps / validationScore (>= 0), eval.timingRepeats (>= 1)', () => {
    const r = validateRecipe({ ...ok, data: { validationItems: 0 }, eval: { validationEverySteps: 0, validationScore: 4, timingRepeats: 1 } });
    expect(r.data).toEqual({ validationItems: 0 });
    expect(r.eval).toEqual({ validationEverySteps: 0, validationScore: 4, timingRepeats: 1 });
    expect(problemsOf({ ...ok, data: { validationItems: -1 }, eval: { validationEverySteps: 1.5, validationScore: 'a', timingRepeats: 0 } })).toEqual([
      { nodeId: null, message: 'data.validationItems must be a non-negative integer (training items held out for the validation curve; 0 = none) (got -1)' },
      { nodeId: null, message: 'eval.validationEverySteps must be a non-negative integer (optimizer steps between validation points; 0 = after the last step only) (got 1.5)' },
      { nodeId: null, message: 'eval.validationScore must be a non-negative integer (held-out questions scored with greedy decoding; 0 = loss only) (got "a")' },
      { nodeId: null, message: 'eval.timingRepeats must be a positive integer (timed generation runs) (got 0)' },
    ]);
  });
});
