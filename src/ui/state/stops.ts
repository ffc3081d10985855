// The runs that stopped before finishing, as the Live screen and the tree offer them for resuming: latest first,
// without those the user dismissed (a dismissal hides the offer, never the node or its data; the same node stopping
// again at another step is offered again).
import type { NodeRecord } from '../../core/lab/nodeRecord';
import { resumableNodes } from './recipes';

/** What a dismissal remembers: the node and where it stopped. */
export const stopKey = (n: NodeRecord): string => `${n.id}:${n.steps ?? 0}:${n.status}`;

export function stopOffers(nodes: Record<string, NodeRecord>, dismissed: readonly string[]): NodeRecord[] {
  const hidden = new Set(dismissed);
  return resumableNodes(nodes)
    .filter((n) => !hidden.has(stopKey(n)))
    .sort((a, b) => (b.startedAt ?? b.createdAt) - (a.startedAt ?? a.createdAt));
}

/** "stopped at step 12 of 40 (interrupted: …)" for an offer. */
export function stopText(n: NodeRecord): string {
  const where = n.steps && n.totalSteps ? `at step ${n.steps} of ${n.totalSteps}` : 'before its first checkpoint';
  const how = n.status === 'failed' ? 'failed' : n.error ? 'was interrupted' : 'was cancelled';
  return `${n.label} ${how} ${where}`;
}
