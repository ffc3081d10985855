// Benchmark of the metric port (src/core/metrics): scoreQuestions on 10,000 ids made by cycling the golden corpus
// (../shared/fixtures/metrics/golden.json), reporting ids/s and total ms
// (run directly: `npx tsx scripts/bench/metrics.ts [ids]`).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types';
import { scoreQuestions } from '../../src/core/metrics/score';

const goldenPath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/metrics/golden.json');

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

export async function benchMetrics(opts: { ids?: number; perQuestion?: boolean } = {}): Promise<BenchRow[]> {
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
  ];
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const n = process.argv[2] ? Number(process.argv[2]) : 10_000;
  for (const r of await benchMetrics({ ids: n })) console.log(`${r.name}\t${r.value} ${r.unit}`);
}
