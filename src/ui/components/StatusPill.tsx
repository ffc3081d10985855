import type { NodeStatus } from '../../../workers/labApi';

const LABEL: Record<NodeStatus, string> = { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

export function StatusPill({ status }: { status: NodeStatus }) {
  return <span className={`pill ${status}`} data-status={status}>{LABEL[status]}</span>;
}
