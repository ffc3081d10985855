import { useEffect, useMemo, useState } from 'react';
import { ChartToolbar } from '../components/ChartToolbar';
import { LogView } from '../components/LogView';
import { LossChart } from '../components/LossChart';
import { ValidationChart } from '../components/ValidationChart';
import { ProgressBar } from '../components/ProgressBar';
import { RunResultsCard } from '../components/RunResultsCard';
import { SampleList } from '../components/SampleList';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusPill } from '../components/StatusPill';
import { fmtMs, fmtNum, STAGE_NAMES } from '../format';
import { HINT_TITLES, hintActions } from '../state/plan';
import { phaseText } from '../state/reduceEvents';
import { stoppedNodeOf } from '../state/recipes';
import { runResults } from '../state/runResults';
import { stopOffers, stopText } from '../state/stops';
import { useLab } from '../state/store';
import { WizardEmptyState } from '../components/WizardEmptyState';

export function LiveScreen() {
  const run = useLab((s) => s.run);
  const nodes = useLab((s) => s.nodes);
  const series = useLab((s) => s.series);
  const liveSamples = useLab((s) => s.liveSamples);
  const logs = useLab((s) => s.logs);
  const backend = useLab((s) => s.backend);
  const { cancelRun, go, select, resumeRun, resumeOnBackend, resumeWithMicroBatch } = useLab.getState();
  const [pinned, setPinned] = useState<string | null>(null);
  const results = useMemo(() => (run && !run.active ? runResults(run.nodeIds, nodes) : []), [run, nodes]);

  if (!run) {
    return (
      <div className="screen">
        <ScreenHeader title="Live training" lead="Loss curves, per-layer distillation terms and generated questions appear here while a recipe runs." />
        <StoppedRuns />
        <div className="card">
          <WizardEmptyState>No run in this session yet.</WizardEmptyState>
        </div>
      </div>
    );
  }
  const shown = pinned && run.nodeIds.includes(pinned) ? pinned : run.currentNodeId ?? run.nodeIds[0];
  const node = shown ? nodes[shown] : undefined;
  const points = (shown && series[shown]) || [];
  const stepFrac = run.totalSteps ? (run.step ?? 0) / run.totalSteps : 0;
  const doneCount = run.nodeIds.filter((id) => nodes[id]?.status === 'done').length;
  const status = run.active ? 'running' : run.outcome?.status ?? 'done';
  // before the first node runs, the node shown first is the one being prepared
  const isCurrent = run.active && (run.currentNodeId ?? run.nodeIds[0]) === shown;
  const phaseNode = run.phase ? nodes[run.phase.nodeId] : undefined;
  const phase = phaseText(run, phaseNode?.stage);

  return (
    <div className="screen">
      <ScreenHeader title="Live training" lead={`${run.name} — ${doneCount} of ${run.nodeIds.length} nodes done. Charts follow the worker's event batches.`}>
        <span className={`pill ${status}`} data-testid="run-status" data-status={status}>
          {status === 'running' ? 'Running' : status === 'done' ? 'Finished' : status === 'failed' ? 'Failed' : 'Cancelled'}
        </span>
        {run.active ? (
          <button className="btn danger" onClick={() => void cancelRun()} data-testid="cancel">
            Cancel
          </button>
        ) : (
          <>
            {(status === 'cancelled' || status === 'failed') && stoppedNodeOf(run.nodeIds, nodes) && (
              <button
                className="btn primary"
                onClick={() => void resumeRun()}
                title="Run the recipe again: finished nodes are kept, the interrupted one continues from its last checkpoint"
                data-testid="resume-run"
              >
                Resume
              </button>
            )}
            <button className={`btn${status === 'done' ? ' primary' : ''}`} onClick={() => go('tree')}>
              See the tree →
            </button>
          </>
        )}
      </ScreenHeader>

      {run.outcome?.status === 'failed' && !run.outcome.hint && (
        <div className="callout bad" role="alert">
          <div>
            <strong>The run failed.</strong> {run.outcome.error}
          </div>
        </div>
      )}
      {run.outcome?.hint && (
        <div className="callout bad" role="alert" data-testid="run-hint" data-kind={run.outcome.hint.kind}>
          <div>
            <strong>{HINT_TITLES[run.outcome.hint.kind] ?? 'The run failed.'}</strong> {run.outcome.hint.message}
            {!run.active && stoppedNodeOf(run.nodeIds, nodes) && (
              <div className="row" style={{ marginTop: 8, gap: 8 }}>
                {hintActions(run.outcome.hint, backend?.backend).map((a) =>
                  a.kind === 'backend' ? (
                    <button key={a.label} className="btn primary sm" onClick={() => void resumeOnBackend(a.backend)} data-resume-backend={a.backend}>
                      {a.label}
                    </button>
                  ) : (
                    <button
                      key={a.label}
                      className="btn primary sm"
                      onClick={() => void resumeWithMicroBatch(a.microBatch)}
                      title="Resume the stopped node with this micro-batch: the same batch, reached by smaller micro-batches (gradient accumulation)"
                      data-resume-micro-batch={a.microBatch}
                    >
                      {a.label}
                    </button>
                  ),
                )}
              </div>
            )}
          </div>
        </div>
      )}

      {results.length > 0 && <RunResultsCard rows={results} onCompare={() => go('compare')} />}

      <div className="card tight">
        <div className="row" style={{ gap: 8 }}>
          {run.nodeIds.map((id) => {
            const n = nodes[id];
            return (
              <button
                key={id}
                className={`btn sm${id === shown ? ' primary' : ''}`}
                onClick={() => setPinned(id)}
                title={n?.label ?? id}
                data-live-node={id}
              >
                {n ? STAGE_NAMES[n.stage] : id}
                {n && <StatusPill status={n.status} />}
              </button>
            );
          })}
        </div>
      </div>

      <div className="split">
        <div className="stack">
          <div
            className="card"
            data-testid="live-progress"
            data-node={shown ?? ''}
            data-step={run.currentNodeId === shown ? run.step ?? '' : ''}
            data-total-steps={run.currentNodeId === shown ? run.totalSteps ?? '' : ''}
            data-first-step={points[0]?.step ?? ''}
          >
            <div className="card-head">
              <div>
                <h2>{node?.label ?? shown}</h2>
                <span className="sub">
                  {phase && isCurrent ? (
                    <span data-testid="run-phase" data-phase={run.phase?.kind ?? 'starting'}>
                      {phase} <Elapsed since={run.phase?.since ?? run.startedAt} />
                    </span>
                  ) : isCurrent
                    ? `step ${run.step ?? 0}${run.totalSteps ? ` of ${run.totalSteps}` : ''} · ${fmtNum(run.examplesPerSec, 1)} examples/s · ETA ${fmtMs(run.etaMs)}`
                    : node?.status === 'done'
                      ? `${node.steps ?? points.length} steps · last loss ${fmtNum(node.lastLoss)}`
                      : node?.status ?? ''}
                  {backend ? ` · ${backend.backend}` : ''}
                </span>
              </div>
              {node && (
                <button className="btn sm" onClick={() => void select(node.id).then(() => go('tree'))}>
                  Open in tree
                </button>
              )}
            </div>
            {run.currentNodeId === shown && run.active && <ProgressBar value={stepFrac} />}
            <div className="row chart-head">
              <h3>Loss</h3>
              {points.length > 0 && <ChartToolbar />}
            </div>
            <LossChart points={points} kind="total" emptyText={isCurrent && phase ? phase : undefined} toolbar={false} nodeId={shown} />
            <h3>Per-layer terms</h3>
            <LossChart points={points} kind="layers" toolbar={false} nodeId={shown} />
            <ValidationChart nodeId={shown} />
          </div>
        </div>
        <div className="stack">
          <div className="card">
            <h2>Generated questions</h2>
            <SampleList samples={(shown && liveSamples[shown]) || []} limit={4} />
          </div>
          <div className="card">
            <h2>Log</h2>
            <LogView lines={logs} />
          </div>
        </div>
      </div>
    </div>
  );
}

/** "· 42 s" since `since`, counting while shown. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const s = Math.max(0, Math.round((now - since) / 1000));
  return <span className="muted">· {s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`}</span>;
}

/**
 * After a reload (no run in this session), the runs that stopped before finishing, latest first: resume one (its
 * finished nodes are kept, it continues from its last checkpoint), or dismiss the offer (the node stays in the tree).
 */
function StoppedRuns() {
  const nodes = useLab((s) => s.nodes);
  const dismissed = useLab((s) => s.dismissedStops);
  const { resumeNode, dismissStop, select, go } = useLab.getState();
  const stopped = stopOffers(nodes, dismissed);
  if (!stopped.length) return null;
  return (
    <div className="callout info" data-testid="stopped-runs">
      <div className="stack" style={{ gap: 8 }}>
        <strong>{stopped.length === 1 ? 'A run stopped before it finished.' : `${stopped.length} runs stopped before they finished.`}</strong>
        {stopped.map((n) => (
          <div key={n.id} className="row" style={{ gap: 8 }} data-stopped-node={n.id}>
            <span className="grow">{stopText(n)}.</span>
            <button
              className="btn primary sm"
              onClick={() => void resumeNode(n.id)}
              title="Run it again: finished nodes above it are kept, training continues from its last checkpoint, then the nodes below it run"
              data-resume-node={n.id}
            >
              Resume
            </button>
            <button className="btn sm" onClick={() => void select(n.id).then(() => go('tree'))}>
              Open in tree
            </button>
            <button className="btn ghost sm" onClick={() => dismissStop(n)} title="Stop offering it: the node and its checkpoint stay in the tree" data-dismiss-stop={n.id}>
              Dismiss
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
