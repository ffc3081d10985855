import { fmtBytes } from '../format';
import { useLab } from '../state/store';

export function StorageMeter() {
  const st = useLab((s) => s.storage);
  if (!st) return null;
  const frac = st.quota ? (st.usage ?? 0) / st.quota : 0;
  return (
    <div className="backend" data-testid="storage">
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
            {fmtBytes(st.usage)} of {fmtBytes(st.quota)} quota{st.persisted ? ' · persistent' : ''}
          </div>
        </>
      ) : null}
    </div>
  );
}
