import { describe, expect, it } from 'vitest';
import { sharedStateDict, shareWeights } from './sharedWeights';

describe('shareWeights', () => {
  it('puts every tensor in one SharedArrayBuffer and reads them back as views, in order', () => {
    const state = new Map([
      ['a', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
      ['b', { shape: [1], data: Float32Array.from([-7.5]) }],
      ['c', { shape: [0], data: new Float32Array(0) }],
    ]);
    const shared = shareWeights(state);
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.buffer.byteLength).toBe(7 * 4);
    const back = sharedStateDict(shared);
    expect([...back.keys()]).toEqual(['a', 'b', 'c']);
    for (const [name, t] of state) {
      expect(back.get(name)!.shape).toEqual(t.shape);
      expect(Array.from(back.get(name)!.data)).toEqual(Array.from(t.data));
      expect(back.get(name)!.data.buffer).toBe(shared.buffer);
    }
    // a copy: later changes to the source do not reach the workers' weights
    state.get('a')!.data[0] = 99;
    expect(sharedStateDict(shared).get('a')!.data[0]).toBe(1);
  });
});
