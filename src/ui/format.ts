// Number/time formatting and the score colour scale, shared by components.
import type { StageKind } from '../core/experiment/recipe';

export const fmtInt = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US'));

export function fmtNum(n: number | undefined, digits = 3): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 1000) return fmtInt(n);
  return n.toFixed(digits);
}

export function fmtParams(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} K`;
  return String(n);
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function fmtBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Scores are 0..1 fractions; shown as percentages with 2 decimals (as the study's tables do). */
export const fmtScore = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : (v * 100).toFixed(2));

/** Colour for an avg_score relative to the range seen in the tree: red-ish (worst) → green (best). */
export function scoreColor(v: number | undefined, min: number, max: number): { fill: string; stroke: string } {
  if (v === undefined || !Number.isFinite(v)) return { fill: '#ffffff', stroke: '#cdd3db' };
  const t = max > min ? (v - min) / (max - min) : 1;
  const stops = [
    [243, 214, 207],
    [244, 231, 184],
    [207, 233, 201],
    [143, 208, 164],
  ];
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f));
  const s = c.map((a) => Math.round(a * 0.72));
  return { fill: `rgb(${c.join(',')})`, stroke: `rgb(${s.join(',')})` };
}

export const STAGE_NAMES: Record<StageKind, string> = {
  teacher: 'Teacher',
  student: 'Student',
  distill: 'Stage 1 · Distill',
  selftrain: 'Stage 2 · Self-train',
};

/** Stable series colours for loss terms. */
const PALETTE = ['#3a5bd9', '#e0803a', '#23854a', '#c8372d', '#8a5cd0', '#1f9bb0', '#b0821f', '#d04f95', '#5d6b7d', '#2d9c7a'];
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/**
 * A projected duration, rounded as a plan reads it: "≈ 40 s", "≈ 12 min", "≈ 3 h 10 min", "≈ 61 h" (hours are
 * not folded into days: a long run is compared in hours). Minutes are rounded, so 61 h 59.6 min reads "≈ 62 h".
 */
export function fmtPlanDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = ms / 1000;
  if (s < 59.5) return `≈ ${Math.max(1, Math.round(s))} s`;
  const totalMin = Math.round(s / 60);
  if (totalMin < 60) return `≈ ${totalMin} min`;
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return m ? `≈ ${h} h ${m} min` : `≈ ${h} h`;
}

/** Seconds per optimizer step: "0.84 s", "12.3 s", "95 ms". */
export function fmtSecondsPerStep(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '—';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 10) return `${s.toFixed(2)} s`;
  return `${s.toFixed(1)} s`;
}
