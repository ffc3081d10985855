import { useMemo, useState } from 'react';
import { CompareChart } from '../components/CompareChart';
import { CompareTable } from '../components/CompareTable';
import { FewQuestionsNote } from '../components/EvalFacts';
import { compareRows, rootOf, toCsv } from '../components/compareRows';
import { nodeNames } from '../../core/lab/nodeNames';
import { ScreenHeader } from '../components/ScreenHeader';
import { download } from '../download';
import { useLab } from '../state/store';

export function CompareScreen() {
  const nodes = useLab((s) => s.nodes);
  const { select, go } = useLab.getState();
  const selectedId = useLab((s) => s.selectedId);
  const teachers = Object.values(nodes).filter((n) => n.stage === 'teacher' && n.scores);
  const defaultRef = (selectedId && rootOf(selectedId, nodes)?.scores ? rootOf(selectedId, nodes)?.id : undefined) ?? teachers[teachers.length - 1]?.id;
  const [refChoice, setRef] = useState<string | undefined>(undefined);
  const refId = refChoice && nodes[refChoice] ? refChoice : defaultRef;
  const names = useMemo(() => nodeNames(nodes), [nodes]);
  const rows = useMemo(() => compareRows(nodes, refId, names), [nodes, refId, names]);
  const [asPct, setAsPct] = useState(true);
  const refLabel = refId ? `${names.get(refId)?.full ?? nodes[refId]?.label} (${refId})` : 'none';

  return (
    <div className="screen">
      <ScreenHeader title="Compare" lead="The study's table: generation time, parameters and every metric, each also as a percentage of the teacher's.">
        <button
          className="btn"
          disabled={!rows.length}
          onClick={() => download(new TextEncoder().encode(toCsv(rows, refLabel)), 'qg-distill-comparison.csv', 'text/csv')}
          data-testid="csv"
        >
          Export CSV
        </button>
      </ScreenHeader>
      {!rows.length ? (
        <div className="card">
          <div className="empty">Nothing evaluated yet. Nodes get scores when a run finishes them.</div>
        </div>
      ) : (
        <>
          <div className="card">
            <div className="card-head">
              <h2>Results on the test split</h2>
              <div className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: 8 }}>
                <label htmlFor="ref">% of teacher</label>
                <select id="ref" className="input" style={{ width: 280 }} value={refId ?? ''} onChange={(e) => setRef(e.target.value || undefined)}>
                  {teachers.map((t) => (
                    <option key={t.id} value={t.id}>
                      {names.get(t.id)?.full ?? t.label} — {t.id}
                    </option>
                  ))}
                  {!teachers.length && <option value="">no evaluated teacher</option>}
                </select>
              </div>
            </div>
            <FewQuestionsNote nodes={rows.map((r) => r.node)} />
            <CompareTable rows={rows} referenceId={refId} onSelect={(id) => void select(id).then(() => go('tree'))} />
            <p className="tiny muted">Scores ×100. Generation time is per question (beam search on this device); lower time/parameters and higher scores are better.</p>
          </div>
          <div className="card">
            <div className="card-head">
              <h2>Metrics</h2>
              <div className="segmented">
                <button className={asPct ? 'on' : ''} onClick={() => setAsPct(true)}>
                  % of teacher
                </button>
                <button className={!asPct ? 'on' : ''} onClick={() => setAsPct(false)}>
                  Raw ×100
                </button>
              </div>
            </div>
            <CompareChart rows={rows} asPct={asPct && !!refId} />
          </div>
        </>
      )}
    </div>
  );
}
