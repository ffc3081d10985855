// Benchmark of data preparation at DRCD-train scale: a ~28,000-question file built in memory from DRCD_dev.json
// (8 copies with new ids: 28,192 questions), counted the way `qglab data-stats --vocab` counts it (sqgDataReport:
// token counts, no examples) and encoded into the compact example set training reads (prepareExampleSet); and, for
// comparison, the old all-examples-up-front prepareExamples and the new set on DRCD dev alone.
//
// Time: wall-clock seconds, and the process's CPU seconds (on a shared machine the wall clock includes waiting).
// Memory: process.memoryUsage() before and after each step, heapUsed + arrayBuffers (typed arrays keep their data
// outside the JS heap). "retained" is the growth after a full gc with the result still referenced (needs
// node --expose-gc; without it the figures include garbage, marked "no gc"). "right after" is measured before any
// gc: what the step left, garbage included; minor gcs during the step mean it is not the peak. Tokenizing is the bulk of the time; a paragraph is tokenized once for its
// consecutive questions, and the copies are tokenized again (nothing is cached across paragraphs).
//
// Needs ../shared (skipped when absent). Run directly, with gc:
//   node --expose-gc --import tsx scripts/bench/dataScale.ts [--copies N]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types';
import { parseDrcd, toQgItems, type DrcdDataset } from '../../src/core/data/drcd';
import { prepareExampleSet, sqgDataReport } from '../../src/core/data/sqgExampleStore';
import { prepareExamples } from '../../src/core/data/sqgExamples';
import { BertTokenizer } from '../../src/core/tokenizer/bertTokenizer';

const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
const MB = 1024 * 1024;
/** heapUsed plus the typed arrays' backing stores (outside the JS heap, in arrayBuffers) */
const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;

/** DRCD dev repeated `copies` times with new question (and article) ids, as one JSON text. */
export function repeatedDrcdText(devText: string, copies: number): string {
  const dev = JSON.parse(devText) as DrcdDataset;
  const data = [];
  for (let c = 0; c < copies; c++) {
    for (const art of dev.data) {
      data.push({
        ...art,
        ...(art.id !== undefined ? { id: `${art.id}-c${c}` } : {}),
        paragraphs: art.paragraphs.map((p) => ({ ...p, qas: p.qas.map((qa) => ({ ...qa, id: `${qa.id}-c${c}` })) })),
      });
    }
  }
  return JSON.stringify({ ...dev, data });
}

export async function benchDataScale(opts: { copies?: number } = {}): Promise<BenchRow[]> {
  const drcd = resolve(shared, 'drcd/DRCD_dev.json');
  const vocab = resolve(shared, 'vocab/bert-base-chinese-vocab.txt');
  if (!existsSync(drcd) || !existsSync(vocab)) return [{ name: `data scale: ${drcd} or ${vocab} missing, skipped`, value: NaN, unit: '' }];
  const copies = opts.copies ?? 8;
  const gc = (globalThis as { gc?: () => void }).gc;
  const tag = gc ? '' : ' (no gc)';
  const settle = () => {
    gc?.();
    gc?.();
    return process.memoryUsage();
  };
  const rows: BenchRow[] = [];
  const step = <T>(name: string, f: () => T): T => {
    const m0 = settle();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = f();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const after = process.memoryUsage();
    const m1 = settle();
    rows.push(
      { name: `${name}: seconds`, value: +(ms / 1000).toFixed(2), unit: 's' },
      { name: `${name}: CPU seconds (user + system)`, value: +((cpu.user + cpu.system) / 1e6).toFixed(2), unit: 's' },
      { name: `${name}: heap + ArrayBuffers retained${tag}`, value: +((used(m1) - used(m0)) / MB).toFixed(1), unit: 'MB' },
      { name: `${name}: heap + ArrayBuffers growth right after, before gc`, value: +((used(after) - used(m0)) / MB).toFixed(1), unit: 'MB' },
      { name: `${name}: heap + ArrayBuffers in use right after (total)`, value: +(used(after) / MB).toFixed(1), unit: 'MB' },
      { name: `${name}: rss growth`, value: +((Math.max(after.rss, m1.rss) - m0.rss) / MB).toFixed(1), unit: 'MB' },
    );
    return out;
  };

  const tok = BertTokenizer.fromVocab(readFileSync(vocab, 'utf8'));
  const devText = readFileSync(drcd, 'utf8');
  const big = step(`parse a ${copies}x DRCD dev file`, () => toQgItems(parseDrcd(repeatedDrcdText(devText, copies), `DRCD_dev x${copies}`)));
  const n = `${big.length} questions`;
  rows.push({ name: `heap + ArrayBuffers in use with the ${n} parsed${tag}`, value: +(used(settle()) / MB).toFixed(1), unit: 'MB' });

  const report = step(`count ${n} (data-stats path, sqgDataReport)`, () => sqgDataReport(tok, big));
  rows.push(
    { name: `${n}: items kept`, value: report.kept, unit: 'items' },
    { name: `${n}: items skipped`, value: report.skipped.total, unit: 'items' },
    { name: `${n}: BERT-SQG examples`, value: report.examples, unit: 'examples' },
  );
  const prepared = step(`compact example set of ${n} (prepareExampleSet)`, () =>
    prepareExampleSet(tok, big),
  );
  const set = prepared.set;
  rows.push({ name: `${n}: example set typed arrays`, value: +(set.bytes / MB).toFixed(1), unit: 'MB' });
  if (set.size !== report.examples) throw new Error(`the set has ${set.size} examples, the count says ${report.examples}`);
  const draws = 20_000;
  let s = 12345;
  step(`draw ${draws} random examples from the set`, () => {
    let tokens = 0;
    for (let d = 0; d < draws; d++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      tokens += set.example(s % set.size).inputIds.length;
    }
    return tokens;
  });

  const dev = toQgItems(parseDrcd(devText, 'DRCD_dev.json'));
  const d = `DRCD dev (${dev.length} questions)`;
  // (in a function of its own: the interpreter's registers of a frame still running would keep the examples alive)
  const oldCount = (() => step(`${d}: old prepareExamples (all examples up front)`, () => prepareExamples(tok, dev)).examples.length)();
  const devSet = step(`${d}: prepareExampleSet`, () => prepareExampleSet(tok, dev));
  if (devSet.set.size !== oldCount) throw new Error(`DRCD dev: ${devSet.set.size} examples in the set, ${oldCount} from prepareExamples`);
  step(`${d}: count (sqgDataReport)`, () => sqgDataReport(tok, dev));
  rows.push({ name: `${d}: BERT-SQG examples`, value: oldCount, unit: 'examples' });
  return rows;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url.endsWith(entry.replace(/\\/g, '/'))) {
  const i = process.argv.indexOf('--copies');
  const copies = i > 0 ? Number(process.argv[i + 1]) : undefined;
  if (!(globalThis as { gc?: () => void }).gc) console.log('no gc: run with node --expose-gc --import tsx for retained-heap figures');
  for (const r of await benchDataScale({ ...(copies ? { copies } : {}) })) console.log(`${r.name.padEnd(90)} ${String(r.value).padStart(10)} ${r.unit}`);
}
