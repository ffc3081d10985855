// The tree's node index, derived from the run storage: every `nodes/<id>/state.json` record, upgraded to the current
// schema on read. There is no second copy to reconcile. A record left 'running' or 'queued' by a run that is not in
// progress any more (page closed, process killed) is shown as interrupted: running the tree again resumes it.
import { nodeKey, readState } from '../experiment/checkpoints';
import type { RunStorage } from '../experiment/storage';
import type { NodeRecord } from './nodeRecord';

export const INTERRUPTED_MESSAGE = 'interrupted (the page was closed or reloaded, or the process stopped): Resume continues it from its last checkpoint';

/** Ids of every node with a record. */
export async function nodeIds(storage: RunStorage): Promise<string[]> {
  const ids: string[] = [];
  for (const key of await storage.list('nodes/')) {
    const m = /^nodes\/([^/]+)\/state\.json$/.exec(key);
    if (m) ids.push(m[1]!);
  }
  return ids;
}

/** One node's record as the index shows it (see listNodeRecords); undefined when it has none. */
export async function nodeRecordOf(storage: RunStorage, id: string, active: ReadonlySet<string> = new Set()): Promise<NodeRecord | undefined> {
  let rec: NodeRecord | undefined;
  try {
    rec = await readState(storage, id);
  } catch (e) {
    const raw = await storage.getJson<Partial<NodeRecord>>(nodeKey(id, 'state.json')).catch(() => undefined);
    rec = {
      schemaVersion: 0,
      id,
      stage: raw?.stage ?? 'teacher',
      parent: raw?.parent ?? null,
      config: raw?.config ?? {},
      label: raw?.label ?? id,
      createdAt: raw?.createdAt ?? 0,
      status: 'failed',
      error: `its record cannot be read: ${(e as Error).message}`,
    };
  }
  if (rec && (rec.status === 'running' || rec.status === 'queued') && !active.has(id)) rec = { ...rec, status: 'cancelled', error: INTERRUPTED_MESSAGE };
  return rec;
}

/**
 * Every node record, oldest first. `active`: ids of the run in progress, whose 'running'/'queued' records are
 * current; any other such record was interrupted and is returned as 'cancelled' (the stored record is not changed).
 * A record that cannot be read is returned as a failed node naming the problem, so one bad record hides nothing else.
 */
export async function listNodeRecords(storage: RunStorage, active: ReadonlySet<string> = new Set()): Promise<NodeRecord[]> {
  const out: NodeRecord[] = [];
  for (const id of await nodeIds(storage)) {
    const rec = await nodeRecordOf(storage, id, active);
    if (rec) out.push(rec);
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
