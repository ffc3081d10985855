// The branch tree: every node record, the selected node and its detail, the compare selection, deleting, exporting.
import type { NodeDetail, NodeRecord } from '../../../../workers/labApi';
import { download } from '../../download';
import { fmtBytes } from '../../format';
import { missingCallText } from '../labExtras';
import { checkpointNodes } from '../plan';
import { stopKey } from '../stops';
import { errText, type Slice } from './types';

const DISMISSED_KEY = 'qglab.dismissedStops';

function savedDismissed(): string[] {
  try {
    const v = typeof localStorage !== 'undefined' ? localStorage.getItem(DISMISSED_KEY) : null;
    const list = v ? (JSON.parse(v) as unknown) : [];
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export interface TreeSlice {
  /** every node record, by id: replaced by 'record' events and by listNodes() */
  nodes: Record<string, NodeRecord>;
  selectedId: string | null;
  detail: NodeDetail | null;
  compareIds: string[];
  /** bytes the last "Drop resume checkpoints" freed (null: not done in this session) */
  freedBytes: number | null;
  dropBusy: boolean;
  /** stopped runs whose resume offer the user dismissed (stopKey), kept in this browser; their nodes stay */
  dismissedStops: string[];

  refreshNodes(): Promise<void>;
  select(id: string | null): Promise<void>;
  /** Reads the selected node's detail (loss history, evaluated questions) again. */
  refreshDetail(): Promise<void>;
  deleteBranch(id: string): Promise<void>;
  exportNode(id: string): Promise<{ fileName: string; bytes: number } | null>;
  toggleCompare(id: string): void;
  /** Hides this stopped node's resume offer (Live screen, tree); the node and its checkpoint stay. */
  dismissStop(node: NodeRecord): void;
  /** Drops the resume checkpoints (optimizer state) of every stopped node that has one (checkpointNodes); the
   *  nodes stay, a resume starts them over. Returns the bytes freed (null when nothing was done). */
  dropCheckpoints(): Promise<number | null>;
}

export const createTreeSlice: Slice<TreeSlice> = (deps) => (set, get) => ({
  nodes: {},
  selectedId: null,
  detail: null,
  compareIds: [],
  freedBytes: null,
  dropBusy: false,
  dismissedStops: savedDismissed(),

  async refreshNodes() {
    const list = await deps.lab().listNodes();
    const nodes: Record<string, NodeRecord> = {};
    for (const n of list) nodes[n.id] = n;
    set({ nodes });
    await get().refreshDetail();
  },

  async select(id) {
    set({ selectedId: id, detail: null });
    await get().refreshDetail();
  },

  async refreshDetail() {
    const id = get().selectedId;
    if (!id || !get().nodes[id]) return;
    const detail = await deps.lab().getNode(id);
    if (get().selectedId === id) set({ detail: detail ?? null });
  },

  async deleteBranch(id) {
    const removed = await deps.lab().deleteBranch(id);
    set((s) => ({
      selectedId: removed.includes(s.selectedId ?? '') ? null : s.selectedId,
      detail: removed.includes(s.selectedId ?? '') ? null : s.detail,
      compareIds: s.compareIds.filter((c) => !removed.includes(c)),
    }));
    await get().refreshNodes();
    void get().refreshStorage();
    get().toast(`Deleted ${removed.length} node${removed.length === 1 ? '' : 's'}`);
  },

  async exportNode(id) {
    try {
      const r = await deps.lab().exportNode(id);
      download(r.zip, r.fileName);
      return { fileName: r.fileName, bytes: r.zip.byteLength };
    } catch (e) {
      get().toast(`Export failed: ${errText(e)}`, 'bad');
      return null;
    }
  },

  async dropCheckpoints() {
    const run = get().run;
    if (run?.active || get().dropBusy) return null;
    const ids = checkpointNodes(get().nodes);
    if (!ids.length) return null;
    set({ dropBusy: true });
    try {
      const freed = await deps.lab().clearTrainStates(ids);
      set({ freedBytes: freed });
      get().toast(`Dropped the resume checkpoints of ${ids.length} node${ids.length === 1 ? '' : 's'}: ${fmtBytes(freed)} freed`);
      return freed;
    } catch (e) {
      get().toast(`Could not drop the checkpoints: ${missingCallText('clearTrainStates', e)}`, 'bad');
      return null;
    } finally {
      set({ dropBusy: false });
      await get().refreshNodes().catch(() => undefined);
      void get().refreshStorage();
    }
  },

  dismissStop(node) {
    const key = stopKey(node);
    // keys of nodes no longer in the tree are dropped as the list is written
    const kept = get().dismissedStops.filter((k) => k !== key && get().nodes[k.split(':').slice(0, -2).join(':')]);
    const dismissedStops = [...kept, key];
    set({ dismissedStops });
    try {
      if (typeof localStorage !== 'undefined') localStorage.setItem(DISMISSED_KEY, JSON.stringify(dismissedStops));
    } catch {
      /* not critical: the offer comes back after a reload */
    }
  },

  toggleCompare(id) {
    set((s) => ({ compareIds: s.compareIds.includes(id) ? s.compareIds.filter((x) => x !== id) : [...s.compareIds, id] }));
  },
});
