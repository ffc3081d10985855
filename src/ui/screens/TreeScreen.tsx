import { useMemo } from 'react';
import { bestPath } from '../../core/lab/bestPath';
import { nodeNames } from '../../core/lab/nodeNames';
import { pctOfTeacher } from '../components/compareRows';
import { NodePanel } from '../components/NodePanel';
import { ScreenHeader } from '../components/ScreenHeader';
import { fmtPctOfTeacher, TreeView } from '../components/TreeView';
import { fmtScore } from '../format';
import { stopOffers } from '../state/stops';
import { useLab } from '../state/store';

export function TreeScreen() {
  const nodes = useLab((s) => s.nodes);
  const selectedId = useLab((s) => s.selectedId);
  const select = useLab((s) => s.select);
  const running = useLab((s) => s.run?.active ?? false);
  const resumeNode = useLab((s) => s.resumeNode);
  const dismissed = useLab((s) => s.dismissedStops);
  const dismissStop = useLab((s) => s.dismissStop);
  const byNode = useLab((s) => s.storage?.byNode);
  const count = Object.keys(nodes).length;
  const stopped = running ? [] : stopOffers(nodes, dismissed);
  const names = useMemo(() => nodeNames(nodes), [nodes]);
  const best = useMemo(() => bestPath(nodes), [nodes]);
  const bestNode = best.bestId ? nodes[best.bestId] : undefined;
  const bestPct = best.bestId ? pctOfTeacher(best.bestId, nodes) : undefined;
  return (
    <div className="screen">
      <ScreenHeader
        title="Branch tree"
        lead="Every node is a saved checkpoint with its score. Fork any node to try other settings from that point; the best path is drawn in blue."
      />
      <div className="stack">
        {stopped.length > 0 && (
          <div className="callout info" data-testid="interrupted">
            <div>
              <strong>
                {stopped.length === 1 ? 'A run stopped before it finished.' : `${stopped.length} runs stopped before they finished.`}
              </strong>{' '}
              Resume keeps the finished nodes and continues training from the last checkpoint.
              <div className="row" style={{ marginTop: 8, gap: 8 }}>
                {stopped.map((n) => (
                  <span key={n.id} className="row" style={{ gap: 4 }}>
                    <button className="btn primary sm" onClick={() => void resumeNode(n.id)} data-resume-node={n.id}>
                      Resume {names.get(n.id)?.full ?? n.label}
                      {n.steps && n.totalSteps ? ` (step ${n.steps} of ${n.totalSteps})` : ''}
                    </button>
                    <button
                      className="btn ghost sm"
                      onClick={() => dismissStop(n)}
                      title="Stop offering to resume it: the node and its checkpoint stay in the tree (Delete… in its panel removes them)"
                      data-dismiss-stop={n.id}
                    >
                      Dismiss
                    </button>
                  </span>
                ))}
              </div>
            </div>
          </div>
        )}
        <div className="card">
          <div className="card-head">
            <h2>
              {count} node{count === 1 ? '' : 's'}
            </h2>
            <div className="legend">
              avg_score low <span className="bar" /> high
              {bestNode && (
                <>
                  {' '}
                  ·{' '}
                  <svg width={24} height={8} aria-hidden="true">
                    <line x1={1} y1={4} x2={23} y2={4} stroke="#3a5bd9" strokeWidth={3} strokeLinecap="round" />
                  </svg>{' '}
                  best path to <span style={{ color: '#3a5bd9', fontWeight: 700 }}>★ best</span>
                </>
              )}
            </div>
          </div>
          <TreeView nodes={nodes} selectedId={selectedId} onSelect={(id) => void select(id)} byNode={byNode} />
          {count > 0 && (
            <p className="tiny muted" data-testid="tree-key" style={{ marginTop: 8, marginBottom: 0 }}>
              {bestNode ? (
                <span data-testid="best-path-key" data-best-node={bestNode.id}>
                  <b style={{ color: '#3a5bd9' }}>Blue: the best path</b>, from the teacher to ★ <b>{names.get(bestNode.id)?.full ?? bestNode.label}</b>
                  {bestNode.stage === 'teacher'
                    ? `, the best-scoring teacher (no compressed model has a score yet): avg ${fmtScore(bestNode.scores?.avg_score)}`
                    : `, the compressed model with the highest avg_score: ${fmtScore(bestNode.scores?.avg_score)}${bestPct !== undefined ? `, ${fmtPctOfTeacher(bestPct)}` : ''}`}
                  .{' '}
                </span>
              ) : (
                'No node has a score yet, so there is no best path. '
              )}
              The words on an edge say what that branch changed: against its siblings of the same stage where it has
              any (a fork), else the step's key settings. “% of teacher” is a node's avg_score as a percentage of its
              tree's teacher's.
            </p>
          )}
        </div>
        <NodePanel />
      </div>
    </div>
  );
}
