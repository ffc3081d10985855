// The tree's best path: from the root teacher down to the compressed model (a node below a teacher: student,
// distill or self-train) with the highest avg_score, on a tie the one made first. A teacher usually scores highest,
// so a path to the best score overall would be the teacher's box alone; only when no compressed model has a score is
// the best teacher the path. The branch figure highlights it, edges and boxes.
import type { NodeRecord } from './nodeRecord';

export interface BestPath {
  /** the highest-scoring node (undefined when no node has a finite avg_score) */
  bestId?: string;
  /** the ids from the best node up to its root, the best node included */
  ids: Set<string>;
}

export function bestPath(nodes: Readonly<Record<string, NodeRecord>>): BestPath {
  const all = Object.values(nodes);
  const compressed = all.filter((n) => n.stage !== 'teacher');
  const best = bestScored(compressed) ?? bestScored(all);
  const ids = new Set<string>();
  for (let cur = best; cur && !ids.has(cur.id); cur = cur.parent !== null ? nodes[cur.parent] : undefined) ids.add(cur.id);
  return { ...(best ? { bestId: best.id } : {}), ids };
}

function bestScored(list: readonly NodeRecord[]): NodeRecord | undefined {
  let best: NodeRecord | undefined;
  for (const n of list) {
    const s = n.scores?.avg_score;
    if (s === undefined || !Number.isFinite(s)) continue;
    const b = best?.scores?.avg_score ?? -Infinity;
    if (!best || s > b || (s === b && (n.createdAt < best.createdAt || (n.createdAt === best.createdAt && n.id < best.id)))) best = n;
  }
  return best;
}
