import { useLab } from '../state/store';
import type { BackendChoice } from '../../../workers/labApi';

const NAMES: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** Which TF.js backend trains and why (the timed step when it decided), and why each other one was not used. */
export function BackendBadge() {
  const backend = useLab((s) => s.backend);
  const error = useLab((s) => s.backendError);
  const pref = useLab((s) => s.backendPref);
  const setPref = useLab((s) => s.setBackendPref);
  const running = useLab((s) => s.run?.active ?? false);
  return (
    <div className="backend" data-testid="backend" data-backend={backend?.backend ?? ''} data-init-ms={backend?.initMs ?? ''}>
      <div className="backend-top">
        <span className="tiny muted">Compute backend</span>
        <select
          className="input"
          style={{ height: 24, width: 'auto', fontSize: 11.5, padding: '0 4px' }}
          value={pref}
          disabled={running}
          aria-label="Backend preference"
          onChange={(e) => void setPref(e.target.value as BackendChoice)}
        >
          <option value="auto">auto</option>
          <option value="webgpu">webgpu</option>
          <option value="webgl">webgl</option>
          <option value="wasm">wasm</option>
          <option value="cpu">cpu</option>
        </select>
      </div>
      {error ? (
        <div className="pill bad" style={{ marginTop: 6 }}>No backend</div>
      ) : backend ? (
        <div style={{ marginTop: 6 }} className="row">
          <span className="backend-name" data-testid="backend-name" data-threads={backend.threads ?? ''}>
            {NAMES[backend.backend]}
            {backend.threads ? ` · ${backend.threads} thread${backend.threads === 1 ? '' : 's'}` : ''}
          </span>
          <span className="pill ok">in use</span>
        </div>
      ) : (
        <div style={{ marginTop: 6 }} className="pill running">Starting…</div>
      )}
      {backend?.why && (
        <p className="tiny" style={{ marginTop: 4 }} data-testid="backend-why" title={`${NAMES[backend.backend]} — ${backend.why}`}>
          {NAMES[backend.backend]} — {backend.why}
        </p>
      )}
      {error && <p className="tiny" style={{ color: 'var(--bad)', marginTop: 4 }}>{error}</p>}
      {backend && (backend.reasons.length > 0 || backend.notes.length > 0) && (
        <ul>
          {backend.reasons.map((r) => (
            <li key={r.backend} data-backend-reason={r.backend}>
              <b>{NAMES[r.backend]}</b> {r.usable && !r.reason.startsWith('not tried') ? 'works, not used' : 'not used'}: {r.reason}
            </li>
          ))}
          {backend.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
