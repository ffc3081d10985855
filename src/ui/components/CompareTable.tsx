import { fmtParams, fmtScore, STAGE_NAMES } from '../format';
import { METRICS, type CompareRow } from './compareRows';
import { genTimeText } from './EvalFacts';

function Pct({ v, higherIsBetter = true }: { v: number | undefined; higherIsBetter?: boolean }) {
  if (v === undefined || !Number.isFinite(v)) return null;
  const good = higherIsBetter ? v >= 100 : v <= 100;
  return <div className={`pct ${Math.abs(v - 100) < 0.05 ? '' : good ? 'up' : 'down'}`}>{v.toFixed(1)}%</div>;
}

interface Props {
  rows: CompareRow[];
  referenceId?: string;
  onSelect?(id: string): void;
}

/** The study's comparison table: generation time, parameters, avg_score, BLEU-1..4, METEOR, ROUGE-L (+ % of teacher). */
export function CompareTable({ rows, referenceId, onSelect }: Props) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="compare-table">
        <thead>
          <tr>
            <th>Model</th>
            <th>Layers</th>
            <th>Gen. time / question</th>
            <th>Parameters</th>
            {METRICS.map((m) => (
              <th key={m.key}>{m.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.node.id}
              className={`selectable${r.node.id === referenceId ? ' teacher' : ''}`}
              onClick={() => onSelect?.(r.node.id)}
              data-node-id={r.node.id}
            >
              <td>
                <div style={{ fontWeight: 600 }} data-node-name>
                  {r.name}
                </div>
                <div className="tiny muted">
                  {STAGE_NAMES[r.node.stage]}
                  {r.node.id === referenceId ? ' · reference' : ''}
                </div>
              </td>
              <td className="num">{r.node.model?.layers ?? '—'}</td>
              <td className="num">
                {genTimeText(r.node) ?? '—'}
                <Pct v={r.pct.genMs} higherIsBetter={false} />
              </td>
              <td className="num">
                {fmtParams(r.params)}
                <Pct v={r.pct.params} higherIsBetter={false} />
              </td>
              {METRICS.map((m) => (
                <td key={m.key} className="num" style={m.key === 'avg_score' ? { fontWeight: 650 } : undefined}>
                  {fmtScore(r.scores[m.key])}
                  <Pct v={r.pct[m.key]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
