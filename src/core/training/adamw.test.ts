import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, isExcludedFromDecay } from './adamw';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Hand computation of HF AdamW (b1 0.9, b2 0.999, eps 1e-8, lr 0.1, weight decay 0.01), in float64:
//   t=1, p=1, g=0.5: m=0.05, v=0.00025, step_size=0.1*sqrt(1-0.999)/(1-0.9)=0.0316228,
//        p = 1 - 0.0316228*0.05/(0.0158114+1e-8) = 0.90000006 ; decayed: p *= (1 - 0.1*0.01) -> 0.89910006
//   t=2, g=0.2: m=0.065, v=0.00028975, step_size=0.1*sqrt(1-0.999^2)/(1-0.9^2) ...
const EXPECT_DECAY = [0.8991000631822677, 0.8084333529183612];
const EXPECT_DECAY_NEG = [-1.8981003159105392, -1.9455717305690237];
const EXPECT_NO_DECAY = [0.9000000632455132, 0.8101425955771205];

describe('AdamW (HF transformers.AdamW)', () => {
  it('matches hand-computed values over two steps, with decay only outside bias/LayerNorm.weight', async () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'm1/bert.encoder.layer.0.output.dense.weight');
    const b = tf.variable(tf.tensor1d([1]), true, 'm1/bert.encoder.layer.0.output.dense.bias');
    const ln = tf.variable(tf.tensor1d([1]), true, 'm1/bert.embeddings.LayerNorm.weight');
    const opt = new AdamW([w, b, ln], { weightDecay: 0.01 });
    expect([0, 1, 2].map((i) => opt.decaysVariable(i))).toEqual([true, false, false]);
    opt.applyGradients([tf.tensor1d([0.5, -0.1]), tf.tensor1d([0.5]), tf.tensor1d([0.5])], 0.1);
    expect(Array.from(await w.data())).toEqual([expect.closeTo(EXPECT_DECAY[0], 6), expect.closeTo(EXPECT_DECAY_NEG[0], 6)]);
    expect((await b.data())[0]).toBeCloseTo(EXPECT_NO_DECAY[0], 6);
    expect((await ln.data())[0]).toBeCloseTo(EXPECT_NO_DECAY[0], 6);
    opt.applyGradients([tf.tensor1d([0.2, 0.3]), tf.tensor1d([0.2]), tf.tensor1d([0.2])], 0.1);
    expect(Array.from(await w.data())).toEqual([expect.closeTo(EXPECT_DECAY[1], 6), expect.closeTo(EXPECT_DECAY_NEG[1], 6)]);
    expect((await b.data())[0]).toBeCloseTo(EXPECT_NO_DECAY[1], 6);
    opt.dispose();
  });

  it('skips variables without a gradient (their step count stays)', async () => {
    const a = tf.variable(tf.tensor1d([1]), true, 'skip/a.weight');
    const c = tf.variable(tf.tensor1d([1]), true, 'skip/c.weight');
    const opt = new AdamW([a, c]);
    opt.applyGradients([tf.tensor1d([0.5]), null], 0.1);
    expect((await c.data())[0]).toBe(1);
    const s = await opt.getState();
    expect(s.steps).toEqual([1, 0]);
    expect(s.m[1]).toBeNull();
    opt.dispose();
  });

  it('round-trips its state: a restored optimizer continues identically', async () => {
    const mk = (name: string) => tf.variable(tf.tensor1d([1, -2]), true, name);
    const p1 = mk('rt1/x.weight');
    const o1 = new AdamW([p1], { weightDecay: 0.01 });
    o1.applyGradients([tf.tensor1d([0.5, -0.1])], 0.1);
    const state = await o1.getState();
    expect(state.m[0]).toBeInstanceOf(Float32Array);
    const p2 = tf.variable(p1.clone(), true, 'rt2/x.weight');
    const o2 = new AdamW([p2], { weightDecay: 0.01 });
    o2.setState(state);
    o1.applyGradients([tf.tensor1d([0.2, 0.3])], 0.1);
    o2.applyGradients([tf.tensor1d([0.2, 0.3])], 0.1);
    expect(Array.from(await p2.data())).toEqual(Array.from(await p1.data()));
    expect(() => o2.setState({ ...state, steps: [] })).toThrow(/holds 0 variables/);
    o1.dispose();
    o2.dispose();
  });

  it('groups by the study\'s no_decay substrings', () => {
    expect(isExcludedFromDecay('cls.predictions.bias')).toBe(true);
    expect(isExcludedFromDecay('bert.encoder.layer.3.attention.output.LayerNorm.weight')).toBe(true);
    expect(isExcludedFromDecay('bert.embeddings.word_embeddings.weight')).toBe(false);
  });
});
