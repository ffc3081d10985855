// The playground's pure rules, as the screen and its slice use them: which nodes can answer (done, with a model),
// the default pair (the root teacher and the best-scoring student), where the typed answer is in the paragraph, and
// the timing figures (median and spread of the timed runs, the student/teacher ratio).
import type { NodeRecord } from '../../../workers/labApi';

/** Nodes with a model to ask: done ones, oldest first. */
export function playgroundNodes(nodes: Record<string, NodeRecord>): NodeRecord[] {
  return Object.values(nodes)
    .filter((n) => n.status === 'done' && n.model)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/**
 * The default sides: a root teacher (the first one) and the best-scoring done node that is not a teacher (by
 * avg_score; unscored ones last). Either is null when the tree has none.
 */
export function defaultPair(nodes: Record<string, NodeRecord>): [string | null, string | null] {
  const done = playgroundNodes(nodes);
  const teacher = done.find((n) => n.stage === 'teacher' && n.parent === null) ?? done.find((n) => n.stage === 'teacher');
  let best: NodeRecord | undefined;
  for (const n of done) {
    if (n.stage === 'teacher') continue;
    const s = n.scores?.avg_score ?? -Infinity;
    if (!best || s > (best.scores?.avg_score ?? -Infinity)) best = n;
  }
  return [teacher?.id ?? null, best?.id ?? null];
}

/** Where a typed answer is in the paragraph: its first occurrence and how many there are (start -1: not in it). */
export function answerPosition(context: string, answer: string): { start: number; occurrences: number } {
  if (!answer) return { start: -1, occurrences: 0 };
  let occurrences = 0;
  for (let i = context.indexOf(answer); i >= 0; i = context.indexOf(answer, i + 1)) occurrences++;
  return { start: context.indexOf(answer), occurrences };
}

/** The marked start kept when the paragraph still has the answer there; else its first occurrence (null: none). */
export function keepAnswerStart(context: string, answer: string, start: number | null): number | null {
  if (!answer) return null;
  if (start !== null && context.slice(start, start + answer.length) === answer) return start;
  const at = context.indexOf(answer);
  return at >= 0 ? at : null;
}

export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function timing(ms: readonly number[]): Timing {
  if (!ms.length) throw new Error('no timed run');
  const s = [...ms].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

/** b's median latency as a fraction of a's (undefined when a's is 0). */
export function latencyRatio(a: readonly number[], b: readonly number[]): number | undefined {
  const ta = timing(a).median;
  return ta > 0 ? timing(b).median / ta : undefined;
}
