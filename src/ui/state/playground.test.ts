import { describe, expect, it } from 'vitest';
import type { NodeRecord } from '../../../workers/labApi';
import { answerPosition, defaultPair, keepAnswerStart, latencyRatio, playgroundNodes, timing } from './playground';

const node = (id: string, stage: NodeRecord['stage'], parent: string | null, extra: Partial<NodeRecord> = {}): NodeRecord => ({
  schemaVersion: 1,
  id,
  stage,
  parent,
  config: {},
  label: id,
  createdAt: Number(id.replace(/\D/g, '')) || 0,
  status: 'done',
  model: { layers: 2, hiddenSize: 16, parameters: 100 },
  ...extra,
});
const score = (avg: number) => ({ scores: { Bleu_1: 0, Bleu_2: 0, Bleu_3: 0, Bleu_4: 0, METEOR: 0, ROUGE_L: 0, avg_score: avg } });

describe('playground rules', () => {
  it('offers done nodes with a model; defaults to the root teacher and the best-scoring student', () => {
    const nodes = Object.fromEntries(
      [
        node('t1', 'teacher', null, score(0.5)),
        node('s2', 'student', 't1', score(0.1)),
        node('d3', 'distill', 's2', score(0.3)),
        node('x4', 'selftrain', 'd3', score(0.35)),
        node('x5', 'selftrain', 'd3', { status: 'failed' }),
        node('x6', 'selftrain', 'd3', { ...score(0.9), model: undefined }),
      ].map((n) => [n.id, n]),
    );
    expect(playgroundNodes(nodes).map((n) => n.id)).toEqual(['t1', 's2', 'd3', 'x4']);
    expect(defaultPair(nodes)).toEqual(['t1', 'x4']);
    expect(defaultPair({ t1: nodes.t1! })).toEqual(['t1', null]);
    expect(defaultPair({})).toEqual([null, null]);
    // unscored students still count, after scored ones
    expect(defaultPair({ t1: nodes.t1!, s2: { ...nodes.s2!, scores: undefined } })).toEqual(['t1', 's2']);
  });

  it('finds the typed answer and keeps a marked occurrence while the paragraph still has it there', () => {
    expect(answerPosition('台北在北部，台北很大', '台北')).toEqual({ start: 0, occurrences: 2 });
    expect(answerPosition('台北', '高雄')).toEqual({ start: -1, occurrences: 0 });
    expect(keepAnswerStart('台北在北部，台北很大', '台北', 6)).toBe(6);
    expect(keepAnswerStart('新的台北在北部', '台北', 6)).toBe(2);
    expect(keepAnswerStart('高雄', '台北', 0)).toBeNull();
  });

  it('summarises timed runs by median and spread; the ratio compares medians', () => {
    expect(timing([30, 10, 20, 50, 40])).toEqual({ median: 30, min: 10, max: 50, runs: 5 });
    expect(timing([10, 20]).median).toBe(15);
    expect(latencyRatio([100, 120, 80], [50, 40, 60])).toBe(0.5);
    expect(latencyRatio([0], [5])).toBeUndefined();
    expect(() => timing([])).toThrow(/no timed run/);
  });
});
