import { useMemo } from 'react';
import { bestPath } from '../../core/lab/bestPath';
import { branchChanges } from '../../core/lab/branchChanges';
import type { NodeRecord, NodeStatus } from '../../core/lab/nodeRecord';
import { nodeNames } from '../../core/lab/nodeNames';
import { fmtBytes, fmtScore, scoreColor, STAGE_NAMES } from '../format';
import { pctOfTeacher, rootOf } from './compareRows';

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

const W = 204;
const H = 86;
/** the gap between columns holds the edge labels */
const GX = 136;
const GY = 20;
const PAD = 16;
const EDGE_FONT = 10.5;
/** characters of an edge label's line that fit the gap (about 5.7 px a character at 10.5 px) */
const EDGE_CHARS = Math.floor((GX - 14) / 5.7);
const BEST = '#3a5bd9';

interface Placed {
  node: NodeRecord;
  x: number;
  y: number;
}

/**
 * An edge label's items packed into at most `maxLines` lines of `maxChars` (items joined with " · "). When they do
 * not all fit, the last line ends with " …" after the whole items that fit (a value is never cut in two); an item
 * longer than a line is cut with "…". The edge's tooltip has every item.
 */
export function packEdgeLabel(items: readonly string[], maxChars = EDGE_CHARS, maxLines = 2): { lines: string[]; cut: boolean } {
  const lines: string[][] = [];
  const text = (l: string[]) => l.join(' · ');
  let placed = 0;
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last && text([...last, item]).length <= maxChars) last.push(item);
    else if (lines.length < maxLines) lines.push([item]);
    else break;
    placed++;
  }
  const out = lines.map((l) => (l.length === 1 ? truncate(l[0]!, maxChars) : text(l)));
  const truncated = lines.some((l) => l.length === 1 && l[0]!.length > maxChars);
  if (placed < items.length && lines.length) {
    const last = lines[lines.length - 1]!;
    while (last.length > 1 && `${text(last)} …`.length > maxChars) last.pop();
    out[out.length - 1] = `${text(last).slice(0, maxChars - 2).trimEnd()} …`;
  }
  return { lines: out, cut: placed < items.length || truncated };
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

/** "87.5 % of teacher" (one decimal). */
export const fmtPctOfTeacher = (v: number) => `${v.toFixed(1)} % of teacher`;

/**
 * The branch tree: one box per checkpoint, coloured by avg_score, with its unique name, its score and the score as %
 * of its teacher's; each edge says what its branch changed; the best path is drawn in blue.
 */
export function TreeView({ nodes, selectedId, onSelect, byNode }: Props) {
  const { placed, width, height } = useMemo(() => layout(nodes), [nodes]);
  const best = useMemo(() => bestPath(nodes), [nodes]);
  const changes = useMemo(() => branchChanges(nodes), [nodes]);
  const names = useMemo(() => nodeNames(nodes, changes), [nodes, changes]);
  const scores = Object.values(nodes).flatMap((n) => (n.scores ? [n.scores.avg_score] : []));
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  const pos = new Map(placed.map((p) => [p.node.id, p]));
  if (!placed.length) return <div className="empty">No runs yet. Start one from the Wizard.</div>;
  const edges = placed.flatMap(({ node, x, y }) => {
    const p = node.parent ? pos.get(node.parent) : undefined;
    return p ? [{ node, parent: p, onBest: best.ids.has(node.id) && best.ids.has(p.node.id), x1: p.x + W, y1: p.y + H / 2, x2: x, y2: y + H / 2 }] : [];
  });
  return (
    <div className="tree-wrap">
      <svg width={width} height={height} role="tree" aria-label="Branch tree of runs" data-testid="tree" data-best-node={best.bestId ?? ''}>
        {/* the best path last among the edges, so it is drawn over the others */}
        {[...edges.filter((e) => !e.onBest), ...edges.filter((e) => e.onBest)].map(({ node, onBest, x1, y1, x2, y2 }) => {
          const mx = (x1 + x2) / 2;
          return (
            <path
              key={`e-${node.id}`}
              d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`}
              fill="none"
              stroke={onBest ? BEST : '#c3cad3'}
              strokeWidth={onBest ? 3 : 1.5}
              data-edge-to={node.id}
              data-best-path={onBest ? 'yes' : 'no'}
            />
          );
        })}
        {edges.map(({ node, onBest, y1, x2, y2 }) => {
          const c = changes.get(node.id);
          if (!c?.items.length) return null;
          const { lines } = packEdgeLabel(c.items);
          // on the side of the edge away from where it comes from, so the curve does not cross the words
          const below = y1 < y2;
          const ys = lines.map((_, i) => (below ? y2 + 14 + i * 12 : y2 - 6 - (lines.length - 1 - i) * 12));
          const text = c.items.join(' · ');
          return (
            <g key={`l-${node.id}`} data-edge-label={text} data-edge-to={node.id} data-edge-kind={c.kind}>
              <title>{`${c.kind === 'fork' ? 'What this branch changed against its siblings' : 'This step'}: ${text}`}</title>
              {lines.map((l, i) => (
                <text
                  key={i}
                  x={x2 - 8}
                  y={ys[i]}
                  textAnchor="end"
                  fontSize={EDGE_FONT}
                  fill={onBest ? BEST : c.kind === 'fork' ? '#1d2530' : '#5d6b7d'}
                  fontWeight={c.kind === 'fork' ? 600 : 400}
                  stroke="#ffffff"
                  strokeWidth={3}
                  strokeOpacity={0.85}
                  paintOrder="stroke"
                >
                  {l}
                </text>
              ))}
            </g>
          );
        })}
        {placed.map(({ node, x, y }) => {
          const c = scoreColor(node.scores?.avg_score, min, max);
          const sel = node.id === selectedId;
          const onBest = best.ids.has(node.id);
          const isBest = node.id === best.bestId;
          const statusColor = STATUS_COLOR[node.status];
          const name = names.get(node.id);
          const pct = pctOfTeacher(node.id, nodes);
          return (
            <g
              key={node.id}
              className="tree-node"
              transform={`translate(${x},${y})`}
              onClick={() => onSelect(node.id)}
              role="treeitem"
              aria-selected={sel}
              aria-label={name?.full ?? node.label}
              data-node-id={node.id}
              data-name={name?.full ?? node.label}
              data-stage={node.stage}
              data-status={node.status}
              data-score={node.scores ? node.scores.avg_score : ''}
              data-pct-of-teacher={pct !== undefined ? pct.toFixed(4) : ''}
              data-best-path={onBest ? 'yes' : 'no'}
              data-steps={node.steps ?? ''}
              data-total-steps={node.totalSteps ?? ''}
              data-finished-at={node.finishedAt ?? ''}
              data-bytes={byNode?.[node.id] ?? ''}
            >
              <title>{name?.full ?? node.label}</title>
              <rect
                width={W}
                height={H}
                rx={9}
                fill={node.scores ? c.fill : '#ffffff'}
                stroke={sel ? '#1d2530' : onBest ? BEST : c.stroke}
                strokeWidth={sel ? 2.5 : onBest ? 2.5 : 1}
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
              <text x={10} y={34} fontSize={12.5} fill="#1d2530" fontWeight={600}>
                {truncate(name?.head ?? node.label, 27)}
              </text>
              {name?.qualifier ? (
                <text x={10} y={48} fontSize={10.5} fill="#4a5563" fontStyle="italic" data-node-qualifier>
                  {truncate(name.qualifier, 34)}
                </text>
              ) : null}
              <text x={10} y={65} fontSize={11} fill="#4a5563">
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
              {pct !== undefined ? (
                <text x={10} y={79} fontSize={10.5} fill={pct >= 100 ? '#23854a' : '#4a5563'} data-node-pct>
                  {fmtPctOfTeacher(pct)}
                  <title>{`avg_score as a percentage of its teacher's (${names.get(rootOf(node.id, nodes)?.id ?? '')?.full ?? 'its root'})`}</title>
                </text>
              ) : node.stage === 'teacher' && node.scores ? (
                <text x={10} y={79} fontSize={10.5} fill="#7a8594">
                  the reference (100 %)
                </text>
              ) : null}
              {isBest ? (
                <text x={W - 10} y={79} fontSize={10.5} fill={BEST} fontWeight={700} textAnchor="end" data-best-node>
                  ★ best
                  <title>the best path ends here: the highest avg_score of the compressed models</title>
                </text>
              ) : null}
              {byNode?.[node.id] ? (
                <text x={W - 10} y={65} fontSize={10} fill="#7a8594" textAnchor="end" data-node-bytes>
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
