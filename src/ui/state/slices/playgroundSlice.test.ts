// The playground slice against a fake worker: a selection marks the answer at its place, both sides are generated one
// after the other with the marked position, one side's error stays on that side, test items cycle.
import type * as Comlink from 'comlink';
import { describe, expect, it, vi } from 'vitest';
import type { LabApi, PlaygroundInput, PlaygroundResult, QgItem } from '../../../../workers/labApi';
import { createLabStore } from '../store';
import { testRecord } from '../testing/nodeRecords';
import type { LabDeps } from './types';

const result = (nodeId: string, question: string): PlaygroundResult =>
  ({ nodeId, stage: 'teacher', label: nodeId, question, ids: [], tokens: [], beamSize: 3, loaded: true, loadMs: 5, genMs: [2], parameters: 10, layers: 1, hiddenSize: 8, prompt: {} }) as unknown as PlaygroundResult;

function setup(items: QgItem[] = []) {
  const calls: { id: string; input: PlaygroundInput; inFlight: number }[] = [];
  let inFlight = 0;
  const api = {
    generateFor: vi.fn(async (id: string, input: PlaygroundInput) => {
      inFlight++;
      calls.push({ id, input, inFlight });
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (id === 'bad') throw new Error("the answer 'x' does not occur in the paragraph");
      return result(id, `q-${id}`);
    }),
    playgroundItems: vi.fn(async () => items),
  };
  const deps: LabDeps = {
    lab: () => api as unknown as Comlink.Remote<LabApi>,
    proxy: ((fn: unknown) => fn) as LabDeps['proxy'],
    transfer: ((obj: unknown) => obj) as LabDeps['transfer'],
  };
  return { api, calls, store: createLabStore(deps) };
}

describe('playground slice', () => {
  it('marks a selection at its place, keeps it while the paragraph still has it there, and follows a typed answer', () => {
    const { store } = setup();
    const s = () => store.getState();
    s().setPlaygroundContext('台北在北部，台北很大');
    s().markAnswer(8, 6);
    expect(s().playground).toMatchObject({ answer: '台北', answerStart: 6 });
    s().setPlaygroundContext('台北在北部，台北很大！');
    expect(s().playground.answerStart).toBe(6);
    s().setPlaygroundContext('在北部，台北很大');
    expect(s().playground.answerStart).toBe(4);
    s().typeAnswer('高雄');
    expect(s().playground.answerStart).toBeNull();
  });

  it('defaults to the root teacher and the best student, generates the sides one after the other, keeps errors per side', async () => {
    const { store, calls } = setup();
    const done = { status: 'done' as const, model: { layers: 1, hiddenSize: 8, parameters: 10 } };
    store.setState({
      nodes: {
        t: testRecord('t', done),
        s: testRecord('s', { ...done, stage: 'selftrain', parent: 't', createdAt: 1, scores: { Bleu_1: 0, Bleu_2: 0, Bleu_3: 0, Bleu_4: 0, METEOR: 0, ROUGE_L: 0, avg_score: 0.2 } }),
      },
    });
    const s = () => store.getState();
    s().defaultPlaygroundNodes();
    expect(s().playground.sides.map((x) => x.nodeId)).toEqual(['t', 's']);
    s().setPlaygroundContext('台北在北部，台北很大');
    s().markAnswer(6, 8);
    s().setPlaygroundDecode({ runs: 5 });
    await s().generatePlayground();
    expect(calls.map((c) => [c.id, c.input.answerStart, c.inFlight])).toEqual([
      ['t', 6, 1],
      ['s', 6, 1],
    ]);
    expect(s().playground.sides.map((x) => x.result?.question)).toEqual(['q-t', 'q-s']);
    expect(s().playground).toMatchObject({ busy: false, seq: 1 });
    s().pickPlaygroundNode(1, 'bad');
    await s().generatePlayground();
    expect(s().playground.sides[0].result?.question).toBe('q-t');
    expect(s().playground.sides[1]).toEqual({ nodeId: 'bad', result: null, error: "the answer 'x' does not occur in the paragraph" });
  });

  it('puts the next test item into the paragraph, cycling', async () => {
    const items: QgItem[] = [
      { id: '1', context: 'AB台北', answer: '台北', answerStart: 2, question: '' },
      { id: '2', context: '高雄港', answer: '高雄', answerStart: 0, question: '' },
    ];
    const { store, api } = setup(items);
    const s = () => store.getState();
    await s().loadTestItem();
    expect(s().playground).toMatchObject({ context: 'AB台北', answer: '台北', answerStart: 2, itemIndex: 0 });
    await s().loadTestItem();
    await s().loadTestItem();
    expect(s().playground).toMatchObject({ context: 'AB台北', itemIndex: 0 });
    expect(api.playgroundItems).toHaveBeenCalledTimes(1);
  });
});
