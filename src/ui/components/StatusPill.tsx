import type { NodeStatus } from '../../core/lab/nodeRecord';

const LABEL: Record<NodeStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

/** A node's status as its record says (a running node shows "Running"; 'skipped': its parent or teacher failed). */
export function StatusPill({ status }: { status: NodeStatus }) {
  return (
    <span className={`pill ${status}`} data-status={status} title={status === 'skipped' ? 'not run: the node it starts from (or its teacher) failed' : undefined}>
      {LABEL[status]}
    </span>
  );
}
