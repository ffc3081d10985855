// What a loss chart draws (pure): which series, under which names, with which y-axis title, and how values that a
// log axis cannot show are clipped. The terms are those of src/core/training/distillLosses.ts: 'logits' is the hard
// cross-entropy at [MASK] (nats), 'soft' the soft cross-entropy against the teacher's logits (nats; the 'study' form
// is also averaged over the vocabulary, see softTermNote.ts), 'hidden/<k>' and 'attn/<k>' mean squared errors of
// hidden states and attention probabilities (squared units, not nats). The total 'loss' is their weighted sum.
import type { HistoryPoint } from '../../core/lab/history';

export type ChartKind = 'total' | 'layers';

export interface ChartLine {
  /** the row field the line reads */
  key: string;
  /** the legend's name */
  name: string;
}

const isLayerTerm = (k: string) => /\/\d+$/.test(k);

/** The term names of `kind` present in the points, grouped and in layer order (hidden/1, hidden/2, …, attn/1, …). */
export function termKeys(points: readonly HistoryPoint[], kind: ChartKind): string[] {
  const keys = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.terms)) if (isLayerTerm(k) === (kind === 'layers')) keys.add(k);
  return [...keys].sort((a, b) => {
    const [ga, ia] = a.split('/');
    const [gb, ib] = b.split('/');
    return ga === gb ? Number(ia ?? 0) - Number(ib ?? 0) : ga!.localeCompare(gb!);
  });
}

/** Relative tolerance under which `loss` and the hard-CE term count as the same number. */
export const SAME_LINE_TOLERANCE = 1e-9;

/**
 * True when the total loss is the hard cross-entropy term at every point (teacher and self-train: the loss is
 * hard CE alone; a distill node whose only weighted term is the hard CE at weight 1), within 1e-9 relative.
 * False when any point lacks the term or differs, and for no points.
 */
export function lossIsHardCe(points: readonly HistoryPoint[]): boolean {
  if (!points.length) return false;
  return points.every((p) => {
    const ce = p.terms.logits;
    if (ce === undefined || !Number.isFinite(ce) || !Number.isFinite(p.loss)) return false;
    return Math.abs(p.loss - ce) <= SAME_LINE_TOLERANCE * Math.max(Math.abs(p.loss), Math.abs(ce));
  });
}

const TERM_NAMES: Record<string, string> = { logits: 'hard CE', soft: 'soft CE' };

/** The lines of a chart: for 'total' the loss and the whole-model terms, one line for both when they coincide. */
export function chartLines(points: readonly HistoryPoint[], kind: ChartKind): ChartLine[] {
  const keys = termKeys(points, kind);
  if (kind === 'layers') return keys.map((k) => ({ key: k, name: `${k.replace('attn', 'attention')} MSE` }));
  if (lossIsHardCe(points)) {
    return [{ key: 'loss', name: 'loss (hard CE)' }, ...keys.filter((k) => k !== 'logits').map((k) => ({ key: k, name: TERM_NAMES[k] ?? k }))];
  }
  return [{ key: 'loss', name: 'loss (weighted sum)' }, ...keys.map((k) => ({ key: k, name: TERM_NAMES[k] ?? k }))];
}

/** The y-axis title: nats for cross-entropies; a total that adds MSE terms says so. */
export function yAxisTitle(points: readonly HistoryPoint[], kind: ChartKind): string {
  if (kind === 'layers') return 'MSE (squared units)';
  const hasLayerTerms = points.some((p) => Object.keys(p.terms).some(isLayerTerm));
  return hasLayerTerms ? 'loss: CE (nats) + MSE' : 'loss (nats)';
}

export type ChartRow = { step: number } & Record<string, number | undefined>;

/** One row per point: step, loss (for 'total') and every term. */
export function chartRows(points: readonly HistoryPoint[], kind: ChartKind): ChartRow[] {
  return points.map((p) => ({ step: p.step, ...(kind === 'total' ? { loss: p.loss } : {}), ...p.terms }));
}

/**
 * Rows a log axis can draw: each value <= 0 of the given keys is raised to `floor`, a tenth of the
 * smallest positive value drawn; `clipped` counts them. With no positive value at all, `floor` is undefined and
 * nothing can be drawn on a log axis.
 */
export function clipForLog(rows: readonly ChartRow[], keys: readonly string[]): { rows: ChartRow[]; clipped: number; floor?: number } {
  let min = Infinity;
  for (const r of rows) for (const k of keys) {
    const v = r[k];
    if (v !== undefined && Number.isFinite(v) && v > 0 && v < min) min = v;
  }
  if (min === Infinity) return { rows: rows.map((r) => ({ ...r })), clipped: 0 };
  const floor = min / 10;
  let clipped = 0;
  const out = rows.map((r) => {
    const o: ChartRow = { ...r };
    for (const k of keys) {
      const v = r[k];
      if (v !== undefined && v <= 0) {
        o[k] = floor;
        clipped++;
      }
    }
    return o;
  });
  return { rows: out, clipped, floor };
}

/**
 * A log axis that reads: the domain from the power of ten at or below the smallest positive value to the one at or
 * above the largest, with a tick at each power of ten (and at 2× and 5× when that spans a single decade).
 * Undefined when no value is positive.
 */
export function logAxis(rows: readonly ChartRow[], keys: readonly string[]): { domain: [number, number]; ticks: number[] } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) for (const k of keys) {
    const v = r[k];
    if (v !== undefined && Number.isFinite(v) && v > 0) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min === Infinity) return undefined;
  const lo = Math.floor(Math.log10(min) + 1e-12);
  let hi = Math.ceil(Math.log10(max) - 1e-12);
  if (hi <= lo) hi = lo + 1;
  const pow = (e: number) => Number(`1e${e}`);
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) {
    ticks.push(pow(e));
    if (hi - lo === 1 && e < hi) ticks.push(2 * pow(e), 5 * pow(e));
  }
  return { domain: [pow(lo), pow(hi)], ticks };
}
