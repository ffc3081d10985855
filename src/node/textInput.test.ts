// Text inputs of the command line go through the browser's rule (core/lab/inputs/textFile.ts): a BOM is accepted,
// UTF-16 and binary files are named as such instead of being parsed (and their bytes echoed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../cli/args';
import { run as dataStats } from '../cli/commands/dataStats';
import { run as params } from '../cli/commands/params';
import { run as score } from '../cli/commands/score';
import { run as tokenize } from '../cli/commands/tokenize';
import { readDataset, readJsonFile, readVocab } from './loadInputs';
import { readTextFile, readTextFileSync } from './textInput';

const dir = mkdtempSync(path.join(tmpdir(), 'qglab-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
const utf16le = (s: string, bom = true) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};
const put = (name: string, bytes: Buffer | string) => {
  const f = path.join(dir, name);
  writeFileSync(f, bytes);
  return f;
};
/** The thrown message, checked to carry no raw bytes of the file (no NUL, no control characters but newlines). */
async function failure(p: Promise<unknown> | (() => unknown)): Promise<string> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(Error);
  const msg = (err as Error).message;
  expect(msg).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u0089\ufffd]/);
  return msg;
}

const drcd = {
  version: 't',
  data: [{ title: 'x', paragraphs: [{ context: '台北市位於台灣北部。', qas: [{ id: 'q1', question: '台北市位於哪裡？', answers: [{ text: '台灣北部', answer_start: 5 }] }] }] }],
};
const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '台', '北', '市'].join('\n') + '\n';

describe('reading a text input', () => {
  it('drops a UTF-8 BOM (sync and async)', async () => {
    const f = put('bom.json', Buffer.concat([BOM, Buffer.from('{"a":"中"}')]));
    expect(readTextFileSync(f, 'file')).toBe('{"a":"中"}');
    expect(await readTextFile(f, 'file')).toBe('{"a":"中"}');
  });

  it('names UTF-16 (with either BOM, or none) and says to save it as UTF-8', async () => {
    for (const [name, bytes] of [
      ['le.json', utf16le(JSON.stringify(drcd))],
      ['be.json', utf16be(JSON.stringify(drcd))],
      ['nobom.json', utf16le('{"version": "t", "data": []}', false)],
    ] as const) {
      const f = put(name, bytes);
      const msg = await failure(() => readTextFileSync(f, 'dataset'));
      expect(msg).toBe(`${f}: this dataset is UTF-16; save it as UTF-8 JSON/text and load it again`);
    }
  });

  it('names a binary file (a PNG) without echoing its bytes', async () => {
    const f = put('image.png', PNG);
    expect(await failure(readTextFile(f, 'dataset'))).toBe(`${f}: this dataset is binary, not text (a PNG image)`);
  });

  it('a missing file or a folder says so', async () => {
    expect(await failure(() => readTextFileSync(path.join(dir, 'none.json'), 'recipe'))).toMatch(/^cannot read recipe .*none\.json: ENOENT, no such file$/);
    expect(await failure(readTextFile(dir, 'recipe'))).toMatch(/: EISDIR, it is a folder, not a file$/);
  });
});

describe('loadInputs (qglab run, eval, generate): dataset, recipe and vocabulary files', () => {
  it('accept a BOM', async () => {
    const items = await readDataset(put('bom-drcd.json', Buffer.concat([BOM, Buffer.from(JSON.stringify(drcd))])));
    expect(items.map((i) => i.question)).toEqual(['台北市位於哪裡？']);
    expect(await readJsonFile(put('bom-recipe.json', Buffer.concat([BOM, Buffer.from('{"version":1}')])), 'recipe')).toEqual({ version: 1 });
    const tok = await readVocab(put('bom-vocab.txt', Buffer.concat([BOM, Buffer.from(vocab)])));
    expect(tok.vocab[0]).toBe('[PAD]');
    expect(tok.vocabSize).toBe(8);
  });

  it('refuse UTF-16 and binary files naming them', async () => {
    expect(await failure(readDataset(put('u16-drcd.json', utf16le(JSON.stringify(drcd)))))).toMatch(/u16-drcd\.json: this dataset is UTF-16/);
    expect(await failure(readJsonFile(put('u16-recipe.json', utf16le('{"version":1}')), 'recipe'))).toMatch(/this recipe is UTF-16/);
    expect(await failure(readVocab(put('u16-vocab.txt', utf16le(vocab))))).toMatch(/this vocabulary is UTF-16/);
    expect(await failure(readDataset(put('data.png', PNG)))).toMatch(/data\.png: this dataset is binary, not text \(a PNG image\)/);
  });
});

describe('CLI commands reading text files', () => {
  const stdout = () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    return out;
  };

  it('score: BOM-prefixed hypotheses and references score; UTF-16 references are named', async () => {
    const hyps = put('hyps.json', Buffer.concat([BOM, Buffer.from('{"q1":"台北市位於哪裡？"}')]));
    const refs = put('refs.json', Buffer.concat([BOM, Buffer.from('{"q1":["台北市位於哪裡？"]}')]));
    const out = stdout();
    await score(parseArgs(['--hyps', hyps, '--refs', refs]));
    expect(JSON.parse(out.join('')).METEOR).toBe(1);
    const refs16 = put('refs16.json', utf16le('{"q1":["台北市位於哪裡？"]}'));
    expect(await failure(score(parseArgs(['--hyps', hyps, '--refs', refs16])))).toMatch(/refs16\.json: this references file is UTF-16/);
  });

  it('data-stats: a PNG passed as data is named once, not printed', async () => {
    const png = put('photo.png', PNG);
    const msg = await failure(dataStats(parseArgs(['--data', png])));
    expect(msg).toBe(`${png}: this data file is binary, not text (a PNG image)`);
    const bom = put('bom-stats.json', Buffer.concat([BOM, Buffer.from(JSON.stringify(drcd))]));
    const out = stdout();
    await dataStats(parseArgs(['--data', bom]));
    expect(JSON.parse(out.join(''))).toMatchObject({ questions: 1 });
  });

  it('tokenize and params: a BOM is accepted, UTF-16 named', async () => {
    const v = put('tok-vocab.txt', Buffer.concat([BOM, Buffer.from(vocab)]));
    const out = stdout();
    await tokenize(parseArgs(['--vocab', v, '--text', '台北']));
    expect(JSON.parse(out.join('')).tokens).toEqual(['[CLS]', '台', '北', '[SEP]']);
    const v16 = put('tok-vocab16.txt', utf16le(vocab));
    expect(await failure(tokenize(parseArgs(['--vocab', v16, '--text', '台'])))).toMatch(/this vocabulary is UTF-16/);
    const config = JSON.stringify({
      model_type: 'bert',
      hidden_size: 32,
      intermediate_size: 64,
      max_position_embeddings: 96,
      num_attention_heads: 2,
      num_hidden_layers: 1,
      type_vocab_size: 2,
      vocab_size: 298,
    });
    out.length = 0;
    await params(parseArgs(['--config', put('bom-config.json', Buffer.concat([BOM, Buffer.from(config)]))]));
    expect(JSON.parse(out.join(''))).toMatchObject({ layers: 1 });
    expect(await failure(params(parseArgs(['--config', put('config16.json', utf16le(config))])))).toMatch(/this --config file is UTF-16/);
  });
});
