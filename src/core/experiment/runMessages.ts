// The runner's log lines and node error messages.
import type { SqgDataReport } from '../data/sqgExampleStore';
import type { NodeRecord } from '../lab/nodeRecord';
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


/** A duration as the log says it: "0.8 s", "12 s", "1 min 12 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`formatDuration: not a duration: ${ms}`);
  const s = ms / 1000;
  if (s < 9.95) return `${s.toFixed(1)} s`;
  if (s < 59.5) return `${Math.round(s)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${total % 60} s`;
}

/** What describeNodeResult reads of a node's record (and of its tree's teacher). */
type ResultRecord = Pick<NodeRecord, 'id' | 'stage' | 'label' | 'trainMs' | 'steps' | 'lastLoss' | 'scores'>;

/**
 * The one line a finished node leaves in the log: its time, its avg_score (×100, as the tables show it) with the % of
 * its tree's teacher (`reference`, when that is another, evaluated teacher), and the last step's loss. E.g.
 * "node 'distill' (Distill · drop 0.3) done in 1 min 12 s, 40 steps: avg_score 41.20 (96.0 % of teacher 'teacher'), last loss 2.31".
 */
export function describeNodeResult(rec: ResultRecord, reference?: ResultRecord): string {
  const trained = rec.steps !== undefined && rec.steps > 0;
  const time = rec.trainMs !== undefined ? ` in ${formatDuration(rec.trainMs)}` : '';
  const head = `node '${rec.id}' (${rec.label}) done${time}${trained ? `, ${rec.steps} steps` : ' (no training)'}`;
  const avg = rec.scores?.avg_score;
  const ref = reference && reference.stage === 'teacher' && reference.id !== rec.id ? reference.scores?.avg_score : undefined;
  const parts: string[] = [];
  if (avg === undefined) parts.push('not evaluated');
  else parts.push(`avg_score ${(avg * 100).toFixed(2)}${ref ? ` (${((avg / ref) * 100).toFixed(1)} % of teacher '${reference!.id}')` : ''}`);
  if (trained && rec.lastLoss !== undefined && Number.isFinite(rec.lastLoss)) parts.push(`last loss ${Number(rec.lastLoss.toPrecision(3))}`);
  return `${head}: ${parts.join(', ')}`;
}
