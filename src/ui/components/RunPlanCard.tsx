import { fmtBytes, fmtInt, fmtPlanDuration, fmtSecondsPerStep, STAGE_NAMES } from '../format';
import { planStorageText, stagePlanLine } from '../state/plan';
import { applyMicroBatches, microBatchPicks } from '../state/planMicroBatch';
import { useLab } from '../state/store';

/** The plan of the draft's recipe (planRun): steps, timing and storage per stage, and what the knobs would change. */
export function RunPlanCard({ planKey }: { planKey: string | null }) {
  const plan = useLab((s) => s.plan);
  const madeFor = useLab((s) => s.planKey);
  const busy = useLab((s) => s.planBusy);
  const error = useLab((s) => s.planError);
  const backend = useLab((s) => s.backend);
  const draft = useLab((s) => s.draft);
  const setDraft = useLab((s) => s.setDraft);
  if (!plan && !busy && !error) return null;
  const picks = plan && !busy ? microBatchPicks(plan, draft) : [];
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
          {picks.length > 0 && (
            <div className="callout warn" data-testid="plan-micro-batches">
              <div>
                Batch {picks.map((p) => `${STAGE_NAMES[p.stage].toLowerCase()} ${p.current}`).join(', ')} does not fit in memory on {plan.backend}; the probe
                fits micro-batches of {picks.map((p) => `${p.microBatch} (${STAGE_NAMES[p.stage].toLowerCase()})`).join(', ')}. Gradients accumulate to the
                same batch, so the update is the same.{' '}
                <button className="btn sm" data-testid="apply-micro-batches" onClick={() => setDraft((d) => applyMicroBatches(d, picks))}>
                  Use these micro-batches
                </button>
              </div>
            </div>
          )}
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
