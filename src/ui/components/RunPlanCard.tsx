import { fmtBytes, fmtInt, fmtPlanDuration, fmtSecondsPerStep, STAGE_NAMES } from '../format';
import { planStorageText, stagePlanLine } from '../state/plan';
import { useLab } from '../state/store';

/** The plan of the draft's recipe (planRun): steps, timing and storage per stage, and what the knobs would change. */
export function RunPlanCard({ planKey }: { planKey: string | null }) {
  const plan = useLab((s) => s.plan);
  const madeFor = useLab((s) => s.planKey);
  const busy = useLab((s) => s.planBusy);
  const error = useLab((s) => s.planError);
  const backend = useLab((s) => s.backend);
  if (!plan && !busy && !error) return null;
  const stale = !!plan && madeFor !== planKey;
  const storage = plan ? planStorageText(plan.storage) : null;
  return (
    <div className="stack" data-testid="run-plan" data-busy={busy ? 'yes' : 'no'} data-stale={stale ? 'yes' : 'no'}>
      <h3>Plan</h3>
      {busy && (
        <div className="callout info" role="status">
          Timing a few steps of each stage on {backend?.backend ?? 'the backend'}… at full size this takes a while.
        </div>
      )}
      {error && <div className="callout warn">No plan: {error}</div>}
      {plan && (
        <div style={{ opacity: stale || busy ? 0.55 : 1 }}>
          {stale && <p className="small muted">The draft changed since this plan: plan again to see its figures.</p>}
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th style={{ textAlign: 'left' }}>Stage</th>
                  <th>Examples</th>
                  <th>Steps</th>
                  <th>Batch · micro</th>
                  <th>s / step</th>
                  <th>Peak memory</th>
                  <th>Projected</th>
                  <th>Stored</th>
                </tr>
              </thead>
              <tbody>
                {plan.stages.map((p) => (
                  <tr key={p.nodeId} data-plan-node={p.nodeId} data-stage={p.stage}>
                    <td className="text" title={p.label}>
                      {STAGE_NAMES[p.stage]}
                      {p.note && <div className="tiny muted">{p.note}</div>}
                    </td>
                    <td className="num">{p.stage === 'student' ? '—' : fmtInt(p.examples)}</td>
                    <td className="num">
                      {p.stage === 'student' ? '—' : `${fmtInt(p.epochs)} × ${fmtInt(p.stepsPerEpoch)} = ${fmtInt(p.totalSteps)}`}
                    </td>
                    <td className="num">{p.stage === 'student' ? '—' : `${fmtInt(p.batchSize)} · ${fmtInt(p.microBatchSize)}`}</td>
                    <td className="num">{fmtSecondsPerStep(p.secondsPerStep)}</td>
                    <td className="num">{p.peakBytes !== undefined ? fmtBytes(p.peakBytes) : '—'}</td>
                    <td className="num">{p.stage === 'student' ? '—' : fmtPlanDuration(p.projectedMs)}</td>
                    <td className="num">{fmtBytes(plan.storage.perNode[p.nodeId])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="small" style={{ margin: '8px 0', paddingLeft: 18 }}>
            {plan.stages.map((p) => (
              <li key={p.nodeId}>{stagePlanLine(p)}</li>
            ))}
          </ul>
          <p className="small" data-testid="plan-total">
            <b>Total {fmtPlanDuration(plan.totalMs)}</b> on {plan.backend}
            {plan.data ? ` · ${fmtInt(plan.data.examples)} examples from ${fmtInt(plan.data.kept)} of ${fmtInt(plan.data.items)} items` : ''}
          </p>
          {storage && (
            <div className={`callout ${storage.bad ? 'bad' : 'info'}`} data-testid="plan-storage" data-fits={String(plan.storage.fits ?? '')}>
              <div>
                {storage.bad ? <strong>Not enough storage: </strong> : 'Storage: '}
                {storage.text}
                {storage.bad ? '. Drop resume checkpoints or delete branches you no longer need, or use fewer nodes.' : '.'}
              </div>
            </div>
          )}
          {plan.knobs.length > 0 && (
            <>
              <h3>What would change it</h3>
              <ul className="small" style={{ margin: 0, paddingLeft: 18 }} data-testid="plan-knobs">
                {plan.knobs.map((k) => (
                  <li key={k.name}>
                    <span className="mono">{k.name}</span>: {k.effect}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
