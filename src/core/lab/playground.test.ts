// LabService.generateFor (the playground): the question a node's model gives for a paragraph and a marked answer is
// the one evaluation's beam search gave for the same test item; the node's last loaded models are cached (two) and
// the one pushed out is disposed; bad requests get a clear error.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEval, writeState } from '../experiment/checkpoints';
import type { Recipe } from '../experiment/recipe';
import { MemoryStorage } from '../experiment/storage';
import { LabService, type LabStore } from './labService';
import { PlaygroundError, PlaygroundModels, type PlaygroundErrorKind } from './playground';

class MemoryLabStore extends MemoryStorage implements LabStore {
  async keySizes(): Promise<[string, number][]> {
    return [];
  }
}

// maxSeqLen 64: the sample's paragraphs do not fit the prompt's budget, so evaluation cuts them (answer-window)
const recipe: Recipe = {
  version: 1,
  nodes: [
    { id: 't', parent: null, stage: 'teacher', config: { init: { preset: 'tiny', layers: 2, hidden: 16, heads: 2, intermediate: 32 }, epochs: 2, batchSize: 4 } },
    { id: 's', parent: 't', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
    { id: 'x', parent: 's', stage: 'selftrain', config: { epochs: 1, batchSize: 4 } },
  ],
  data: { maxSeqLen: 64, maxTrainItems: 12 },
  eval: { limit: 4, samples: 0, sampleEverySteps: 0, beamSize: 3 },
};

async function rejection(p: Promise<unknown>): Promise<PlaygroundError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlaygroundError);
    return e as PlaygroundError;
  }
  throw new Error('expected the call to fail');
}

describe('LabService.generateFor', () => {
  let lab: LabService;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    lab = new LabService({ store: new MemoryLabStore() });
    await lab.loadSampleDataset();
    expect(await lab.runRecipe(recipe, () => undefined, 'cpu')).toEqual({ status: 'done' });
  }, 120_000);

  it("gives evaluation's beam-search question for a test item, for the teacher and a student", async () => {
    const items = await lab.playgroundItems(4);
    expect(items).toHaveLength(4);
    for (const id of ['t', 'x']) {
      const ev = (await readEval(lab.run, id))!;
      expect(ev.beamSize).toBe(3);
      expect(ev.questions.map((q) => q.id)).toEqual(items.map((i) => i.id));
      // a comparison of empty questions would prove nothing
      expect(ev.questions.every((q) => q.generated.length > 0)).toBe(true);
      for (const [i, item] of items.entries()) {
        const r = await lab.generateFor(id, { context: item.context, answer: item.answer, answerStart: item.answerStart });
        expect(r.beamSize).toBe(3);
        expect(r.question).toBe(ev.questions[i]!.generated);
        expect(r.tokens).toHaveLength(r.ids.length);
        expect(r.genMs).toHaveLength(1);
        expect(r.genMs[0]).toBeGreaterThan(0);
        expect(r.prompt.contextMode).toBe('answer-window');
        expect(r.prompt.promptTokens).toBeLessThanOrEqual(64 - 42);
      }
    }
    lab.releasePlaygroundModels();
  });

  it('says how a paragraph too long for the prompt was cut, and reports the model beside the question', async () => {
    const [item] = await lab.playgroundItems(1);
    const r = await lab.generateFor('x', { context: item!.context, answer: item!.answer }, { runs: 3 });
    expect(r.prompt.contextTokens).toBeGreaterThan(r.prompt.keptTokens);
    expect(r.prompt.cut?.text).toMatch(new RegExp(`^the paragraph's ${r.prompt.contextTokens} tokens were cut to a window around the answer of ${r.prompt.keptTokens} \\(context 'answer-window', sequence ≤ 64\\)$`));
    expect(r.genMs).toHaveLength(3);
    expect(r.layers).toBe(1);
    expect(r.hiddenSize).toBe(16);
    const t = await lab.generateFor('t', { context: item!.context, answer: item!.answer });
    expect(t.layers).toBe(2);
    expect(t.parameters).toBeGreaterThan(r.parameters);
    const short = await lab.generateFor('t', { context: item!.answer + '。', answer: item!.answer });
    expect(short.prompt.cut).toBeUndefined();
    expect(short.prompt.keptTokens).toBe(short.prompt.contextTokens);
    lab.releasePlaygroundModels();
  });

  it('keeps the last two models: a repeat does not load again, a third node disposes the oldest, release frees all', async () => {
    lab.releasePlaygroundModels();
    const [item] = await lab.playgroundItems(1);
    const input = { context: item!.context, answer: item!.answer, answerStart: item!.answerStart };
    const base = tf.memory().numTensors;
    const first = await lab.generateFor('t', input);
    expect(first.loaded).toBe(true);
    expect(first.loadMs).toBeGreaterThan(0);
    const perModel = tf.memory().numTensors - base;
    expect(perModel).toBeGreaterThan(0);
    const again = await lab.generateFor('t', input);
    expect(again).toMatchObject({ loaded: false, loadMs: 0, question: first.question });
    expect(tf.memory().numTensors).toBe(base + perModel);
    // s and x have one layer, t two: count each model's tensors as it comes in
    await lab.generateFor('s', input);
    const withS = tf.memory().numTensors;
    const perSmall = withS - base - perModel;
    expect(perSmall).toBeGreaterThan(0);
    expect(perSmall).toBeLessThan(perModel);
    expect((await lab.generateFor('x', input)).loaded).toBe(true);
    expect(tf.memory().numTensors).toBe(base + 2 * perSmall); // t was pushed out and disposed
    expect((await lab.generateFor('t', input)).loaded).toBe(true);
    expect(tf.memory().numTensors).toBe(base + perSmall + perModel); // s was pushed out
    lab.releasePlaygroundModels();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('refuses what it cannot answer, with the reason', async () => {
    const [item] = await lab.playgroundItems(1);
    const cases: [Promise<unknown>, PlaygroundErrorKind, RegExp][] = [
      [lab.generateFor('t', { context: item!.context, answer: '不在段落裡的答案' }), 'answer-not-found', /^the answer '不在段落裡的答案' does not occur in the paragraph$/],
      [
        lab.generateFor('t', { context: `xx${item!.answer}`, answer: item!.answer, answerStart: 0 }),
        'answer-not-found',
        new RegExp(`^the answer '${item!.answer}' is not at character 0 of the paragraph \\(it occurs at 2\\)$`),
      ],
      [lab.generateFor('t', { context: item!.context, answer: item!.context.slice(0, 30) }), 'answer-too-long', /^the answer has (1[6-9]|[2-9]\d) tokens; the model takes at most 15/],
      [lab.generateFor('t', { context: 'ЖЖЖ是什麼', answer: 'ЖЖЖ' }), 'vocabulary', /none of the answer's characters are in this model's vocabulary/],
      [lab.generateFor('t', { context: '  ', answer: 'a' }), 'empty', /the paragraph is empty/],
      [lab.generateFor('t', { context: item!.context, answer: ' ' }), 'empty', /no answer is marked/],
      [lab.generateFor('nope', { context: item!.context, answer: item!.answer }), 'unknown-node', /^there is no node 'nope' in the tree$/],
      [lab.generateFor('t', { context: item!.context, answer: item!.answer }, { runs: 0 }), 'options', /runs must be an integer from 1 to 20/],
    ];
    for (const [p, kind, message] of cases) {
      const e = await rejection(p);
      expect(e.kind).toBe(kind);
      expect(e.message).toMatch(message);
    }
    // a node whose run was interrupted has no model to ask
    const rec = (await lab.listNodes()).find((n) => n.id === 'x')!;
    await writeState(lab.run, { ...rec, id: 'y', status: 'cancelled' });
    const e = await rejection(lab.generateFor('y', { context: item!.context, answer: item!.answer }));
    expect(e.kind).toBe('no-model');
    expect(e.message).toBe("node 'y' has no model yet (status: cancelled): run its recipe first");
    lab.releasePlaygroundModels();
  });

  // last: it deletes part of the tree
  it("deleting a branch frees its nodes' cached models and keeps the others'", async () => {
    lab.releasePlaygroundModels();
    const [item] = await lab.playgroundItems(1);
    const input = { context: item!.context, answer: item!.answer, answerStart: item!.answerStart };
    const base = tf.memory().numTensors;
    await lab.generateFor('t', input);
    const withT = tf.memory().numTensors;
    await lab.generateFor('x', input);
    expect(tf.memory().numTensors).toBeGreaterThan(withT);
    expect(await lab.deleteBranch('s')).toEqual(expect.arrayContaining(['s', 'x']));
    expect(tf.memory().numTensors).toBe(withT); // x's model disposed, t's kept
    expect((await lab.generateFor('t', input)).loaded).toBe(false);
    expect((await rejection(lab.generateFor('x', input))).kind).toBe('unknown-node');
    lab.releasePlaygroundModels();
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('PlaygroundModels', () => {
  it('disposes the least recently used entry when a new one goes past the capacity', async () => {
    const disposed: string[] = [];
    const entry = (name: string) => async () => ({ model: { dispose: () => void disposed.push(name) }, tokenizer: {} }) as never;
    const cache = new PlaygroundModels(2);
    await cache.get('a', entry('a'));
    await cache.get('b', entry('b'));
    expect((await cache.get('a', entry('a2'))).loaded).toBe(false); // a is now the most recent
    await cache.get('c', entry('c'));
    expect(disposed).toEqual(['b']);
    expect(cache.size).toBe(2);
    cache.clear();
    expect(disposed.sort()).toEqual(['a', 'b', 'c']);
    expect(() => new PlaygroundModels(0)).toThrow(/capacity must be a positive integer/);
  });
});
