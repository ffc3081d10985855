import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BertTokenizer, buildVocabFromTexts } from '../tokenizer/bertTokenizer';
import { datasetStats, parseDrcd } from './drcd';
import { loadSampleDataset, sampleItems, splitItems } from './sampleDataset';
import { generateSample } from './sampleGenerator';
import { isSkipReason, prepareExamples } from './sqgExamples';

describe('sample dataset', () => {
  it('is the synthetic, schema-valid file the generator writes', () => {
    const ds = loadSampleDataset();
    expect(ds.synthetic).toBe(true);
    expect(String(ds.note)).toMatch(/SYNTHETIC/);
    const text = readFileSync(path.resolve(__dirname, 'sample/drcdSample.json'), 'utf8');
    expect(text.length).toBeLessThan(150 * 1024);
    expect(parseDrcd(text)).toEqual(ds);
    // regenerate: deterministic, and the committed file is up to date (npx tsx scripts/makeSample.ts)
    expect(JSON.parse(JSON.stringify(generateSample()))).toEqual(ds);
  });

  it('has ~300 template questions over 60–80 short paragraphs', () => {
    const s = datasetStats(loadSampleDataset());
    expect(s.questions).toBeGreaterThanOrEqual(270);
    expect(s.questions).toBeLessThanOrEqual(330);
    expect(s.paragraphs).toBeGreaterThanOrEqual(60);
    expect(s.paragraphs).toBeLessThanOrEqual(80);
    expect(s.maxContextChars).toBeLessThanOrEqual(120);
    const items = sampleItems();
    expect(items).toHaveLength(s.questions);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (const it of items) expect(it.context.startsWith(it.answer, it.answerStart)).toBe(true);
  });

  it('fits the BERT-SQG limits with a from-scratch vocabulary (no [UNK])', () => {
    const items = sampleItems();
    const tok = BertTokenizer.fromVocab(buildVocabFromTexts(items.flatMap((i) => [i.context, i.question])).join('\n'));
    const out = prepareExamples(tok, items);
    expect(out.skipped).toEqual([]);
    expect(out.examples.every((e) => !e.inputIds.includes(tok.special.unk))).toBe(true);
    expect(out.encoded.some(isSkipReason)).toBe(false);
  });
});

describe('splitItems', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i);
  it('is deterministic, disjoint, complete and keeps file order', () => {
    const a = splitItems(xs, 0.2, 7);
    expect(a).toEqual(splitItems(xs, 0.2, 7));
    expect(a.test).toHaveLength(20);
    expect(a.train).toHaveLength(80);
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(xs);
    expect(a.test).toEqual([...a.test].sort((x, y) => x - y));
    expect(splitItems(xs, 0.2, 8).test).not.toEqual(a.test);
    expect(a.test).not.toEqual(xs.slice(0, 20));
    expect(splitItems(xs, 0, 1).test).toEqual([]);
    expect(() => splitItems(xs, 2, 1)).toThrow(RangeError);
  });
});
