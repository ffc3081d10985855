// The loss history of a node: one point per step event, thinned by one rule (adjacent pairs merged when the
// history reaches MAX_HISTORY_POINTS). The runner stores it (history.json) and the UI applies the same rule to the
// live events, so the live chart and the chart after a reload are the same curve.

export interface HistoryPoint {
  step: number;
  epoch: number;
  loss: number;
  lr: number;
  terms: Record<string, number>;
  /** how many step events this point averages */
  n: number;
}

export const MAX_HISTORY_POINTS = 2000;

/** Appends a point; when the history reaches `max` points, adjacent pairs are merged (halving it). */
export function appendHistory(points: HistoryPoint[], p: Omit<HistoryPoint, 'n'>, max = MAX_HISTORY_POINTS): void {
  points.push({ ...p, terms: { ...p.terms }, n: 1 });
  if (points.length < max) return;
  const merged: HistoryPoint[] = [];
  for (let i = 0; i < points.length; i += 2) {
    const a = points[i]!;
    const b = points[i + 1];
    if (!b) {
      merged.push(a);
      continue;
    }
    const n = a.n + b.n;
    const avg = (x: number, y: number) => (x * a.n + y * b.n) / n;
    const terms: Record<string, number> = {};
    for (const k of new Set([...Object.keys(a.terms), ...Object.keys(b.terms)]))
      terms[k] = k in a.terms && k in b.terms ? avg(a.terms[k]!, b.terms[k]!) : (b.terms[k] ?? a.terms[k])!;
    merged.push({ step: b.step, epoch: b.epoch, loss: avg(a.loss, b.loss), lr: b.lr, terms, n });
  }
  points.splice(0, points.length, ...merged);
}


/**
 * One point of a node's validation curve: the mean cross-entropy of the held-out examples (teacher-forced, the
 * ground-truth next token at each [MASK], no dropout) after `step` optimizer steps; `avgScore` when the recipe asks
 * for greedy-decoded scores of some held-out questions (eval.validationScore).
 */
export interface ValidationPoint {
  step: number;
  totalSteps: number;
  /** mean CE over `examples` held-out examples */
  loss: number;
  examples: number;
  /** held-out questions the examples come from */
  items: number;
  /** avg_score of greedy questions for the first `scored` held-out items */
  avgScore?: number;
  scored?: number;
}
