// The session: which screen shows, the compute backend, browser storage use, toasts, and booting from the saved lab.
import type { BackendChoice, BackendInfo, BackendTiming, NodeRecord, StorageUsage } from '../../../../workers/labApi';
import { WORKER_DIED_MESSAGE } from '../plan';
import { presetDraft } from '../recipes';
import { throttle } from '../throttle';
import { errText, type Slice } from './types';

/** The storage meter is read again at most this often while a run writes checkpoints. */
export const STORAGE_REFRESH_MS = 2000;

export type Screen = 'data' | 'model' | 'wizard' | 'live' | 'tree' | 'compare' | 'playground' | 'export';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'bad';
}

export interface SessionSlice {
  screen: Screen;
  booted: boolean;
  backend: BackendInfo | null;
  backendPref: BackendChoice;
  backendError: string | null;
  storage: StorageUsage | null;
  /** the browser's answer to navigator.storage.persist() at boot (null: not asked or not supported) */
  persistent: boolean | null;
  toasts: Toast[];

  go(screen: Screen): void;
  boot(): Promise<void>;
  setBackendPref(pref: BackendChoice): Promise<void>;
  refreshStorage(): Promise<void>;
  /** refreshStorage, throttled (at most one call per STORAGE_REFRESH_MS, the last request is never dropped) */
  refreshStorageSoon(): void;
  /** Shows a message; the Toasts component dismisses it after a while. */
  toast(text: string, kind?: 'info' | 'bad'): void;
  dismissToast(id: number): void;
}

const BACKEND_KEY = 'qglab.backend';

function savedBackendPref(): BackendChoice {
  return (typeof localStorage !== 'undefined' && (localStorage.getItem(BACKEND_KEY) as BackendChoice | null)) || 'auto';
}

/** The backends' timed step, kept for this browser session so a reload (a new worker) does not time it again. */
const TIMINGS_KEY = 'qglab.backendTimings';

function sessionTimings(): BackendTiming[] | undefined {
  try {
    const t = typeof sessionStorage !== 'undefined' ? sessionStorage.getItem(TIMINGS_KEY) : null;
    return t ? (JSON.parse(t) as BackendTiming[]) : undefined;
  } catch {
    return undefined;
  }
}

function keepTimings(info: BackendInfo): BackendInfo {
  try {
    if (info.timings && typeof sessionStorage !== 'undefined') sessionStorage.setItem(TIMINGS_KEY, JSON.stringify(info.timings));
  } catch {
    /* not critical */
  }
  return info;
}

export const createSessionSlice: Slice<SessionSlice> = (deps) => (set, get) => {
  /** The worker's init with this session's timings, if any (and keeps the new ones). */
  const initBackend = async (pref: BackendChoice) => {
    const t = sessionTimings();
    return keepTimings(await (t ? deps.lab().init(pref, t) : deps.lab().init(pref)));
  };
  let toastSeq = 0;
  const storageSoon = throttle(() => void get().refreshStorage(), STORAGE_REFRESH_MS);
  // a worker that died takes its backend with it: the next worker starts on the same preference (the run slice ends
  // a run in progress as failed)
  deps.onWorkerDied?.(() => {
    set({ backend: null });
    if (!get().run?.active) get().toast(WORKER_DIED_MESSAGE, 'bad');
    void initBackend(get().backendPref)
      .then((backend) => set({ backend, backendError: null }))
      .catch((e) => set({ backendError: errText(e) }));
  });
  return {
    screen: 'data',
    booted: false,
    backend: null,
    backendPref: savedBackendPref(),
    backendError: null,
    storage: null,
    persistent: null,
    toasts: [],

    go(screen) {
      set({ screen });
      if (typeof location !== 'undefined' && location.hash !== `#${screen}`) history.replaceState(null, '', `#${screen}`);
    },

    async boot() {
      // ask the browser, once, not to evict saved checkpoints under storage pressure (page side: persist() is
      // Window-only); the meter shows the answer
      if (typeof navigator !== 'undefined' && navigator.storage?.persist)
        void navigator.storage
          .persist()
          .then((persistent) => set({ persistent }))
          .catch(() => set({ persistent: false }));
      // the backend starts in the background: the saved lab state does not wait for it
      void initBackend(get().backendPref)
        .then((backend) => set({ backend, backendError: null }))
        .catch((e) => set({ backendError: errText(e) }));
      try {
        const snap = await deps.lab().snapshot();
        const nodes: Record<string, NodeRecord> = {};
        for (const n of snap.nodes) nodes[n.id] = n;
        const draft = snap.baseModel ? presetDraft('study') : presetDraft('demo');
        set({ dataset: snap.dataset, baseModel: snap.baseModel, nodes, draft });
      } catch (e) {
        get().toast(`Could not read saved lab state: ${errText(e)}`, 'bad');
      }
      set({ booted: true });
      void get().refreshStorage();
    },

    async setBackendPref(pref) {
      if (typeof localStorage !== 'undefined') localStorage.setItem(BACKEND_KEY, pref);
      set({ backendPref: pref, backend: null });
      try {
        set({ backend: await initBackend(pref), backendError: null });
      } catch (e) {
        set({ backendError: errText(e) });
      }
    },

    async refreshStorage() {
      try {
        set({ storage: await deps.lab().storageUsage() });
      } catch {
        /* not critical */
      }
    },

    refreshStorageSoon() {
      storageSoon();
    },

    toast(text, kind = 'info') {
      const id = ++toastSeq;
      set((s) => ({ toasts: [...s.toasts, { id, text, kind }] }));
    },

    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
    },
  };
};
