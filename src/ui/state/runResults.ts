// The scores of a run's nodes once it ended (the Live screen's results card): each evaluated node of the run, in the
// run's order, with every figure also as % of its tree's teacher as the Compare screen computes it (compareRows).
import type { NodeRecord } from '../../core/lab/nodeRecord';
import { compareRows, rootOf, type CompareRow } from '../components/compareRows';

export interface RunResultRow extends CompareRow {
  /** the teacher the % columns refer to (the node's tree root, when it is an evaluated teacher) */
  referenceId?: string;
}

/** Rows for the run's evaluated nodes, in `nodeIds` order; nodes without scores are left out. */
export function runResults(nodeIds: readonly string[], nodes: Readonly<Record<string, NodeRecord>>): RunResultRow[] {
  const out: RunResultRow[] = [];
  for (const id of nodeIds) {
    const n = nodes[id];
    if (!n?.scores) continue;
    const root = rootOf(id, nodes as Record<string, NodeRecord>);
    const ref = root && root.stage === 'teacher' && root.scores ? root : undefined;
    const subset: Record<string, NodeRecord> = { [id]: n, ...(ref ? { [ref.id]: ref } : {}) };
    const row = compareRows(subset, ref?.id).find((r) => r.node.id === id);
    if (row) out.push({ ...row, ...(ref ? { referenceId: ref.id } : {}) });
  }
  return out;
}
