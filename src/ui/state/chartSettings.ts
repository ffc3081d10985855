// The loss charts' view settings (EMA smoothing, log-scale y axis): one small store of its own, shared by every
// LossChart (the Live screen's and the node panel's) and kept for the browser session (sessionStorage).
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { MAX_SMOOTHING } from '../charts/smoothing';

export interface ChartSettings {
  /** TensorBoard's smoothing weight, 0 (raw) … 0.99 */
  smoothing: number;
  logScale: boolean;
  setSmoothing(w: number): void;
  setLogScale(on: boolean): void;
}

/** A slider value as a smoothing weight: clamped to [0, MAX_SMOOTHING]; not a number is an error. */
export function smoothingWeight(w: number): number {
  if (typeof w !== 'number' || Number.isNaN(w)) throw new RangeError(`smoothing must be a number, got ${String(w)}`);
  return Math.min(MAX_SMOOTHING, Math.max(0, w));
}

export const DEFAULT_SMOOTHING = 0.6;

function inMemory(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

export const useChartSettings = create<ChartSettings>()(
  persist(
    (set) => ({
      smoothing: DEFAULT_SMOOTHING,
      logScale: false,
      setSmoothing: (w) => set({ smoothing: smoothingWeight(w) }),
      setLogScale: (on) => set({ logScale: on }),
    }),
    {
      name: 'qglab.chartSettings',
      version: 1,
      // outside a browser (unit tests, server rendering) the settings live for the process only
      storage: createJSONStorage(() => (typeof sessionStorage !== 'undefined' ? sessionStorage : inMemory())),
      partialize: (s) => ({ smoothing: s.smoothing, logScale: s.logScale }),
      // a stored value out of range (edited by hand) is clamped, not trusted
      merge: (stored, current) => {
        const s = (stored ?? {}) as Partial<ChartSettings>;
        return {
          ...current,
          smoothing: typeof s.smoothing === 'number' && !Number.isNaN(s.smoothing) ? smoothingWeight(s.smoothing) : current.smoothing,
          logScale: typeof s.logScale === 'boolean' ? s.logScale : current.logScale,
        };
      },
    },
  ),
);
