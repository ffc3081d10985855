import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bertPresets, configToHf } from './bertConfig';
import { BertForMaskedLM } from './bertForMaskedLM';
import { exportHfModel, loadHfModel } from './hfFolder';
import { readSafetensors, writeSafetensors } from './safetensors';
import { withShared } from '../../testing/withShared';

const shared = withShared('hfFolder.test', ...['config.json', 'model.safetensors', 'vocab.txt'].map((f) => `fixtures/hf-bert-tiny/${f}`));
const fixture = shared.path('fixtures/hf-bert-tiny');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = bertPresets.tiny(50, 16);
const vocab = Array.from({ length: 50 }, (_, i) => `t${i}`).join('\n') + '\n';

describe('HF folder import/export', () => {
  it('exports a folder HF loads (no tied duplicates) and re-imports it exactly', async () => {
    const m = BertForMaskedLM.create(config, 3);
    const files = await exportHfModel(m, vocab);
    expect(JSON.parse(files['config.json'])).toEqual(configToHf(config));
    expect(files['vocab.txt']).toBe(vocab);
    const { tensors, metadata } = readSafetensors(files['model.safetensors']);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.has('cls.predictions.decoder.weight')).toBe(false);
    expect(tensors.has('cls.predictions.decoder.bias')).toBe(false);
    expect(tensors.get('bert.encoder.layer.0.intermediate.dense.weight')!.shape).toEqual([128, 64]); // [out, in]
    const back = loadHfModel({ configJson: files['config.json'], safetensors: files['model.safetensors'] });
    const a = (await m.toStateDict());
    const b = (await back.toStateDict());
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)!.data, k).toEqual(v.data);
    await expect(exportHfModel(m, 'a\nb\n')).rejects.toThrow(/vocab.txt has 2 tokens/);
    m.dispose();
    back.dispose();
  });

  it('ignores pooler/NSP weights with notices, accepts bare BertModel keys and gamma/beta, uses tied aliases', async () => {
    const m = BertForMaskedLM.create(config, 4);
    const sd = (await m.toStateDict());
    const renamed = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [k, v] of sd) {
      let key = k.replace(/^bert\./, '').replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta');
      if (k === 'cls.predictions.bias') key = 'cls.predictions.decoder.bias';
      renamed.set(key, v);
    }
    renamed.set('bert.pooler.dense.weight', { shape: [64, 64], data: new Float32Array(64 * 64) });
    renamed.set('bert.pooler.dense.bias', { shape: [64], data: new Float32Array(64) });
    renamed.set('cls.seq_relationship.weight', { shape: [2, 64], data: new Float32Array(128) });
    renamed.set('cls.predictions.decoder.weight', sd.get('bert.embeddings.word_embeddings.weight')!);
    const notices: string[] = [];
    const back = loadHfModel({ configJson: configToHf(config), safetensors: writeSafetensors(renamed), onNotice: (n) => notices.push(n) });
    expect(notices.join('\n')).toMatch(/ignored 2 pooler/);
    expect(notices.join('\n')).toMatch(/next-sentence-prediction/);
    expect(notices.join('\n')).toMatch(/'cls.predictions.bias' taken from its tied alias/);
    const b = (await back.toStateDict());
    for (const [k, v] of sd) expect(b.get(k)!.data, k).toEqual(v.data);
    m.dispose();
    back.dispose();
  });

  it('lists every missing or mis-shaped tensor in one error', async () => {
    const m = BertForMaskedLM.create(config, 5);
    const sd = (await m.toStateDict());
    sd.delete('bert.encoder.layer.1.output.dense.bias');
    sd.delete('cls.predictions.transform.dense.weight');
    sd.set('bert.embeddings.position_embeddings.weight', { shape: [8, 64], data: new Float32Array(8 * 64) });
    const st = writeSafetensors(sd);
    let err: Error | undefined;
    try {
      loadHfModel({ configJson: configToHf(config), safetensors: st });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/missing 2 tensor\(s\): bert.encoder.layer.1.output.dense.bias, cls.predictions.transform.dense.weight/);
    expect(err?.message).toMatch(/position_embeddings.weight has shape \[8, 64\], expected \[16, 64\]/);
    m.dispose();
  });

  shared.it('loads the HF fixture with its tied decoder', async () => {
    const m = loadHfModel({
      configJson: readFileSync(resolve(fixture, 'config.json'), 'utf8'),
      safetensors: new Uint8Array(readFileSync(resolve(fixture, 'model.safetensors'))),
    });
    expect(m.config.numHiddenLayers).toBe(4);
    const files = await exportHfModel(m, readFileSync(resolve(fixture, 'vocab.txt'), 'utf8'));
    const orig = readSafetensors(new Uint8Array(readFileSync(resolve(fixture, 'model.safetensors')))).tensors;
    const out = readSafetensors(files['model.safetensors']).tensors;
    expect([...out.keys()].sort()).toEqual([...orig.keys()].sort());
    for (const [k, v] of orig) expect(out.get(k)!.data, k).toEqual(v.data);
    m.dispose();
  });
});

describe('non-finite weights', () => {
  it('a model with a NaN weight is refused when loaded, naming the tensor', async () => {
    await tf.setBackend('cpu');
    const config = { ...bertPresets.tiny(50, 16), numHiddenLayers: 1 };
    const m = BertForMaskedLM.create(config, 1);
    const sd = await m.toStateDict();
    m.dispose();
    sd.get('bert.encoder.layer.0.output.dense.bias')!.data[3] = NaN;
    expect(() => BertForMaskedLM.fromStateDict(config, new Map([...sd].map(([k, v]) => [k, { dtype: 'F32', ...v }])) as never)).toThrow(
      /weight 'bert\.encoder\.layer\.0\.output\.dense\.bias' holds NaN at index 3/,
    );
  });
});
