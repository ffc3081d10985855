// Rows of the comparison table (pure): each evaluated node, with every figure also as % of a reference teacher.
import type { NodeRecord } from '../../core/lab/nodeRecord';
import { nodeNames } from '../../core/lab/nodeNames';
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
  /** the node's unique display name (core/lab/nodeNames) */
  name: string;
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

/** `v` as a percentage of the reference `r` (undefined when either is missing or `r` is 0). */
export const pctOf = (v: number | undefined, r: number | undefined): number | undefined => (v !== undefined && r ? (v / r) * 100 : undefined);

/**
 * A node's avg_score as % of its teacher's: the root teacher of its lineage (the reference Compare defaults to for
 * it). Undefined for the teacher itself and where either has no score.
 */
export function pctOfTeacher(id: string, nodes: Record<string, NodeRecord>): number | undefined {
  const root = rootOf(id, nodes);
  if (!root || root.id === id || root.stage !== 'teacher') return undefined;
  return pctOf(nodes[id]?.scores?.avg_score, root.scores?.avg_score);
}

export function compareRows(nodes: Record<string, NodeRecord>, referenceId: string | undefined, names = nodeNames(nodes)): CompareRow[] {
  const ref = referenceId ? nodes[referenceId] : undefined;
  return Object.values(nodes)
    .filter((n) => n.scores)
    .sort((a, b) => {
      const ra = rootOf(a.id, nodes)?.createdAt ?? 0;
      const rb = rootOf(b.id, nodes)?.createdAt ?? 0;
      return ra - rb || a.createdAt - b.createdAt;
    })
    .map((n) => {
      const pct: CompareRow['pct'] = {
        genMs: pctOf(n.genMsPerQuestion, ref?.genMsPerQuestion),
        params: pctOf(n.model?.parameters, ref?.model?.parameters),
      };
      for (const m of METRICS) pct[m.key] = pctOf(n.scores![m.key], ref?.scores?.[m.key]);
      return { node: n, name: names.get(n.id)?.full ?? n.label, genMs: n.genMsPerQuestion, params: n.model?.parameters, scores: n.scores!, pct };
    });
}

export function toCsv(rows: CompareRow[], referenceLabel: string): string {
  const head = ['node_id', 'name', 'stage', 'layers', 'gen_ms_per_question', 'gen_time_pct_of_teacher', 'parameters', 'parameters_pct_of_teacher'];
  for (const m of METRICS) head.push(m.key, `${m.key}_pct_of_teacher`);
  const esc = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const r2 = (v: number | undefined) => (v === undefined ? '' : Number(v.toFixed(4)));
  const lines = [`# reference teacher: ${referenceLabel}`, head.join(',')];
  for (const r of rows) {
    const cells: unknown[] = [r.node.id, r.name, r.node.stage, r.node.model?.layers, r2(r.genMs), r2(r.pct.genMs), r.params, r2(r.pct.params)];
    for (const m of METRICS) cells.push(r2(r.scores[m.key]), r2(r.pct[m.key]));
    lines.push(cells.map(esc).join(','));
  }
  return lines.join('\n') + '\n';
}
