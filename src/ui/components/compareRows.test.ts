import { describe, expect, it } from 'vitest';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import { forkedLabTree } from '../../core/lab/testing/labTree';
import { compareRows, pctOf, pctOfTeacher, toCsv } from './compareRows';

const scores = (avg: number) => ({ Bleu_1: avg, Bleu_2: avg, Bleu_3: avg, Bleu_4: avg, METEOR: avg, ROUGE_L: avg, avg_score: avg });
function scored(): Record<string, NodeRecord> {
  const nodes = forkedLabTree();
  const avg: Record<string, number> = { 'teacher-1': 0.4, 'distill-1': 0.2, 'selftrain-1': 0.22, 'distill-2': 0.25, 'selftrain-2': 0.3 };
  for (const [id, v] of Object.entries(avg)) nodes[id] = { ...nodes[id]!, scores: scores(v) };
  return nodes;
}

describe('compareRows', () => {
  it('% of teacher: a node against its root teacher; none for the teacher itself or without scores', () => {
    const nodes = scored();
    expect(pctOfTeacher('selftrain-2', nodes)).toBeCloseTo(75, 9);
    expect(pctOfTeacher('teacher-1', nodes)).toBeUndefined();
    expect(pctOfTeacher('student-1', nodes)).toBeUndefined();
    expect(pctOf(1, 0)).toBeUndefined();
    expect(pctOf(undefined, 2)).toBeUndefined();
  });

  it('rows and CSV carry the unique names', () => {
    const nodes = scored();
    const rows = compareRows(nodes, 'teacher-1');
    const names = rows.map((r) => r.name);
    expect(new Set(names).size).toBe(rows.length);
    expect(names).toContain('Self-train · drop 0.3 (after distill · drop 0.05)');
    expect(rows.find((r) => r.node.id === 'selftrain-2')!.pct.avg_score).toBeCloseTo(75, 9);
    const csv = toCsv(rows, 'Teacher · tiny (teacher-1)').trim().split('\n');
    expect(csv[1]!.startsWith('node_id,name,stage,')).toBe(true);
    expect(csv.find((l) => l.startsWith('selftrain-1,'))).toContain('Self-train · drop 0.3 (after distill · drop 0.3),selftrain,');
  });
});
