import { useMemo, useState } from 'react';
import { nodeNames } from '../../core/lab/nodeNames';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusPill } from '../components/StatusPill';
import { fmtBytes, fmtParams, fmtScore, STAGE_NAMES } from '../format';
import { useLab } from '../state/store';

export function ExportScreen() {
  const nodes = useLab((s) => s.nodes);
  const storage = useLab((s) => s.storage);
  const { exportNode } = useLab.getState();
  const [last, setLast] = useState<{ id: string; fileName: string; bytes: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const list = Object.values(nodes).sort((a, b) => a.createdAt - b.createdAt);
  const names = useMemo(() => nodeNames(nodes), [nodes]);
  return (
    <div className="screen">
      <ScreenHeader
        title="Export"
        lead="Download any trained node as a Hugging Face folder (config.json, model.safetensors, vocab.txt) in a zip — it loads with BertForMaskedLM.from_pretrained."
      />
      {last && (
        <div className="callout ok" data-testid="export-done">
          Saved <b>{last.fileName}</b> ({fmtBytes(last.bytes)}).
        </div>
      )}
      <div className="card">
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>Node</th>
                <th style={{ textAlign: 'left' }}>Stage</th>
                <th>Layers</th>
                <th>Parameters</th>
                <th>avg_score</th>
                <th style={{ textAlign: 'left' }}>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((n) => (
                <tr key={n.id} data-node-id={n.id}>
                  <td>
                    <div style={{ fontWeight: 600 }} data-node-name>
                      {names.get(n.id)?.full ?? n.label}
                    </div>
                    <div className="tiny muted mono">{n.id}</div>
                  </td>
                  <td style={{ textAlign: 'left' }}>{STAGE_NAMES[n.stage]}</td>
                  <td className="num">{n.model?.layers ?? '—'}</td>
                  <td className="num">{fmtParams(n.model?.parameters)}</td>
                  <td className="num">{fmtScore(n.scores?.avg_score)}</td>
                  <td style={{ textAlign: 'left' }}>
                    <StatusPill status={n.status} />
                  </td>
                  <td>
                    <button
                      className="btn sm"
                      disabled={n.status !== 'done' || busy !== null}
                      data-export={n.id}
                      onClick={async () => {
                        setBusy(n.id);
                        const r = await exportNode(n.id);
                        setBusy(null);
                        if (r) setLast({ id: n.id, ...r });
                      }}
                    >
                      {busy === n.id ? 'Zipping…' : 'Download zip'}
                    </button>
                  </td>
                </tr>
              ))}
              {!list.length && (
                <tr>
                  <td colSpan={7}>
                    <div className="empty">No trained nodes yet.</div>
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
      {storage && (
        <div className="card">
          <h2>Browser storage</h2>
          <p className="small">
            The lab keeps {fmtBytes(storage.labBytes)} in IndexedDB
            {Object.keys(storage.byArea).length ? ` (${Object.entries(storage.byArea).map(([k, v]) => `${k}: ${fmtBytes(v)}`).join(', ')})` : ''}.
            {storage.quota ? ` This origin uses ${fmtBytes(storage.usage)} of a ${fmtBytes(storage.quota)} quota.` : ''} Delete branches in the Branch tree to
            free space.
          </p>
        </div>
      )}
    </div>
  );
}
