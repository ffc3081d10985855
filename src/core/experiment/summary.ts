// The study's comparison table: one row per node, with parameters, generation time and scores, and the
// params / time / score columns relative to the teacher of the node's tree.
import { relativeToTeacher, type EvaluationResult } from './evaluate';
import type { NodeResult } from './runner';

const COLUMNS = [
  'node',
  'stage',
  'status',
  'params',
  'params %',
  'gen time',
  'time %',
  'BLEU-1',
  'BLEU-2',
  'BLEU-3',
  'BLEU-4',
  'METEOR',
  'ROUGE-L',
  'avg_score',
  'score %',
] as const;

export interface SummaryRow {
  node: string;
  stage: string;
  status: string;
  params?: number;
  paramsPct?: number;
  genTimeMs?: number;
  timePct?: number;
  metrics?: EvaluationResult['metrics'];
  scorePct?: number;
}

export function summaryRows(results: readonly NodeResult[]): SummaryRow[] {
  const byId = new Map(results.map((r) => [r.id, r] as const));
  return results.map((r) => {
    const row: SummaryRow = { node: r.id, stage: r.stage, status: r.status };
    if (!r.eval) return row;
    row.params = r.eval.params;
    row.genTimeMs = r.eval.genTimeMs;
    row.metrics = r.eval.metrics;
    const ref = r.reference !== undefined ? byId.get(r.reference)?.eval : undefined;
    if (ref) {
      const rel = relativeToTeacher(r.eval, ref);
      row.paramsPct = rel.paramsPct;
      row.timePct = rel.timePct;
      row.scorePct = rel.scorePct;
    }
    return row;
  });
}

const fmtParams = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}K` : String(n));
const fmtMs = (ms: number) => (ms >= 60_000 ? `${(ms / 60_000).toFixed(1)}min` : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`);
const fmtPct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : `${x.toFixed(1)}%`);
const fmtScore = (x: number) => (x * 100).toFixed(2);

/** A plain-text table (scores ×100, as papers print them). */
export function summaryTable(results: readonly NodeResult[]): string {
  const rows = summaryRows(results).map((r) => {
    const m = r.metrics;
    return [
      r.node,
      r.stage,
      r.status,
      r.params !== undefined ? fmtParams(r.params) : '-',
      fmtPct(r.paramsPct),
      r.genTimeMs !== undefined ? fmtMs(r.genTimeMs) : '-',
      fmtPct(r.timePct),
      ...(m ? [m.Bleu_1, m.Bleu_2, m.Bleu_3, m.Bleu_4, m.METEOR, m.ROUGE_L, m.avg_score].map(fmtScore) : Array(7).fill('-')),
      fmtPct(r.scorePct),
    ];
  });
  const all = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
