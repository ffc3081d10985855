// Rows of the comparison table (pure): each evaluated node, with every figure also as % of a reference teacher.
import type { NodeRecord } from '../../core/lab/nodeRecord';
import type { Scores } from '../../../workers/labApi';

export const METRICS: { key: keyof Scores; label: string }[] = [
  { key: 'avg_score', label: 'avg_score' },
  { key: 'Bleu_1', label: 'BLEU-1' },
  { key: 'Bleu_2', label: 'BLEU-2' },
  { key: 'Bleu_3', label: 'BLEU-3' },
  { key: 'Bleu_4', label: 'BLEU-4' },
  { key: 'METEOR', label: 'METEOR' },
  { key: 'ROUGE_L', label: 'ROUGE-L' },
];

export interface CompareRow {
  node: NodeRecord;
  genMs?: number;
  params?: number;
  scores: Scores;
  /** % of the reference teacher for each column (undefined when the teacher lacks the figure). */
  pct: Partial<Record<keyof Scores | 'genMs' | 'params', number>>;
}

export function rootOf(id: string, nodes: Record<string, NodeRecord>): NodeRecord | undefined {
  let cur = nodes[id];
  const seen = new Set<string>();
  while (cur?.parent && nodes[cur.parent] && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = nodes[cur.parent];
  }
  return cur;
}

export function compareRows(nodes: Record<string, NodeRecord>, referenceId: string | undefined): CompareRow[] {
  const ref = referenceId ? nodes[referenceId] : undefined;
  const ratio = (v: number | undefined, r: number | undefined) => (v !== undefined && r ? (v / r) * 100 : undefined);
  return Object.values(nodes)
    .filter((n) => n.scores)
    .sort((a, b) => {
      const ra = rootOf(a.id, nodes)?.createdAt ?? 0;
      const rb = rootOf(b.id, nodes)?.createdAt ?? 0;
      return ra - rb || a.createdAt - b.createdAt;
    })
    .map((n) => {
      const pct: CompareRow['pct'] = {
        genMs: ratio(n.genMsPerQuestion, ref?.genMsPerQuestion),
        params: ratio(n.model?.parameters, ref?.model?.parameters),
      };
      for (const m of METRICS) pct[m.key] = ratio(n.scores![m.key], ref?.scores?.[m.key]);
      return { node: n, genMs: n.genMsPerQuestion, params: n.model?.parameters, scores: n.scores!, pct };
    });
}

export function toCsv(rows: CompareRow[], referenceLabel: string): string {
  const head = ['node_id', 'label', 'stage', 'layers', 'gen_ms_per_question', 'gen_time_pct_of_teacher', 'parameters', 'parameters_pct_of_teacher'];
  for (const m of METRICS) head.push(m.key, `${m.key}_pct_of_teacher`);
  const esc = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const r2 = (v: number | undefined) => (v === undefined ? '' : Number(v.toFixed(4)));
  const lines = [`# reference teacher: ${referenceLabel}`, head.join(',')];
  for (const r of rows) {
    const cells: unknown[] = [r.node.id, r.node.label, r.node.stage, r.node.model?.layers, r2(r.genMs), r2(r.pct.genMs), r.params, r2(r.pct.params)];
    for (const m of METRICS) cells.push(r2(r.scores[m.key]), r2(r.pct[m.key]));
    lines.push(cells.map(esc).join(','));
  }
  return lines.join('\n') + '\n';
}
