// How a node's evaluation is read beside its scores: the generation time as the median of its timing runs with
// their range, and a warning when the scores are over too few test questions to tell branches apart. The wording
// is the core's (src/core/experiment/evalFacts.ts), shared with the run log and `qglab eval`.
import { fewQuestionsNote, timingText } from '../../core/experiment/evalFacts';
import type { NodeRecord } from '../../core/lab/nodeRecord';

/** "6.8 ms (6.2–10.9, 3 runs)"; a node evaluated before the timing runs: its one pass, "(1 run)". */
export function genTimeText(node: Pick<NodeRecord, 'genTiming' | 'genMsPerQuestion'>): string | undefined {
  if (node.genTiming) return timingText(node.genTiming);
  const ms = node.genMsPerQuestion;
  return ms !== undefined ? timingText({ median: ms, min: ms, max: ms, runs: [ms] }) : undefined;
}

/** The warning for the fewest test questions any of these evaluated nodes' scores are over (nothing when enough). */
export function FewQuestionsNote({ nodes }: { nodes: readonly Pick<NodeRecord, 'evalCount' | 'scores'>[] }) {
  const counts = nodes.flatMap((n) => (n.scores && n.evalCount ? [n.evalCount] : []));
  if (!counts.length) return null;
  const text = fewQuestionsNote(Math.min(...counts));
  if (!text) return null;
  return (
    <div className="callout warn small" data-testid="few-questions">
      {text.charAt(0).toUpperCase() + text.slice(1)}.
    </div>
  );
}
