// The study's metric set: BLEU-1..4, METEOR and ROUGE-L on characters, computed exactly as nlg-eval's scorers
// (pycocoevalcap Bleu(4), Meteor(), Rouge()) compute them, plus avg_score = the mean of the six.
// Hand-written ports (see bleu.ts, meteor.ts, rouge.ts): no JS library reproduces pycocoevalcap or the METEOR 1.5 jar.
import { bleuSegmentStats, bleuTotals, bleuFromCounts, sentenceBleu, type BleuSegmentStats, type BleuTotals } from './bleu';
import { charTokens } from './charTokens';
import { corpusMeteor, meteorScore, meteorSegmentStats, meteorStatsArray, type MeteorStats } from './meteor';
import { numpyMean, rougeL } from './rouge';

export const METRIC_KEYS = ['Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'METEOR', 'ROUGE_L'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type MetricValues = Record<MetricKey, number>;

export interface ScoreResult extends MetricValues {
  avg_score: number;
  perQuestion?: Record<string, MetricValues>;
}

/** Everything computed for one id, for tests and debugging stage by stage. */
export interface IdDetail {
  hyp: string[];
  refs: string[][];
  bleu: BleuSegmentStats;
  meteor: MeteorStats;
  values: MetricValues;
}

export interface ScoreDetail {
  ids: string[];
  perId: Record<string, IdDetail>;
  bleuTotals: BleuTotals;
  scores: MetricValues;
  avg_score: number;
}

/** Throws a clear error when the id sets differ, a reference list is empty or a value has the wrong type. */
export function validateScoreInput(hyps: Record<string, unknown>, refs: Record<string, unknown>): void {
  const missingRefs = Object.keys(hyps).filter((id) => !Object.prototype.hasOwnProperty.call(refs, id));
  const missingHyps = Object.keys(refs).filter((id) => !Object.prototype.hasOwnProperty.call(hyps, id));
  const parts: string[] = [];
  const list = (ids: string[]) => (ids.length > 20 ? `${ids.slice(0, 20).join(', ')} … (${ids.length} in all)` : ids.join(', '));
  if (missingRefs.length) parts.push(`${missingRefs.length} id(s) have a hypothesis but no references: ${list(missingRefs)}`);
  if (missingHyps.length) parts.push(`${missingHyps.length} id(s) have references but no hypothesis: ${list(missingHyps)}`);
  if (parts.length) throw new Error(`hypotheses and references do not cover the same ids; ${parts.join('; ')}`);
  if (Object.keys(refs).length === 0) throw new Error('nothing to score: no ids given');
  for (const [id, h] of Object.entries(hyps)) {
    if (typeof h !== 'string') throw new Error(`hypothesis for id '${id}' must be a string, got ${typeof h}`);
  }
  for (const [id, r] of Object.entries(refs)) {
    if (!Array.isArray(r)) throw new Error(`references for id '${id}' must be an array of strings`);
    if (r.length === 0) throw new Error(`id '${id}' has an empty reference list (at least one reference is needed)`);
    r.forEach((x, i) => {
      if (typeof x !== 'string') throw new Error(`reference ${i} of id '${id}' must be a string, got ${typeof x}`);
    });
  }
}

/** Scores every id and keeps the intermediate statistics (BLEU counts, METEOR sufficient statistics). */
export function scoreDetailed(hyps: Record<string, string>, refs: Record<string, string[]>): ScoreDetail {
  validateScoreInput(hyps, refs);
  // pycocoevalcap iterates gts.keys(); the values below do not depend on the order except ROUGE-L's last ulp.
  const ids = Object.keys(refs);
  const perId: Record<string, IdDetail> = {};
  const bleuSegs: BleuSegmentStats[] = [];
  const meteorSegs: MeteorStats[] = [];
  const rouges = new Float64Array(ids.length);
  ids.forEach((id, n) => {
    const hyp = charTokens(hyps[id]!);
    const rs = refs[id]!.map(charTokens);
    const bleu = bleuSegmentStats(hyp, rs);
    const meteor = meteorSegmentStats(hyp, rs);
    const rouge = rougeL(hyp, rs);
    const [b1, b2, b3, b4] = sentenceBleu(bleu) as [number, number, number, number];
    bleuSegs.push(bleu);
    meteorSegs.push(meteor);
    rouges[n] = rouge;
    perId[id] = {
      hyp,
      refs: rs,
      bleu,
      meteor,
      values: { Bleu_1: b1, Bleu_2: b2, Bleu_3: b3, Bleu_4: b4, METEOR: meteorScore(meteor), ROUGE_L: rouge },
    };
  });
  const totals = bleuTotals(bleuSegs);
  const [B1, B2, B3, B4] = bleuFromCounts(totals.testlen, totals.reflen, totals.guess, totals.correct) as [
    number,
    number,
    number,
    number,
  ];
  const scores: MetricValues = {
    Bleu_1: B1,
    Bleu_2: B2,
    Bleu_3: B3,
    Bleu_4: B4,
    METEOR: corpusMeteor(meteorSegs),
    ROUGE_L: numpyMean(rouges),
  };
  const avg_score = METRIC_KEYS.reduce((s, k) => s + scores[k], 0) / METRIC_KEYS.length;
  return { ids, perId, bleuTotals: totals, scores, avg_score };
}

/**
 * Corpus BLEU-1..4, METEOR, ROUGE-L and avg_score (their mean), as nlg-eval reports them, for raw question strings
 * (tokenized into characters here; whitespace is ignored). `perQuestion` adds the per-id values.
 */
export function scoreQuestions(
  hyps: Record<string, string>,
  refs: Record<string, string[]>,
  opts: { perQuestion?: boolean } = {},
): ScoreResult {
  const d = scoreDetailed(hyps, refs);
  const result: ScoreResult = { ...d.scores, avg_score: d.avg_score };
  if (opts.perQuestion) {
    result.perQuestion = {};
    for (const id of d.ids) result.perQuestion[id] = d.perId[id]!.values;
  }
  return result;
}

/** METEOR's 23 sufficient statistics per id (the numbers the jar prints for each SCORE line). */
export function meteorStatsById(hyps: Record<string, string>, refs: Record<string, string[]>): Record<string, number[]> {
  validateScoreInput(hyps, refs);
  const out: Record<string, number[]> = {};
  for (const id of Object.keys(refs)) {
    out[id] = meteorStatsArray(meteorSegmentStats(charTokens(hyps[id]!), refs[id]!.map(charTokens)));
  }
  return out;
}
