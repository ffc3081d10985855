import { describe, expect, it } from 'vitest';
import { runResults } from './runResults';
import { testRecord } from './testing/nodeRecords';

const scores = (avg: number, bleu4 = avg / 2) => ({ Bleu_1: avg, Bleu_2: avg, Bleu_3: avg, Bleu_4: bleu4, METEOR: avg, ROUGE_L: avg, avg_score: avg });

describe('runResults: the ended run’s scores on the Live screen', () => {
  const nodes = {
    t: testRecord('t', { status: 'done', scores: scores(0.4), genMsPerQuestion: 20, model: { layers: 2, hiddenSize: 16, parameters: 1000 } }),
    s: testRecord('s', { stage: 'student', parent: 't', status: 'done', scores: scores(0.1), genMsPerQuestion: 10, model: { layers: 1, hiddenSize: 16, parameters: 600 } }),
    d: testRecord('d', { stage: 'distill', parent: 's', status: 'done', scores: scores(0.3, 0.12) }),
    f: testRecord('f', { stage: 'selftrain', parent: 'd', status: 'failed' }),
    other: testRecord('other', { status: 'done', scores: scores(0.9) }),
  };

  it("the run's evaluated nodes in run order, each with the % of its tree's teacher", () => {
    const rows = runResults(['d', 's', 'f', 't'], nodes);
    expect(rows.map((r) => r.node.id)).toEqual(['d', 's', 't']);
    expect(rows[0]!.referenceId).toBe('t');
    expect(rows[0]!.pct.avg_score).toBeCloseTo(75, 9);
    expect(rows[0]!.pct.Bleu_4).toBeCloseTo(60, 9);
    expect(rows[1]!.pct.genMs).toBeCloseTo(50, 9);
    expect(rows[1]!.pct.params).toBeCloseTo(60, 9);
    expect(rows[2]!.pct.avg_score).toBeCloseTo(100, 9); // the teacher is its own reference, as on the Compare screen
  });

  it('a node whose root is not an evaluated teacher has no % and no reference', () => {
    const rows = runResults(['x'], { x: testRecord('x', { stage: 'distill', parent: 'gone', status: 'done', scores: scores(0.3) }) });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.referenceId).toBeUndefined();
    expect(rows[0]!.pct.avg_score).toBeUndefined();
    expect(runResults(['f'], nodes)).toEqual([]);
  });
});
