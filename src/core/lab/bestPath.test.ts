import { describe, expect, it } from 'vitest';
import { bestPath } from './bestPath';
import type { NodeRecord } from './nodeRecord';
import { forkedLabTree } from './testing/labTree';

const scores = (avg: number) => ({ Bleu_1: 0, Bleu_2: 0, Bleu_3: 0, Bleu_4: 0, METEOR: 0, ROUGE_L: 0, avg_score: avg });
function scored(avg: Record<string, number>): Record<string, NodeRecord> {
  const nodes = forkedLabTree();
  for (const [id, v] of Object.entries(avg)) nodes[id] = { ...nodes[id]!, scores: scores(v) };
  return nodes;
}

describe('bestPath', () => {
  it('runs from the root to the compressed model with the highest avg_score, not to a higher-scoring teacher', () => {
    const p = bestPath(scored({ 'teacher-1': 0.3, 'student-1': 0.01, 'distill-1': 0.1, 'selftrain-1': 0.12, 'distill-2': 0.11, 'selftrain-2': 0.2 }));
    expect(p.bestId).toBe('selftrain-2');
    expect([...p.ids].sort()).toEqual(['distill-2', 'selftrain-2', 'student-1', 'teacher-1']);
  });

  it('a tie goes to the node made first; NaN and missing scores are passed over; no scores, no path', () => {
    expect(bestPath(scored({ 'selftrain-2': 0.2, 'selftrain-1': 0.2, 'distill-1': Number.NaN })).bestId).toBe('selftrain-1');
    expect(bestPath(scored({ 'distill-1': Number.NaN }))).toEqual({ ids: new Set() });
    expect(bestPath(forkedLabTree()).ids.size).toBe(0);
    // only the teacher scored: the path is the teacher
    expect(bestPath(scored({ 'teacher-1': 0.3 }))).toEqual({ bestId: 'teacher-1', ids: new Set(['teacher-1']) });
  });

  it('a parent cycle ends the walk', () => {
    const nodes = scored({ 'distill-1': 0.5 });
    nodes['student-1'] = { ...nodes['student-1']!, parent: 'distill-1' };
    expect([...bestPath(nodes).ids].sort()).toEqual(['distill-1', 'student-1']);
  });
});
