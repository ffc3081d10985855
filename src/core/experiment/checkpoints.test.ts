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
    expect(keys).toHaveLength(2); // the index and the one array's chunk
    expect(await loadTrainState(s, 'n')).toEqual({ step: 2, w: new Float32Array([2]) });
    expect(await loadTrainState(s, 'other')).toBeUndefined();
  });

  it('writes each array in chunks of at most the limit, the index last, and round-trips bit for bit', async () => {
    const order: string[] = [];
    const sizes: number[] = [];
    class Recording extends MemoryStorage {
      override async putBytes(k: string, b: Uint8Array) {
        order.push(k);
        sizes.push(b.byteLength);
        return super.putBytes(k, b);
      }
      override async putJson(k: string, v: unknown) {
        order.push(k);
        return super.putJson(k, v);
      }
    }
    const s = new Recording();
    const w = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e-3);
    const state = { step: 3, weights: new Map([['w', { shape: [1000], data: w }]]), m: [new Float32Array([NaN, -0, 1]), null], ids: new Int32Array([7]) };
    await saveTrainState(s, 'n', state, 1024);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024);
    expect(sizes.filter((x) => x === 1024)).toHaveLength(3); // 4,000 bytes of w: 1024 × 3 + 928
    expect(order.at(-1)).toBe('nodes/n/train-state/state.json');
    const back = await loadTrainState<typeof state>(s, 'n');
    expect(back).toEqual(state);
    expect(new Uint8Array(back!.weights.get('w')!.data.buffer)).toEqual(new Uint8Array(w.buffer));
    // a crash before the index: the previous checkpoint is still the one that loads
    const crashing = new Recording();
    await saveTrainState(crashing, 'n', { step: 1, w: new Float32Array([1]) });
    crashing.putJson = async () => {
      throw new Error('killed');
    };
    await expect(saveTrainState(crashing, 'n', { step: 2, w: new Float32Array([2]) })).rejects.toThrow('killed');
    expect(await loadTrainState(crashing, 'n')).toEqual({ step: 1, w: new Float32Array([1]) });
  });

  it('names a damaged or missing chunk', async () => {
    const s = new MemoryStorage();
    await saveTrainState(s, 'n', { w: new Float32Array(300) }, 512);
    const [first] = (await s.list('nodes/n/train-state/t-')).sort();
    const bytes = (await s.getBytes(first!))!;
    bytes[5] ^= 0xff;
    await s.putBytes(first!, bytes);
    await expect(loadTrainState(s, 'n')).rejects.toThrow(/node 'n': train-state\/t-[^/]+\/0\.0\.bin is damaged/);
    await s.deletePrefix(first!);
    await expect(loadTrainState(s, 'n')).rejects.toThrow(/0\.0\.bin is missing/);
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
