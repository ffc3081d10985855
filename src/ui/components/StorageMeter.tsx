import { useState } from 'react';
import { fmtBytes } from '../format';
import { checkpointNodes, persistenceText } from '../state/plan';
import { useLab } from '../state/store';

export function StorageMeter() {
  const st = useLab((s) => s.storage);
  const persistent = useLab((s) => s.persistent);
  const nodes = useLab((s) => s.nodes);
  const running = useLab((s) => s.run?.active ?? false);
  const freed = useLab((s) => s.freedBytes);
  const busy = useLab((s) => s.dropBusy);
  const dropCheckpoints = useLab((s) => s.dropCheckpoints);
  const [confirm, setConfirm] = useState(false);
  if (!st) return null;
  const frac = st.quota ? (st.usage ?? 0) / st.quota : 0;
  const withCheckpoints = checkpointNodes(nodes);
  const checkpointBytes = withCheckpoints.reduce((a, id) => a + (st.byNode?.[id] ?? 0), 0);
  const persistence = persistenceText(persistent ?? (st.persisted === undefined ? null : st.persisted));
  return (
    <div className="backend" data-testid="storage" data-persistent={persistent === null ? '' : String(persistent)}>
      <div className="backend-top">
        <span className="tiny muted">Saved in this browser</span>
        <span className="tiny num">{fmtBytes(st.labBytes)}</span>
      </div>
      {st.quota ? (
        <>
          <div className="meter" style={{ marginTop: 6 }}>
            <div style={{ width: `${Math.max(1, frac * 100)}%` }} />
          </div>
          <div className="tiny muted" style={{ marginTop: 4 }}>
            {fmtBytes(st.usage)} of {fmtBytes(st.quota)} quota
          </div>
        </>
      ) : null}
      {persistence && (
        <div className="tiny" style={{ marginTop: 4, color: persistent === false ? 'var(--warn)' : undefined }} data-testid="storage-persistence">
          {persistence}
        </div>
      )}
      {withCheckpoints.length > 0 &&
        (confirm ? (
          <div className="stack" style={{ marginTop: 6, gap: 4 }}>
            <span className="tiny">
              Drop the resume checkpoints of {withCheckpoints.length} stopped node{withCheckpoints.length === 1 ? '' : 's'}
              {checkpointBytes ? ` (their nodes hold ${fmtBytes(checkpointBytes)})` : ''}? A resume then starts them over.
            </span>
            <div className="row" style={{ gap: 4 }}>
              <button
                className="btn danger sm"
                disabled={busy || running}
                data-testid="drop-checkpoints-confirm"
                onClick={() => void dropCheckpoints().then(() => setConfirm(false))}
              >
                {busy ? 'Dropping…' : 'Drop'}
              </button>
              <button className="btn ghost sm" onClick={() => setConfirm(false)}>
                Keep
              </button>
            </div>
          </div>
        ) : (
          <button
            className="btn ghost sm"
            style={{ marginTop: 6 }}
            disabled={running}
            onClick={() => setConfirm(true)}
            title="Optimizer state kept so that a stopped node can continue where it stopped"
            data-testid="drop-checkpoints"
          >
            Drop resume checkpoints
          </button>
        ))}
      {freed !== null && (
        <div className="tiny muted" style={{ marginTop: 4 }} data-testid="freed-bytes">
          {fmtBytes(freed)} freed
        </div>
      )}
    </div>
  );
}
