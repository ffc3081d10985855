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

// Sized so a tree four stages deep (teacher → student → distill → self-train) fits the card at 1440 px.
const W = 180;
const H = 100;
/** the gap between columns holds the edge labels */
const GX = 104;
const GY = 18;
const PAD = 12;
const EDGE_FONT = 10.5;
/** characters of a line that fit (measured in Chromium: about 6.3 px a character at 10.5 px semi-bold, 6.2 at 12.5 px bold, 5.4 at 10.5 px) */
const EDGE_CHARS = Math.floor((GX - 14) / 6.3);
const HEAD_CHARS = Math.floor((W - 18) / 6.2);
const QUALIFIER_CHARS = Math.floor((W - 18) / 5.4);
const BEST = '#3a5bd9';

interface Placed {
  node: NodeRecord;
  x: number;
  y: number;
}

/**
 * `line` ending in " …" within `maxChars`, by dropping whole items (" · ") and then words: a value is not cut in
 * two unless it is alone.
 */
function withEllipsis(line: string, maxChars: number): string {
  if (line.endsWith('…')) return line;
  let l = line;
  while (`${l} …`.length > maxChars) {
    const item = l.lastIndexOf(' · ');
    const i = item > 0 ? item : l.lastIndexOf(' ');
    if (i <= 0) {
      l = l.slice(0, Math.max(1, maxChars - 2));
      break;
    }
    l = l.slice(0, i).replace(/ ·$/, '');
  }
  return `${l} …`;
}

/**
 * `text` in at most `maxLines` lines of `maxChars`, broken between words (a word longer than a line is cut with
 * "…"); what does not fit ends the last line with "…".
 */
export function wrapWords(text: string, maxChars: number, maxLines: number): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  let cut = false;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= maxChars) lines[lines.length - 1] = `${last} ${word}`;
    else if (lines.length < maxLines) {
      lines.push(truncate(word, maxChars));
      cut ||= word.length > maxChars;
    } else {
      cut = true;
      lines[lines.length - 1] = withEllipsis(lines[lines.length - 1]!, maxChars);
      break;
    }
  }
  return { lines, cut };
}

/**
 * Items (an edge label's settings, the parts of a name) in at most `maxLines` lines of `maxChars`, joined with " · "
 * where they fit on a line, a line break between items otherwise, and an item longer than a line broken between its
 * words. When they do not all fit, the last line ends with " …" (the tooltip has all).
 */
export function packLines(items: readonly string[], maxChars = EDGE_CHARS, maxLines = 3): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  let cut = false;
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} · ${item}`.length <= maxChars) {
      lines[lines.length - 1] = `${last} · ${item}`;
      continue;
    }
    const room = maxLines - lines.length;
    const w = room > 0 ? wrapWords(item, maxChars, room) : { lines: [], cut: true };
    lines.push(...w.lines);
    if (w.cut) {
      cut = true;
      break;
    }
  }
  if (cut && lines.length && !lines[lines.length - 1]!.endsWith('…')) lines[lines.length - 1] = withEllipsis(lines[lines.length - 1]!, maxChars);
  return { lines, cut };
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
          const { lines } = packLines(c.items);
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
              {boxLines(name?.head ?? node.label, name?.qualifier ?? '').map((l, i) => (
                <text
                  key={i}
                  x={10}
                  y={l.y}
                  fontSize={l.qualifier ? 10.5 : 12.5}
                  fill={l.qualifier ? '#4a5563' : '#1d2530'}
                  fontWeight={l.qualifier ? 400 : 600}
                  fontStyle={l.qualifier ? 'italic' : undefined}
                  {...(l.qualifier ? { 'data-node-qualifier': '' } : {})}
                >
                  {l.text}
                </text>
              ))}
              <text x={10} y={H - 22} fontSize={11} fill="#4a5563">
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
                <text x={10} y={H - 8} fontSize={10.5} fill={pct >= 100 ? '#23854a' : '#4a5563'} data-node-pct>
                  {fmtPctOfTeacher(pct)}
                  <title>{`avg_score as a percentage of its teacher's (${names.get(rootOf(node.id, nodes)?.id ?? '')?.full ?? 'its root'})`}</title>
                </text>
              ) : node.stage === 'teacher' && node.scores ? (
                <text x={10} y={H - 8} fontSize={10.5} fill="#7a8594">
                  the reference (100 %)
                </text>
              ) : null}
              {isBest ? (
                <text x={W - 10} y={H - 8} fontSize={10.5} fill={BEST} fontWeight={700} textAnchor="end" data-best-node>
                  ★ best
                  <title>the best path ends here: the highest avg_score of the compressed models</title>
                </text>
              ) : null}
              {byNode?.[node.id] ? (
                <text x={W - 10} y={H - 22} fontSize={10} fill="#7a8594" textAnchor="end" data-node-bytes>
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

/**
 * The name block of a box: the head in up to two lines, the qualifier ("after …", "#2") in what is left of three
 * (at least one), each with its baseline.
 */
export function boxLines(head: string, qualifier: string): { text: string; y: number; qualifier: boolean }[] {
  const h = packLines(head.split(' · '), HEAD_CHARS, qualifier ? 2 : 3).lines;
  const q = qualifier ? packLines(qualifier.split(' · '), QUALIFIER_CHARS, Math.max(1, 3 - h.length)).lines : [];
  const out: { text: string; y: number; qualifier: boolean }[] = [];
  let y = 34;
  for (const text of h) {
    out.push({ text, y, qualifier: false });
    y += 14.5;
  }
  for (const text of q) {
    out.push({ text, y: y - 1, qualifier: true });
    y += 12.5;
  }
  return out;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
