// Parity with Hugging Face transformers' BertForMaskedLM on ../shared/fixtures/hf-bert-tiny (golden.json).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { BertForMaskedLM, hfParamName } from './bertForMaskedLM';
import { loadHfModel } from './hfFolder';
import { bertPresets } from './bertConfig';
import { withShared } from '../../testing/withShared';

const shared = withShared('bertForMaskedLM.test', ...['golden.json', 'config.json', 'model.safetensors'].map((f) => `fixtures/hf-bert-tiny/${f}`));
const fixture = shared.path('fixtures/hf-bert-tiny');

interface Batch {
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
  mask_positions: number[];
  labels: number[][];
  eval: {
    mask_logits: number[][];
    top5_ids: number[][][];
    top5_values: number[][][];
    logsumexp: number[][];
    hidden_states: number[][][][];
    attentions: number[][][][][];
  };
  train: { loss: number; ce_per_example: number[]; grad_l2: Record<string, number>; grad_full: Record<string, number[][]> };
}

let model: BertForMaskedLM;
const notices: string[] = [];
const maxErr: Record<string, number> = {};

function maxAbsDiff(a: tf.Tensor, expected: unknown): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, tf.tensor(expected as number[], a.shape)))).dataSync()[0]!);
}
function record(name: string, v: number): number {
  maxErr[name] = Math.max(maxErr[name] ?? 0, v);
  return v;
}
function inputsOf(b: Batch) {
  return {
    inputIds: tf.tensor2d(b.input_ids, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(b.token_type_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(b.attention_mask, undefined, 'int32'),
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

shared.describe('BertForMaskedLM parity with Hugging Face (hf-bert-tiny)', () => {
  const golden = JSON.parse(readFileSync(resolve(fixture, 'golden.json'), 'utf8')) as { num_parameters: number; batches: Batch[] };
  beforeAll(() => {
    model = loadHfModel({
      configJson: readFileSync(resolve(fixture, 'config.json'), 'utf8'),
      safetensors: new Uint8Array(readFileSync(resolve(fixture, 'model.safetensors'))),
      onNotice: (m) => notices.push(m),
    });
  });
  afterAll(() => {
    model?.dispose();
    console.log('parity max errors', JSON.stringify(maxErr));
  });

  it('loads the fixture with its parameter count', async () => {
    expect(model.numParameters()).toBe(golden.num_parameters);
    expect(model.trainableVariables().map((v) => hfParamName(v.name))).toEqual(
      Object.keys(golden.batches[0]!.train.grad_l2),
    );
    expect(notices).toEqual([]);
  });

  golden.batches.forEach((batch, bi) => {
    it(`batch ${bi}: eval hidden states, attentions, logits`, () => {
      const inputs = inputsOf(batch);
      const out = model.forward(inputs, { outputHiddenStates: true, outputAttentions: true, headPositions: 'all' });
      expect(out.hiddenStates.length).toBe(5);
      out.hiddenStates.forEach((h, i) => expect(record('hidden_states', maxAbsDiff(h, batch.eval.hidden_states[i]))).toBeLessThan(1e-4));
      out.attentions.forEach((a, i) => expect(record('attentions', maxAbsDiff(a, batch.eval.attentions[i]))).toBeLessThan(1e-4));
      const logits = out.logits!;
      const [B, S, V] = logits.shape;
      expect([B, S, V]).toEqual([batch.input_ids.length, batch.input_ids[0]!.length, 21128]);
      const lse = tf.tidy(() => tf.logSumExp(logits, -1));
      expect(record('logsumexp', maxAbsDiff(lse, batch.eval.logsumexp))).toBeLessThan(1e-4);
      const { values, indices } = tf.topk(logits, 5);
      expect(record('top5_values', maxAbsDiff(values, batch.eval.top5_values))).toBeLessThan(1e-4);
      // ids may swap only between near-ties
      const ids = indices.arraySync() as number[][][];
      const vals = batch.eval.top5_values;
      ids.forEach((row, b) =>
        row.forEach((pos, s) =>
          pos.forEach((id, k) => {
            if (id !== batch.eval.top5_ids[b]![s]![k]) expect(Math.abs(vals[b]![s]![k]! - (vals[b]![s]![k + 1] ?? -1e9))).toBeLessThan(1e-4);
          }),
        ),
      );
      // mask logits through headPositions
      const pos = tf.tensor1d(batch.mask_positions, 'int32');
      const atMask = model.forward(inputs, { headPositions: pos });
      expect(atMask.logits!.shape).toEqual([B, V]);
      expect(record('mask_logits', maxAbsDiff(atMask.logits!, batch.eval.mask_logits))).toBeLessThan(1e-4);
      tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask, out.logits!, ...out.hiddenStates, ...out.attentions]);
      tf.dispose([lse, values, indices, pos, atMask.logits!]);
    });

    it(`batch ${bi}: train loss, per-example CE and gradients through the custom matmul`, () => {
      const inputs = inputsOf(batch);
      const labels = batch.mask_positions.map((p, b) => batch.labels[b]![p]!);
      const pos = tf.tensor1d(batch.mask_positions, 'int32');
      const labelT = tf.oneHot(tf.tensor1d(labels, 'int32'), 21128);
      let ce: number[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const { logits } = model.forward(inputs, { training: false, headPositions: pos });
        const perEx = tf.neg(tf.sum(tf.mul(labelT, tf.logSoftmax(logits!)), -1));
        ce = Array.from(perEx.dataSync());
        return tf.mean(perEx) as tf.Scalar;
      }, model.trainableVariables());
      const rel = (a: number, e: number) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-12);
      expect(record('loss_rel', rel(value.dataSync()[0]!, batch.train.loss))).toBeLessThan(1e-3);
      ce.forEach((c, i) => expect(record('ce_rel', rel(c, batch.train.ce_per_example[i]!))).toBeLessThan(1e-3));
      const byHf = new Map(Object.entries(grads).map(([k, g]) => [hfParamName(k), g]));
      for (const [name, expected] of Object.entries(batch.train.grad_l2)) {
        const g = byHf.get(name);
        expect(g, name).toBeDefined();
        const norm = tf.tidy(() => tf.norm(g!).dataSync()[0]!);
        // biases whose true gradient is 0 (softmax-invariant key bias) compare absolutely
        if (expected < 1e-6) expect(record('grad_l2_abs_tiny', Math.abs(norm - expected)), name).toBeLessThan(1e-5);
        else expect(record('grad_l2_rel', rel(norm, expected)), name).toBeLessThan(1e-3);
      }
      const q = byHf.get('bert.encoder.layer.0.attention.self.query.weight')!; // internal [in,out]
      const qHf = tf.transpose(q);
      expect(record('grad_full', maxAbsDiff(qHf, batch.train.grad_full['bert.encoder.layer.0.attention.self.query.weight']))).toBeLessThan(1e-4);
      tf.dispose([value, qHf, pos, labelT, inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask, ...Object.values(grads)]);
    });
  });

  it('headPositions prunes the last layer to the head rows: same logits and gradients as the full path', async () => {
    const before = tf.memory().numTensors;
    for (const batch of golden.batches) {
      const inputs = inputsOf(batch);
      const pos = tf.tensor1d(batch.mask_positions, 'int32');
      const labels = batch.mask_positions.map((p, b) => batch.labels[b]![p]!);
      const labelT = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 21128));
      // outputHiddenStates keeps every row of the last layer (the unpruned path)
      const run = (full: boolean) =>
        tf.variableGrads(() => {
          const out = model.forward(inputs, { headPositions: pos, outputHiddenStates: full });
          return tf.mean(tf.neg(tf.sum(tf.mul(labelT, tf.logSoftmax(out.logits!)), -1))) as tf.Scalar;
        }, model.trainableVariables());
      const pruned = tf.tidy(() => model.forward(inputs, { headPositions: pos }).logits!);
      const full = tf.tidy(() => model.forward(inputs, { headPositions: pos, outputHiddenStates: true }).logits!);
      expect(record('pruned_logits', maxAbsDiff(pruned, full.arraySync()))).toBeLessThan(1e-5);
      const a = run(false);
      const b = run(true);
      expect(Math.abs(a.value.dataSync()[0]! - b.value.dataSync()[0]!)).toBeLessThan(1e-6);
      for (const [name, g] of Object.entries(b.grads)) {
        const ref = tf.tidy(() => tf.norm(g).dataSync()[0]!);
        const diff = tf.tidy(() => tf.norm(tf.sub(a.grads[name]!, g)).dataSync()[0]!);
        // key biases: true gradient 0 (softmax-invariant), both are rounding noise -> compare absolutely
        if (name.endsWith('attention.self.key.bias')) expect(record('pruned_grad_abs_key_bias', diff), name).toBeLessThan(1e-6);
        else expect(record('pruned_grad_rel', diff / ref), name).toBeLessThan(1e-5);
      }
      tf.dispose([pruned, full, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
      tf.dispose([pos, labelT, inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('withLayers([0,1]) equals the first two layers of the full model', async () => {
    const batch = golden.batches[0]!;
    const inputs = inputsOf(batch);
    const small = model.withLayers([0, 1]);
    expect(small.config.numHiddenLayers).toBe(2);
    const a = model.forward(inputs, { outputHiddenStates: true, headPositions: 'none' });
    const b = small.forward(inputs, { outputHiddenStates: true, headPositions: 'none' });
    expect(a.logits).toBeUndefined();
    expect(b.hiddenStates.length).toBe(3);
    for (let i = 0; i < 3; i++) expect(maxAbsDiff(b.hiddenStates[i]!, a.hiddenStates[i]!.arraySync())).toBe(0);
    // the copy is independent of the source
    expect(small.getVariable('bert.encoder.layer.1.output.dense.weight')).not.toBe(model.getVariable('bert.encoder.layer.1.output.dense.weight'));
    small.dispose();
    expect(model.forward(inputs, { headPositions: 'none' }).hiddenStates).toEqual([]);
    tf.dispose([...a.hiddenStates, ...b.hiddenStates, inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask]);
  });

  it('withLayers keeps chosen layers renumbered; clone is equal and independent', async () => {
    const batch = golden.batches[1]!;
    const inputs = inputsOf(batch);
    const picked = model.withLayers([1, 3]);
    const sd = (await picked.toStateDict());
    const full = (await model.toStateDict());
    expect(sd.get('bert.encoder.layer.1.attention.self.query.weight')!.data).toEqual(full.get('bert.encoder.layer.3.attention.self.query.weight')!.data);
    expect(sd.get('bert.encoder.layer.0.output.dense.weight')!.data).toEqual(full.get('bert.encoder.layer.1.output.dense.weight')!.data);
    expect(sd.has('bert.encoder.layer.2.output.dense.weight')).toBe(false);
    expect(() => model.withLayers([4])).toThrow(/out of range/);
    const c = model.clone();
    const pos = tf.tensor1d(batch.mask_positions, 'int32');
    const x = model.forward(inputs, { headPositions: pos }).logits!;
    const y = c.forward(inputs, { headPositions: pos }).logits!;
    expect(maxAbsDiff(x, y.arraySync())).toBe(0);
    c.getVariable('cls.predictions.bias').assign(tf.zeros([21128]));
    expect((await model.toStateDict()).get('cls.predictions.bias')!.data).toEqual(full.get('cls.predictions.bias')!.data);
    c.dispose();
    picked.dispose();
    tf.dispose([x, y, pos, inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask]);
  });
});

describe('BertForMaskedLM lifecycle', () => {
  it('create/forward/dispose leak no tensors; init is HF-like and seeded', async () => {
    const before = tf.memory().numTensors;
    const config = bertPresets.tiny(100, 32);
    const m = BertForMaskedLM.create(config, 7);
    const m2 = BertForMaskedLM.create(config, 7);
    expect((await m.toStateDict()).get('bert.encoder.layer.0.attention.self.query.weight')!.data).toEqual(
      (await m2.toStateDict()).get('bert.encoder.layer.0.attention.self.query.weight')!.data,
    );
    const sd = (await m.toStateDict());
    expect(sd.get('bert.embeddings.word_embeddings.weight')!.data.slice(0, 64).every((v) => v === 0)).toBe(true);
    expect(sd.get('bert.embeddings.LayerNorm.weight')!.data.every((v) => v === 1)).toBe(true);
    expect(sd.get('cls.predictions.bias')!.data.every((v) => v === 0)).toBe(true);
    const w = sd.get('bert.encoder.layer.1.intermediate.dense.weight')!;
    expect(w.shape).toEqual([128, 64]);
    const std = Math.sqrt(w.data.reduce((a, v) => a + v * v, 0) / w.data.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);

    const ids = tf.tensor2d([[2, 5, 6, 3, 0], [2, 7, 3, 0, 0]], undefined, 'int32');
    const mask = tf.tensor2d([[1, 1, 1, 1, 0], [1, 1, 1, 0, 0]], undefined, 'int32');
    const mid = tf.memory().numTensors;
    tf.tidy(() => {
      m.forward({ inputIds: ids, attentionMask: mask }, { outputHiddenStates: true, outputAttentions: true });
      m.forward({ inputIds: ids }, { training: true, seed: 1, headPositions: tf.tensor1d([1, 2], 'int32') });
    });
    expect(tf.memory().numTensors).toBe(mid);
    // dropout: seeded -> reproducible; different seeds differ; eval deterministic
    const run = (opts: object) => tf.tidy(() => Array.from(m.forward({ inputIds: ids, attentionMask: mask }, opts).logits!.dataSync()));
    expect(run({ training: true, seed: 3 })).toEqual(run({ training: true, seed: 3 }));
    expect(run({ training: true, seed: 3 })).not.toEqual(run({ training: true, seed: 4 }));
    expect(run({})).toEqual(run({ training: false, seed: 9 }));
    const shapes = tf.tidy(() => {
      const o = m.forward({ inputIds: ids }, { outputHiddenStates: true, outputAttentions: true });
      return [o.logits!.shape, o.hiddenStates.length, o.hiddenStates[0]!.shape, o.attentions[1]!.shape];
    });
    expect(shapes).toEqual([[2, 5, 100], 3, [2, 5, 64], [2, 2, 5, 5]]);
    // last-layer pruning at the head rows: equal to the full path in eval, finite with dropout, no leaks
    const at = tf.tensor1d([3, 1], 'int32');
    const mid2 = tf.memory().numTensors;
    const [prunedMax, dropLoss] = tf.tidy(() => {
      const pruned = m.forward({ inputIds: ids, attentionMask: mask }, { headPositions: at }).logits!;
      const full = m.forward({ inputIds: ids, attentionMask: mask }, { headPositions: at, outputAttentions: true }).logits!;
      const drop = tf.variableGrads(() => {
        const l = m.forward({ inputIds: ids, attentionMask: mask }, { training: true, seed: 5, headPositions: at }).logits!;
        return tf.mean(tf.logSumExp(l, -1)) as tf.Scalar;
      }, m.trainableVariables());
      const finite = Object.values(drop.grads).every((g) => tf.all(tf.isFinite(g)).dataSync()[0] === 1);
      return [tf.max(tf.abs(tf.sub(pruned, full))).dataSync()[0]!, finite ? drop.value.dataSync()[0]! : NaN];
    });
    expect(prunedMax).toBeLessThan(1e-5);
    expect(Number.isFinite(dropLoss)).toBe(true);
    expect(tf.memory().numTensors).toBe(mid2);
    at.dispose();
    const long = tf.zeros([1, 33], 'int32') as tf.Tensor2D;
    expect(() => m.forward({ inputIds: long })).toThrow(/maxPositionEmbeddings/);
    tf.dispose([ids, mask, long]);
    m.dispose();
    m2.dispose();
    expect(() => m.forward({ inputIds: ids })).toThrow(/disposed/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
