// A NodeRecord for UI tests: the fields every record has, with `over` on top.
import type { NodeRecord } from '../../../core/lab/nodeRecord';

export const testRecord = (id: string, over: Partial<NodeRecord> = {}): NodeRecord => ({
  schemaVersion: 2,
  id,
  stage: 'teacher',
  parent: null,
  config: {},
  label: id,
  createdAt: 0,
  status: 'queued',
  ...over,
});
