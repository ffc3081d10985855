import { useMemo } from 'react';
import type { NodeRecord, NodeStatus } from '../../core/lab/nodeRecord';
import { fmtBytes, fmtScore, scoreColor, STAGE_NAMES } from '../format';

interface Props {
  nodes: Record<string, NodeRecord>;
  selectedId: string | null;
  onSelect(id: string): void;
  /** bytes stored per node id (StorageUsage.byNode) */
  byNode?: Record<string, number>;
}

const STATUS_COLOR: Record<NodeStatus, string> = {
  done: '#23854a',
  running: '#2f6fd6',
  failed: '#c8372d',
  cancelled: '#b26a00',
  queued: '#8a94a3',
  skipped: '#c3cad3',
};

/** What the warning badge of a node made under older defaults says. */
export function olderDefaultsText(fields: string[]): string {
  return `Made under older defaults (${fields.join(', ')}): today's defaults would train it differently. Delete it to train it again.`;
}

const W = 184;
const H = 62;
const GX = 56;
const GY = 18;
const PAD = 16;

interface Placed {
  node: NodeRecord;
  x: number;
  y: number;
}

/** Ids on the path from a root to the best-scoring node. */
export function bestPath(nodes: Record<string, NodeRecord>): Set<string> {
  let best: NodeRecord | undefined;
  for (const n of Object.values(nodes)) {
    if (n.scores && (!best || n.scores.avg_score > (best.scores?.avg_score ?? -Infinity))) best = n;
  }
  const out = new Set<string>();
  let cur = best;
  while (cur && !out.has(cur.id)) {
    out.add(cur.id);
    cur = cur.parent ? nodes[cur.parent] : undefined;
  }
  return out;
}

function layout(nodes: Record<string, NodeRecord>): { placed: Placed[]; width: number; height: number } {
  const kids = new Map<string | null, NodeRecord[]>();
  for (const n of Object.values(nodes)) {
    const p = n.parent && nodes[n.parent] ? n.parent : null;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p)!.push(n);
  }
  for (const list of kids.values()) list.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const placed: Placed[] = [];
  let row = 0;
  let maxDepth = 0;
  const visit = (n: NodeRecord, depth: number, seen: Set<string>): number => {
    if (seen.has(n.id)) return row;
    seen.add(n.id);
    maxDepth = Math.max(maxDepth, depth);
    const children = kids.get(n.id) ?? [];
    let r: number;
    if (!children.length) r = row++;
    else {
      const rows = children.map((c) => visit(c, depth + 1, seen));
      r = (rows[0] + rows[rows.length - 1]) / 2;
    }
    placed.push({ node: n, x: PAD + depth * (W + GX), y: PAD + r * (H + GY) });
    return r;
  };
  const seen = new Set<string>();
  for (const root of kids.get(null) ?? []) visit(root, 0, seen);
  return { placed, width: PAD * 2 + (maxDepth + 1) * (W + GX) - GX, height: PAD * 2 + Math.max(1, row) * (H + GY) - GY };
}

/** The branch tree: one box per checkpoint, coloured by avg_score, best path highlighted. */
export function TreeView({ nodes, selectedId, onSelect, byNode }: Props) {
  const { placed, width, height } = useMemo(() => layout(nodes), [nodes]);
  const best = useMemo(() => bestPath(nodes), [nodes]);
  const scores = Object.values(nodes).flatMap((n) => (n.scores ? [n.scores.avg_score] : []));
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  const pos = new Map(placed.map((p) => [p.node.id, p]));
  if (!placed.length) return <div className="empty">No runs yet. Start one from the Wizard.</div>;
  return (
    <div className="tree-wrap">
      <svg width={width} height={height} role="tree" aria-label="Branch tree of runs" data-testid="tree">
        {placed.map(({ node, x, y }) => {
          const p = node.parent ? pos.get(node.parent) : undefined;
          if (!p) return null;
          const onBest = best.has(node.id) && best.has(p.node.id);
          const x1 = p.x + W;
          const y1 = p.y + H / 2;
          const x2 = x;
          const y2 = y + H / 2;
          const mx = (x1 + x2) / 2;
          return (
            <path
              key={`e-${node.id}`}
              d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`}
              fill="none"
              stroke={onBest ? '#3a5bd9' : '#c3cad3'}
              strokeWidth={onBest ? 3 : 1.5}
            />
          );
        })}
        {placed.map(({ node, x, y }) => {
          const c = scoreColor(node.scores?.avg_score, min, max);
          const sel = node.id === selectedId;
          const onBest = best.has(node.id);
          const statusColor =
            STATUS_COLOR[node.status];
          return (
            <g
              key={node.id}
              className="tree-node"
              transform={`translate(${x},${y})`}
              onClick={() => onSelect(node.id)}
              role="treeitem"
              aria-selected={sel}
              data-node-id={node.id}
              data-stage={node.stage}
              data-status={node.status}
              data-score={node.scores ? node.scores.avg_score : ''}
              data-steps={node.steps ?? ''}
              data-total-steps={node.totalSteps ?? ''}
              data-finished-at={node.finishedAt ?? ''}
              data-bytes={byNode?.[node.id] ?? ''}
            >
              <rect
                width={W}
                height={H}
                rx={9}
                fill={node.scores ? c.fill : '#ffffff'}
                stroke={sel ? '#1d2530' : onBest ? '#3a5bd9' : c.stroke}
                strokeWidth={sel ? 2.5 : onBest ? 2 : 1}
              />
              <circle cx={W - 12} cy={12} r={4.5} fill={statusColor}>
                {node.status === 'running' && <animate attributeName="opacity" values="1;0.3;1" dur="1.2s" repeatCount="indefinite" />}
              </circle>
              <text x={10} y={17} fontSize={10.5} fill="#4a5563" fontWeight={600} letterSpacing="0.02em">
                {STAGE_NAMES[node.stage].toUpperCase()}
              </text>
              {node.olderDefaults?.length ? (
                <text x={W - 24} y={16} fontSize={12} fill="#b26a00" textAnchor="end" data-older-defaults={node.olderDefaults.join(',')}>
                  ⚠<title>{olderDefaultsText(node.olderDefaults)}</title>
                </text>
              ) : null}
              <text x={10} y={35} fontSize={12.5} fill="#1d2530" fontWeight={600}>
                {truncate(node.label, 24)}
              </text>
              <text x={10} y={52} fontSize={11} fill="#4a5563">
                {node.scores ? (
                  <>
                    avg <tspan fontWeight={700} fill="#1d2530">{fmtScore(node.scores.avg_score)}</tspan>
                    {node.model ? `  ·  ${node.model.layers} layer${node.model.layers === 1 ? '' : 's'}` : ''}
                  </>
                ) : node.status === 'running' ? (
                  node.totalSteps ? `step ${node.steps ?? 0}/${node.totalSteps}` : 'running…'
                ) : node.status === 'failed' ? (
                  'failed'
                ) : node.status === 'skipped' ? (
                  'skipped: parent failed'
                ) : node.status === 'done' ? (
                  'not evaluated'
                ) : (
                  node.status
                )}
              </text>
              {byNode?.[node.id] ? (
                <text x={W - 10} y={52} fontSize={10} fill="#7a8594" textAnchor="end" data-node-bytes>
                  {fmtBytes(byNode[node.id])}
                  <title>stored in this browser: model, checkpoints, history, evaluation</title>
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
