// Benchmark of the metric port (src/core/metrics): scoreQuestions on 10,000 ids made by cycling the golden corpus
// (../shared/fixtures/metrics/golden.json), reporting ids/s and total ms, and METEOR on long pairs (5,000 identical
// characters each side; 5,000 characters of DRCD text, ../shared/drcd/DRCD_dev.json, against its reverse), where the
// aligner's beam search used to run out of memory
// (run directly: `npx tsx scripts/bench/metrics.ts [ids] [--literal N]`; `--literal N` also times the line-by-line
// port of Aligner.resolve that src/core/metrics/testing/meteorLiteral.ts keeps, on N identical characters: the
// "before" figure, about 40 s at N = 300).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types';
import { scoreQuestions } from '../../src/core/metrics/score';
import { meteorAlign, meteorScore, meteorSegmentStats } from '../../src/core/metrics/meteor';
import { meteorAlignLiteral } from '../../src/core/metrics/testing/meteorLiteral';

const here = dirname(fileURLToPath(import.meta.url));
const goldenPath = resolve(here, '../../../shared/fixtures/metrics/golden.json');
const drcdPath = resolve(here, '../../../shared/drcd/DRCD_dev.json');

/** The first `n` non-whitespace characters of the DRCD dev contexts, one token each. */
export function drcdChars(n: number): string[] {
  const d = JSON.parse(readFileSync(drcdPath, 'utf8')) as { data: { paragraphs: { context: string }[] }[] };
  const out: string[] = [];
  for (const a of d.data) {
    for (const p of a.paragraphs) {
      for (const ch of p.context) {
        if (/\s/.test(ch)) continue;
        out.push(ch);
        if (out.length === n) return out;
      }
    }
  }
  return out;
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

/** METEOR (meteorSegmentStats: normalize, align, count) on single long pairs, cold (first call in the process) and warm. */
export function benchMeteorLong(opts: { chars?: number; literal?: number } = {}): BenchRow[] {
  const n = opts.chars ?? 5000;
  const same = new Array<string>(n).fill('的');
  const text = drcdChars(n);
  const reversed = text.slice().reverse();
  const rows: BenchRow[] = [];
  const rss0 = process.memoryUsage().rss;
  for (const [label, hyp, ref] of [
    [`${n} identical chars`, same, same],
    [`${n} DRCD chars vs their reverse`, text, reversed],
  ] as const) {
    const [s, cold] = timed(() => meteorSegmentStats(hyp, [ref]));
    const [, warm] = timed(() => meteorSegmentStats(hyp, [ref]));
    rows.push({ name: `METEOR ${label}, first call (score ${meteorScore(s).toFixed(6)})`, value: +cold.toFixed(1), unit: 'ms' });
    rows.push({ name: `METEOR ${label}, second call`, value: +warm.toFixed(1), unit: 'ms' });
  }
  rows.push({ name: 'METEOR long pairs: rss growth', value: Math.round((process.memoryUsage().rss - rss0) / 2 ** 20), unit: 'MiB' });
  if (opts.literal) {
    const m = opts.literal;
    const h = new Array<string>(m).fill('的');
    const [lit, litMs] = timed(() => meteorAlignLiteral(h, h));
    const [now, nowMs] = timed(() => meteorAlign(h, h));
    if (lit.numChunks !== now.numChunks || lit.refToTest.join() !== now.refToTest.join()) throw new Error('literal and bounded aligners disagree');
    rows.push({ name: `align ${m} identical chars, line-by-line port (before)`, value: +litMs.toFixed(1), unit: 'ms' });
    rows.push({ name: `align ${m} identical chars, bounded port (after)`, value: +nowMs.toFixed(1), unit: 'ms' });
  }
  return rows;
}

interface GoldenCase {
  hyps: Record<string, string>;
  refs: Record<string, string[]>;
}

/** `n` ids cycling through every (hypothesis, references) pair of the golden file, whitespace removed (raw text). */
export function metricsCorpus(n: number): { hyps: Record<string, string>; refs: Record<string, string[]> } {
  const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as { cases: GoldenCase[] };
  const pairs: [string, string[]][] = [];
  for (const c of golden.cases) {
    for (const id of Object.keys(c.hyps)) {
      pairs.push([c.hyps[id]!.replace(/ /g, ''), c.refs[id]!.map((r) => r.replace(/ /g, ''))]);
    }
  }
  const hyps: Record<string, string> = {};
  const refs: Record<string, string[]> = {};
  for (let i = 0; i < n; i++) {
    const [h, r] = pairs[i % pairs.length]!;
    const id = `id${String(i).padStart(5, '0')}`;
    hyps[id] = h;
    refs[id] = r;
  }
  return { hyps, refs };
}

export async function benchMetrics(opts: { ids?: number; perQuestion?: boolean; long?: boolean } = {}): Promise<BenchRow[]> {
  const n = opts.ids ?? 10_000;
  const { hyps, refs } = metricsCorpus(n);
  const warm = metricsCorpus(260);
  scoreQuestions(warm.hyps, warm.refs); // warm-up (JIT)
  const t0 = performance.now();
  const r = scoreQuestions(hyps, refs, { perQuestion: opts.perQuestion ?? false });
  const ms = performance.now() - t0;
  if (!Number.isFinite(r.avg_score)) throw new Error('metrics benchmark produced a non-finite avg_score');
  return [
    { name: `scoreQuestions ${n} ids (BLEU-1..4, METEOR, ROUGE-L) total`, value: +ms.toFixed(1), unit: 'ms' },
    { name: `scoreQuestions ${n} ids throughput`, value: Math.round((n / ms) * 1000), unit: 'ids/s' },
    ...(opts.long === false ? [] : benchMeteorLong()),
  ];
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const args = process.argv.slice(2);
  const li = args.indexOf('--literal');
  const literal = li >= 0 ? Number(args.splice(li, 2)[1]) : undefined;
  const n = args[0] ? Number(args[0]) : 10_000;
  // The long pairs first, so that their first call is the process's first METEOR call (cold JIT)
  for (const r of benchMeteorLong({ literal })) console.log(`${r.name}\t${r.value} ${r.unit}`);
  for (const r of await benchMetrics({ ids: n, long: false })) console.log(`${r.name}\t${r.value} ${r.unit}`);
}
