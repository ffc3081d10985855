import { fmtScore, STAGE_NAMES } from '../format';
import type { RunResultRow } from '../state/runResults';

const COLUMNS = [
  { key: 'avg_score', label: 'avg_score' },
  { key: 'Bleu_4', label: 'BLEU-4' },
  { key: 'METEOR', label: 'METEOR' },
  { key: 'ROUGE_L', label: 'ROUGE-L' },
] as const;

function Pct({ v }: { v: number | undefined }) {
  return v === undefined || !Number.isFinite(v) ? null : <div className="tiny muted">{v.toFixed(1)} % of teacher</div>;
}

/** The ended run's scores per node (×100, as the Compare screen shows them), with a link to the Compare screen. */
export function RunResultsCard({ rows, onCompare }: { rows: RunResultRow[]; onCompare(): void }) {
  return (
    <div className="card" data-testid="run-results">
      <div className="card-head">
        <div>
          <h2>Results of this run</h2>
          <span className="sub">Test-split scores ×100; the % refer to each node's teacher, as on the Compare screen.</span>
        </div>
        <button className="btn sm" onClick={onCompare} data-testid="open-compare">
          Compare all nodes →
        </button>
      </div>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Node</th>
              {COLUMNS.map((c) => (
                <th key={c.key}>{c.label}</th>
              ))}
              <th>Gen. ms / question</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.node.id} data-result-node={r.node.id} className={r.node.id === r.referenceId ? 'teacher' : undefined}>
                <td>
                  <div style={{ fontWeight: 600 }}>{r.node.label}</div>
                  <div className="tiny muted">
                    {STAGE_NAMES[r.node.stage]}
                    {r.node.id === r.referenceId ? ' · reference' : ''}
                  </div>
                </td>
                {COLUMNS.map((c) => (
                  <td key={c.key} className="num" data-metric={c.key} style={c.key === 'avg_score' ? { fontWeight: 650 } : undefined}>
                    {fmtScore(r.scores[c.key])}
                    {r.node.id !== r.referenceId && <Pct v={r.pct[c.key]} />}
                  </td>
                ))}
                <td className="num" data-metric="genMs">
                  {r.genMs !== undefined ? r.genMs.toFixed(1) : '—'}
                  {r.node.id !== r.referenceId && <Pct v={r.pct.genMs} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
