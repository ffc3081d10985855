import { useMemo, useState } from 'react';
import { fmtBytes, fmtInt, fmtMs, fmtNum, fmtParams, fmtScore, STAGE_NAMES } from '../format';
import { useLab } from '../state/store';
import { ConfigFields } from './ConfigFields';
import { LossChart } from './LossChart';
import { ValidationChart } from './ValidationChart';
import { FewQuestionsNote, genTimeText } from './EvalFacts';
import { SampleList } from './SampleList';
import { StatusPill } from './StatusPill';
import { METRICS } from './compareRows';
import { olderDefaultsText } from './TreeView';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import { nodeNames } from '../../core/lab/nodeNames';

/** How the node's evaluation scored: the references' normalisation and the prompts' context cut. */
export function evalSetupText(setup: NodeRecord['evalSetup']): string {
  // evaluations made before these settings were recorded used raw references and a window around the answer
  if (!setup) return 'raw references · long contexts cut to a window around the answer (evaluated before these settings were recorded)';
  const refs =
    setup.normalize === 'bert'
      ? `references through the tokenizer${setup.normalizedReferences ? ` (${fmtInt(setup.normalizedReferences)} changed)` : ''}`
      : 'raw references';
  const c = setup.contextCut;
  const how = c.mode === 'head' ? 'cut to their first tokens' : 'cut to a window around the answer';
  if (!('cut' in c)) return `${refs} · long contexts ${how}`;
  const lost = [c.answerDropped ? `${fmtInt(c.answerDropped)} lost the answer` : '', c.answerPartlyCut ? `${fmtInt(c.answerPartlyCut)} kept part of it` : '']
    .filter(Boolean)
    .join(', ');
  return `${refs} · ${fmtInt(c.cut)} of ${fmtInt(c.prompts)} contexts ${how}${lost ? ` (${lost})` : ''}`;
}

/** Details of the selected tree node: metrics, loss history, samples, and what can be done with it. */
export function NodePanel() {
  const id = useLab((s) => s.selectedId);
  const node = useLab((s) => (s.selectedId ? s.nodes[s.selectedId] : undefined));
  const detail = useLab((s) => s.detail);
  const running = useLab((s) => s.run?.active ?? false);
  const bytes = useLab((s) => (s.selectedId ? s.storage?.byNode?.[s.selectedId] : undefined));
  const parentLayers = useLab((s) => (node?.parent ? s.nodes[node.parent]?.model?.layers : undefined));
  // a node's name depends on its siblings (nodeNames makes them unique): subscribe to the tree, not just this node
  const nodes = useLab((s) => s.nodes);
  const names = useMemo(() => nodeNames(nodes), [nodes]);
  const { forkFromNode, deleteBranch, exportNode, go, resumeNode } = useLab.getState();
  const [confirm, setConfirm] = useState(false);
  if (!id || !node) {
    return (
      <div className="card">
        <div className="empty small">Click a node to see its metrics, loss history and generated questions.</div>
      </div>
    );
  }
  const loss = detail?.id === id ? detail.loss : [];
  const samples = detail?.id === id ? detail.evalSamples : [];
  const trainMs = node.trainMs ?? (node.startedAt && node.finishedAt ? node.finishedAt - node.startedAt : undefined);
  return (
    <div className="card" data-testid="node-panel" data-node-id={id}>
      <div className="card-head">
        <div>
          <div className="tiny muted">{STAGE_NAMES[node.stage]}</div>
          <h2>{names.get(node.id)?.full ?? node.label}</h2>
        </div>
        <StatusPill status={node.status} />
      </div>
      {node.error && <div className="callout bad">{node.error}</div>}
      {node.status === 'skipped' && !node.error && (
        <div className="callout warn">Not run: the node it starts from (or its teacher) failed. Resume that node to run this one too.</div>
      )}
      {node.olderDefaults?.length ? (
        <div className="callout warn" data-testid="older-defaults">
          <span className="badge-older">⚠ Older defaults</span> {olderDefaultsText(node.olderDefaults)}
        </div>
      ) : null}
      <div className="row">
        {(node.status === 'cancelled' || node.status === 'failed') && (
          <button
            className="btn primary sm"
            disabled={running}
            onClick={() => void resumeNode(id)}
            title="Run this node again: finished nodes above it are kept, training continues from its last checkpoint, then the nodes below it run"
            data-testid="resume"
          >
            Resume
          </button>
        )}
        <button className={`btn sm${node.status === 'done' ? ' primary' : ''}`} disabled={running} onClick={() => forkFromNode(id)} data-testid="fork">
          Fork from here
        </button>
        <button className="btn sm" disabled={node.status !== 'done'} onClick={() => void exportNode(id)}>
          Export zip
        </button>
        <button className="btn sm" onClick={() => go('compare')}>
          Compare
        </button>
        <span className="grow" />
        {confirm ? (
          <>
            <button className="btn danger sm" onClick={() => void deleteBranch(id).then(() => setConfirm(false))} disabled={running}>
              Delete branch
            </button>
            <button className="btn ghost sm" onClick={() => setConfirm(false)}>
              Keep
            </button>
          </>
        ) : (
          <button className="btn ghost sm" onClick={() => setConfirm(true)} disabled={running}>
            Delete…
          </button>
        )}
      </div>
      <div className="node-grid">
      <div className="stack">
      {node.scores ? (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                {METRICS.map((m) => (
                  <th key={m.key}>{m.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {METRICS.map((m) => (
                  <td key={m.key} className="num" data-metric={m.key}>
                    {fmtScore(node.scores![m.key])}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted small">Not evaluated{node.status === 'done' ? '' : ' yet'}.</p>
      )}
      <dl className="kv">
        <dt>Node id</dt>
        <dd className="mono">{node.id}</dd>
        <dt>Layers · hidden</dt>
        <dd>
          {node.model?.layers ?? '—'} · {node.model?.hiddenSize ?? '—'}
        </dd>
        <dt>Parameters</dt>
        <dd>{fmtParams(node.model?.parameters)}</dd>
        <dt>Generation</dt>
        <dd>
          {genTimeText(node) ? `${genTimeText(node)} / question` : '—'}
          {node.evalCount ? ` · scores over ${node.evalCount} test questions` : ''}
          <FewQuestionsNote nodes={[node]} />
        </dd>
        {node.scores && (
          <>
            <dt>Scoring</dt>
            <dd data-testid="eval-setup">{evalSetupText(node.evalSetup)}</dd>
          </>
        )}
        <dt>Training</dt>
        <dd>
          {node.steps ?? 0} steps · last loss {fmtNum(node.lastLoss)}
          {trainMs !== undefined ? ` · ${fmtMs(trainMs)}` : ''}
          {node.resumes ? ` · resumed ${node.resumes}×` : ''}
          {node.backend ? ` · ${node.backend}` : ''}
        </dd>
        <dt>Storage</dt>
        <dd data-testid="node-bytes" title="model, checkpoints, history and evaluation stored in this browser">
          {bytes !== undefined ? fmtBytes(bytes) : '—'}
        </dd>
        {node.teacher && (
          <>
            <dt>Teacher</dt>
            <dd className="mono">{node.teacher}</dd>
          </>
        )}
        <dt>Config</dt>
        <dd data-testid="node-config">
          <ConfigFields stage={node.stage} config={node.config} context={{ teacherLayers: parentLayers }} />
          <details className="raw-config">
            <summary>raw JSON</summary>
            <pre>{JSON.stringify(node.config, null, 2)}</pre>
          </details>
        </dd>
      </dl>
      </div>
      <div className="stack">
      {loss.length > 0 && (
        <>
          <h3>Loss history</h3>
          <LossChart points={loss} kind="total" height={190} nodeId={node.id} />
          {loss.some((p) => Object.keys(p.terms).some((k) => /\/\d+$/.test(k))) && (
            <>
              <h3>Per-layer terms</h3>
              <LossChart points={loss} kind="layers" height={190} toolbar={false} />
            </>
          )}
        </>
      )}
      <ValidationChart nodeId={id} />
      <h3>Generated questions</h3>
      <SampleList samples={samples} limit={4} />
      </div>
      </div>
    </div>
  );
}
