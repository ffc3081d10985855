import { describe, expect, it } from 'vitest';
import { loadTrainState, packState, saveTrainState, unpackState } from './checkpoints';
import { appendHistory, type HistoryPoint } from '../lab/history';
import { MemoryStorage } from './storage';

describe('train-state packing', () => {
  it('round-trips typed arrays, maps, nulls and non-finite numbers', () => {
    const state = {
      version: 1,
      step: 7,
      rng: { epochStart: 123, current: 4294967295 },
      optimizer: { names: ['a', 'b'], steps: [7, 0], m: [new Float32Array([1.5, -2]), null], v: [new Float32Array([0.25]), null] },
      weights: new Map([['w', { shape: [3], data: new Float32Array([1, 2, 3]) }]]),
      ids: new Int32Array([5, -6]),
      odd: new Float32Array(new ArrayBuffer(16), 4, 3),
      lastLoss: NaN,
      missing: undefined,
    };
    const { json, bytes } = packState(state);
    const back = unpackState<typeof state>(JSON.parse(JSON.stringify(json)), bytes);
    expect(back).toEqual(state);
    expect(back.weights.get('w')!.data).toBeInstanceOf(Float32Array);
    expect(back.ids).toBeInstanceOf(Int32Array);
  });

  it('keeps exactly one complete checkpoint per node', async () => {
    const s = new MemoryStorage();
    await saveTrainState(s, 'n', { step: 1, w: new Float32Array([1]) });
    await saveTrainState(s, 'n', { step: 2, w: new Float32Array([2]) });
    const keys = await s.list('nodes/n/train-state/');
    expect(keys).toHaveLength(2);
    expect(await loadTrainState(s, 'n')).toEqual({ step: 2, w: new Float32Array([2]) });
    expect(await loadTrainState(s, 'other')).toBeUndefined();
  });
});

describe('appendHistory', () => {
  it('halves the history when it reaches the cap, averaging neighbours', () => {
    const h: HistoryPoint[] = [];
    for (let i = 1; i <= 9; i++) appendHistory(h, { step: i, epoch: 0, loss: i, lr: 1, terms: { logits: i } }, 8);
    // 8 points merged into 4 at step 8, then the 9th appended
    expect(h.map((p) => p.step)).toEqual([2, 4, 6, 8, 9]);
    expect(h.map((p) => p.loss)).toEqual([1.5, 3.5, 5.5, 7.5, 9]);
    expect(h.map((p) => p.n)).toEqual([2, 2, 2, 2, 1]);
    expect(h[0]!.terms.logits).toBe(1.5);
  });
});
