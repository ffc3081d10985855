// The session: which screen shows, the compute backend, browser storage use, toasts, and booting from the saved lab.
import type { BackendChoice, BackendInfo, NodeRecord, StorageUsage } from '../../../../workers/labApi';
import { presetDraft } from '../recipes';
import { errText, type Slice } from './types';

export type Screen = 'data' | 'model' | 'wizard' | 'live' | 'tree' | 'compare' | 'export';

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
  toasts: Toast[];

  go(screen: Screen): void;
  boot(): Promise<void>;
  setBackendPref(pref: BackendChoice): Promise<void>;
  refreshStorage(): Promise<void>;
  /** Shows a message; the Toasts component dismisses it after a while. */
  toast(text: string, kind?: 'info' | 'bad'): void;
  dismissToast(id: number): void;
}

const BACKEND_KEY = 'qglab.backend';

function savedBackendPref(): BackendChoice {
  return (typeof localStorage !== 'undefined' && (localStorage.getItem(BACKEND_KEY) as BackendChoice | null)) || 'auto';
}

export const createSessionSlice: Slice<SessionSlice> = (deps) => (set, get) => {
  let toastSeq = 0;
  return {
    screen: 'data',
    booted: false,
    backend: null,
    backendPref: savedBackendPref(),
    backendError: null,
    storage: null,
    toasts: [],

    go(screen) {
      set({ screen });
      if (typeof location !== 'undefined' && location.hash !== `#${screen}`) history.replaceState(null, '', `#${screen}`);
    },

    async boot() {
      // ask the browser not to evict saved checkpoints under storage pressure (best effort)
      void navigator.storage?.persist?.().catch(() => false);
      // the backend starts in the background: the saved lab state does not wait for it
      void deps
        .lab()
        .init(get().backendPref)
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
      localStorage.setItem(BACKEND_KEY, pref);
      set({ backendPref: pref, backend: null });
      try {
        set({ backend: await deps.lab().init(pref), backendError: null });
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

    toast(text, kind = 'info') {
      const id = ++toastSeq;
      set((s) => ({ toasts: [...s.toasts, { id, text, kind }] }));
    },

    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
    },
  };
};
