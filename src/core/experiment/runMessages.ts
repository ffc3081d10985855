// The runner's log lines and node error messages.
import type { SqgDataReport } from '../data/sqgExampleStore';
import { NonFiniteLossError } from '../training/stepEvent';
import type { RecipeNode } from './recipe';

/** One log line: items kept, skipped and windowed by reason, and the examples they give. */
export function describeDataReport(r: SqgDataReport): string {
  const reasons = (m: Record<string, number>) =>
    Object.entries(m)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
  const counted = (n: number, what: string, m: Record<string, number>) => `${n} ${what}${n > 0 ? ` (${reasons(m)})` : ''}`;
  const parts = [`${r.kept} of ${r.items} training items → ${r.examples} examples`];
  // both counts, by reason: an item the limits drop and one whose context the 'window' policy cuts are each said
  parts.push(counted(r.skipped.total, 'skipped', r.skipped.byReason));
  if (r.policy === 'window' || r.windowed.total > 0)
    parts.push(counted(r.windowed.total, 'kept with the context cut to a window around the answer', r.windowed.byReason));
  return `${parts.join('; ')} [limits ${r.limits.maxSeqLen}/${r.limits.maxAnswerLen}/${r.limits.maxQuestionLen}, policy ${r.policy}]`;
}

export function describeNodeError(n: RecipeNode, e: unknown): string {
  if (e instanceof NonFiniteLossError)
    return `node '${n.id}' (${n.stage}) failed: ${e.message}. The last good checkpoint is kept; lower the learning rate or check the data.`;
  return `node '${n.id}' (${n.stage}) failed: ${e instanceof Error ? e.message : String(e)}`;
}

