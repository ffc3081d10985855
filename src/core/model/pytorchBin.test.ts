// pytorch_model.bin in both torch.save layouts: the shared fixtures reproduce golden.json's logits like the
// safetensors model does; synthetic files cover dtypes, offsets, shared storages and every damaged-file error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromHf } from './bertConfig';
import { BertForMaskedLM } from './bertForMaskedLM';
import { loadHfModel } from './hfFolder';
import { readModelWeights } from './modelWeights';
import { readPytorchBin } from './pytorchBin';
import { readSafetensors } from './safetensors';
import { resolveStateDict } from './stateDict';
import { f32Storage, torchSaveLegacy, torchSaveZip, type TorchStorageSpec, type TorchTensorSpec } from './testing/torchSave';
import { withShared } from '../../testing/withShared';

const shared = withShared('pytorchBin.test', 'fixtures/pytorch-bin/README.md', 'fixtures/hf-bert-tiny/golden.json');
const binFixtures = shared.path('fixtures/pytorch-bin');
const tiny = shared.path('fixtures/hf-bert-tiny');

const FOLDERS = ['hf-saved', 'zip-bert-pretraining', 'pre16-bert-pretraining'] as const;

interface Batch {
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
  mask_positions: number[];
  eval: { mask_logits: number[][]; logsumexp: number[][] };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function maxAbsDiff(a: tf.Tensor, expected: unknown): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, tf.tensor(expected as number[], a.shape)))).dataSync()[0]!);
}

shared.describe('pytorch_model.bin fixtures match golden.json (hf-bert-tiny)', () => {
  let golden: { batches: Batch[] };
  let reference: Map<string, { data: Float32Array }>;
  const maxErr: Record<string, number> = {};
  beforeAll(() => {
    golden = JSON.parse(readFileSync(resolve(tiny, 'golden.json'), 'utf8'));
    reference = readSafetensors(new Uint8Array(readFileSync(resolve(tiny, 'model.safetensors')))).tensors;
  });
  afterAll(() => console.log('pytorch_model.bin parity max errors', JSON.stringify(maxErr)));

  it.each(FOLDERS)('%s: same tensors as model.safetensors, same logits as golden.json, no tensor leak', (folder) => {
    const dir = resolve(binFixtures, folder);
    const buf = readFileSync(resolve(dir, 'pytorch_model.bin'));
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    const weights = readModelWeights(new Map([['pytorch_model.bin', bytes], ['config.json', new Uint8Array(0)]]));
    expect(weights.file).toBe('pytorch_model.bin');
    const config = configFromHf(readFileSync(resolve(dir, 'config.json'), 'utf8'));
    const { params, notices } = resolveStateDict(config, weights.tensors);
    expect(params.size).toBe(reference.size);
    for (const [name, t] of params) expect(t.data, name).toEqual(reference.get(name)!.data);
    // the tied decoder weight shares the word embeddings' storage: one array, not two
    const dec = weights.tensors.get('cls.predictions.decoder.weight')!;
    expect(dec.data).toBe(weights.tensors.get('bert.embeddings.word_embeddings.weight')!.data);
    if (folder !== 'hf-saved') {
      expect(weights.tensors.has('bert.embeddings.LayerNorm.gamma')).toBe(true);
      expect(notices.join('\n')).toMatch(/ignored 2 pooler/);
      expect(notices.join('\n')).toMatch(/ignored 2 next-sentence-prediction/);
    }
    // zip storages are 64-byte aligned in the file: float32 tensors are views of it
    if (folder !== 'pre16-bert-pretraining') expect(dec.data.buffer).toBe(bytes.buffer);

    const before = tf.memory().numTensors;
    const model = BertForMaskedLM.fromStateDict(config, weights.tensors);
    const record = (k: string, v: number) => ((maxErr[`${folder} ${k}`] = Math.max(maxErr[`${folder} ${k}`] ?? 0, v)), v);
    golden.batches.forEach((batch, bi) => {
      tf.tidy(() => {
        const inputs = {
          inputIds: tf.tensor2d(batch.input_ids, undefined, 'int32'),
          tokenTypeIds: tf.tensor2d(batch.token_type_ids, undefined, 'int32'),
          attentionMask: tf.tensor2d(batch.attention_mask, undefined, 'int32'),
        };
        const atMask = model.forward(inputs, { headPositions: tf.tensor1d(batch.mask_positions, 'int32') }).logits!;
        expect(record('mask_logits', maxAbsDiff(atMask, batch.eval.mask_logits))).toBeLessThan(1e-4);
        if (bi > 0) return; // the logits at every position (their logsumexp checksum) once: the slow part on 2 cores
        const all = model.forward(inputs, { headPositions: 'all' }).logits!;
        expect(record('logsumexp', maxAbsDiff(tf.logSumExp(all, -1), batch.eval.logsumexp))).toBeLessThan(1e-4);
      });
    });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loadHfModel takes a folder with only pytorch_model.bin', () => {
    const dir = resolve(binFixtures, 'pre16-bert-pretraining');
    const notices: string[] = [];
    const m = loadHfModel({
      configJson: readFileSync(resolve(dir, 'config.json'), 'utf8'),
      weights: new Map([['pytorch_model.bin', new Uint8Array(readFileSync(resolve(dir, 'pytorch_model.bin')))]]),
      onNotice: (n) => notices.push(n),
    });
    expect(m.config.numHiddenLayers).toBe(4);
    expect(notices.join('\n')).toMatch(/pooler/);
    m.dispose();
  });
});

// ---- synthetic checkpoints ----

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
function synthetic(): { tensors: TorchTensorSpec[]; storages: Map<string, TorchStorageSpec> } {
  const storages = new Map<string, TorchStorageSpec>([
    ['0', f32Storage([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])],
    ['1', { dtype: 'F16', numel: 3, data: bytesOf(new Uint16Array([0x3c00, 0xc000, 0x3800])) }], // 1, -2, 0.5
    ['2', { dtype: 'BF16', numel: 2, data: bytesOf(new Uint16Array([0x3f80, 0xc040])) }], // 1, -3
    ['3', { dtype: 'I64', numel: 4, data: bytesOf(new BigInt64Array([0n, 1n, 2n, 3n])) }],
  ]);
  const tensors: TorchTensorSpec[] = [
    { name: 'emb.weight', storage: '0', shape: [2, 3] },
    { name: 'decoder.weight', storage: '0', shape: [2, 3] }, // shares storage 0, same view
    { name: 'tail', storage: '0', shape: [4], offset: 6 }, // storage offset
    { name: 'col', storage: '0', shape: [3, 1], stride: [1, 7] }, // size-1 dim: any stride is contiguous
    { name: 'half', storage: '1', shape: [3] },
    { name: 'bf', storage: '2', shape: [1, 2] },
    { name: 'position_ids', storage: '3', shape: [1, 4] },
    { name: 'scalar', storage: '0', shape: [], offset: 9 },
  ];
  return { tensors, storages };
}
const EXPECTED: Record<string, { dtype: string; shape: number[]; data: number[] }> = {
  'emb.weight': { dtype: 'F32', shape: [2, 3], data: [0, 1, 2, 3, 4, 5] },
  'decoder.weight': { dtype: 'F32', shape: [2, 3], data: [0, 1, 2, 3, 4, 5] },
  tail: { dtype: 'F32', shape: [4], data: [6, 7, 8, 9] },
  col: { dtype: 'F32', shape: [3, 1], data: [0, 1, 2] },
  half: { dtype: 'F16', shape: [3], data: [1, -2, 0.5] },
  bf: { dtype: 'BF16', shape: [1, 2], data: [1, -3] },
  position_ids: { dtype: 'I64', shape: [1, 4], data: [0, 1, 2, 3] },
  scalar: { dtype: 'F32', shape: [], data: [9] },
};

function expectSynthetic(tensors: Map<string, { dtype: string; shape: number[]; data: Float32Array }>) {
  expect([...tensors.keys()]).toEqual(Object.keys(EXPECTED));
  for (const [name, e] of Object.entries(EXPECTED)) {
    const t = tensors.get(name)!;
    expect({ dtype: t.dtype, shape: t.shape, data: Array.from(t.data) }, name).toEqual(e);
    expect(t.data).toBeInstanceOf(Float32Array);
  }
  expect(tensors.get('decoder.weight')!.data).toBe(tensors.get('emb.weight')!.data);
}

describe('pytorch_model.bin layouts (synthetic)', () => {
  it.each<[string, { folder: string; orderedDict?: boolean; deflate?: boolean }]>([
    ['zip, archive/', { folder: 'archive' }],
    ['zip, pytorch_model/, OrderedDict with _metadata', { folder: 'pytorch_model', orderedDict: true }],
    ['zip, nested folder name', { folder: 'some/dir/model' }],
    ['zip, deflated entries', { folder: 'archive', deflate: true }],
  ])('%s', (_, opts) => {
    const { tensors, storages } = synthetic();
    const bytes = torchSaveZip(tensors, storages, opts);
    const f = readPytorchBin(bytes);
    expect(f.format).toBe('zip');
    expectSynthetic(f.tensors);
    if (!opts.deflate) {
      expect(f.tensors.get('tail')!.data.buffer).toBe(bytes.buffer); // zero-copy
      // an unaligned copy of the file still reads the same (one tensor copied at a time)
      const shifted = new Uint8Array(bytes.length + 1);
      shifted.set(bytes, 1);
      expectSynthetic(readPytorchBin(shifted.subarray(1)).tensors);
    }
  });

  it('legacy pre-1.6 stream', () => {
    const { tensors, storages } = synthetic();
    const f = readPytorchBin(torchSaveLegacy(tensors, storages));
    expect(f.format).toBe('legacy');
    expectSynthetic(f.tensors);
  });

  it('refuses a non-contiguous tensor with a clear message', () => {
    const storages = new Map([['0', f32Storage([0, 1, 2, 3, 4, 5])]]);
    const t = [{ name: 'transposed', storage: '0', shape: [3, 2], stride: [1, 3] }];
    for (const bytes of [torchSaveZip(t, storages), torchSaveLegacy(t, storages)])
      expect(() => readPytorchBin(bytes)).toThrow(
        "pytorch_model.bin: tensor 'transposed' is not contiguous (size [3, 2], stride [1, 3]); save it with .contiguous() first",
      );
  });

  it('refuses a tensor that reads past its storage', () => {
    const storages = new Map([['0', f32Storage([0, 1, 2])]]);
    const t = [{ name: 'w', storage: '0', shape: [3], offset: 1 }];
    expect(() => readPytorchBin(torchSaveZip(t, storages))).toThrow(/tensor 'w' needs elements 1–4 of storage '0', which has 3/);
  });
});

describe('damaged pytorch_model.bin files give errors naming the file and the problem', () => {
  const { tensors, storages } = synthetic();
  const zip = torchSaveZip(tensors, storages);
  const legacy = torchSaveLegacy(tensors, storages);
  const name = 'model/pytorch_model.bin';
  const read = (b: Uint8Array) => () => readPytorchBin(b, name);

  it('empty, foreign and truncated files', () => {
    expect(read(new Uint8Array(0))).toThrow(`${name}: file too short (0 bytes) to be a PyTorch checkpoint`);
    expect(read(new TextEncoder().encode('{"not": "a checkpoint"}'))).toThrow(`${name}: not a PyTorch checkpoint: starts with bytes 7b 22 6e 6f`);
    expect(read(zip.subarray(0, zip.length - 10))).toThrow(`${name}: no zip end-of-central-directory record (the file is truncated or damaged)`);
    expect(read(zip.subarray(0, zip.length >> 1))).toThrow(/no zip end-of-central-directory record/);
    expect(read(legacy.subarray(0, legacy.length - 3))).toThrow(new RegExp(`^${name}: truncated: storage '3' needs bytes`));
    expect(read(legacy.subarray(0, 200))).toThrow(new RegExp(`^${name}: truncated pickle`));
    expect(read(legacy.subarray(0, 10))).toThrow(new RegExp(`^${name}: truncated pickle`));
  });

  it('a zip without data.pkl, a missing storage, a short storage, an unknown compression', () => {
    const noPkl = torchSaveZip(tensors, storages);
    const at = findBytes(noPkl, 'archive/data.pkl');
    for (const a of at) noPkl.set(new TextEncoder().encode('archive/other.pk'), a);
    expect(read(noPkl)).toThrow(/zip archive without a data.pkl \(not a torch.save checkpoint\); it holds 'archive\/other.pk'/);

    const missing = torchSaveZip(tensors, new Map(storages), {});
    for (const a of findBytes(missing, 'archive/data/3')) missing.set(new TextEncoder().encode('archive/data/9'), a);
    expect(read(missing)).toThrow(`${name}: storage '3' is missing (no zip entry 'archive/data/3')`);

    const short = new Map(storages);
    short.set('0', { dtype: 'F32', numel: 10, data: new Uint8Array(4 * 10).subarray(0, 36) });
    const shortZip = torchSaveZip(tensors, short);
    expect(read(shortZip)).toThrow(`${name}: storage '0' has 36 bytes but holds 10 F32 elements (40 bytes): truncated?`);

    const method = torchSaveZip(tensors, storages);
    const cd = findBytes(method, 'PK\x01\x02')[0]!;
    new DataView(method.buffer).setUint16(cd + 10, 12, true); // bzip2
    expect(read(method)).toThrow(`${name}: zip entry 'archive/data.pkl': compression method 12 is not supported (only stored and deflate)`);
  });

  it('legacy: wrong magic, damaged element count', () => {
    const bad = legacy.slice();
    bad[5] ^= 0xff; // inside the magic number
    expect(read(bad)).toThrow(`${name}: not a PyTorch checkpoint: a pickle, but without the legacy torch.save magic number`);
    // the first storage's int64 count follows the key-list pickle; corrupt it
    const count = legacy.slice();
    const firstData = findBytes(count, '\x0a\x00\x00\x00\x00\x00\x00\x00').pop()!;
    count[firstData] = 11;
    expect(read(count)).toThrow(/storage '0' at byte \d+ has element count 11, but the pickle says 10 \(damaged file\)/);
  });
});

describe('readModelWeights', () => {
  const st = new Uint8Array(readSafetensorsBytes());
  const bin = torchSaveZip([{ name: 'x', storage: '0', shape: [2] }], new Map([['0', f32Storage([3, 4])]]));
  it('prefers model.safetensors, else pytorch_model.bin; keys may be paths', () => {
    expect(readModelWeights(new Map([['pytorch_model.bin', bin], ['model.safetensors', st]])).file).toBe('model.safetensors');
    const w = readModelWeights(new Map([['vocab.txt', new Uint8Array(1)], ['my-model/pytorch_model.bin', bin]]));
    expect(w.file).toBe('pytorch_model.bin');
    expect(Array.from(w.tensors.get('x')!.data)).toEqual([3, 4]);
  });
  it('says clearly when neither exists, with hints', () => {
    expect(() => readModelWeights(new Map([['config.json', new Uint8Array(0)]]))).toThrow(
      "no model weights: the folder has neither model.safetensors nor pytorch_model.bin (it has 'config.json')",
    );
    expect(() => readModelWeights(new Map([['pytorch_model.bin.index.json', new Uint8Array(0)]]))).toThrow(/sharded checkpoints/);
    expect(() => readModelWeights(new Map([['tf_model.h5', new Uint8Array(0)]]))).toThrow(/TensorFlow\/Flax weights/);
    expect(() => readModelWeights(new Map())).toThrow(/\(it is empty\)/);
  });
  it('errors name the weights file', () => {
    expect(() => readModelWeights(new Map([['m/model.safetensors', new Uint8Array(3)]]))).toThrow(/^m\/model.safetensors: safetensors: file too short/);
    expect(() => readModelWeights(new Map([['m/pytorch_model.bin', new Uint8Array(3)]]))).toThrow(/^m\/pytorch_model.bin: file too short/);
  });
});

function readSafetensorsBytes(): Uint8Array {
  // a minimal valid safetensors file: {"x": F32 [1]}
  const header = new TextEncoder().encode(JSON.stringify({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }));
  const out = new Uint8Array(8 + header.length + 4);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  return out;
}

function findBytes(hay: Uint8Array, needle: string): number[] {
  const n = Uint8Array.from(needle, (c) => c.charCodeAt(0));
  const hits: number[] = [];
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let j = 0; j < n.length; j++) if (hay[i + j] !== n[j]) continue outer;
    hits.push(i);
  }
  return hits;
}
