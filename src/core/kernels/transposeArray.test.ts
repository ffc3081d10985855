import { describe, expect, it } from 'vitest';
import { collapsePerm, handlesTranspose, transposeInto } from './transposeArray';

function reference(src: Float32Array, shape: number[], perm: number[]): Float32Array {
  const r = shape.length;
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const outShape = perm.map((a) => shape[a]!);
  const out = new Float32Array(src.length);
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let a = 0; a < r; a++) s += idx[a]! * strides[perm[a]!]!;
    out[k] = src[s]!;
    for (let a = r - 1; a >= 0; a--) {
      if (++idx[a]! < outShape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('transposeInto', () => {
  it('merges axes that stay together and drops size-1 axes', () => {
    expect(collapsePerm([2, 3, 4, 5], [0, 2, 3, 1])).toEqual({ shape: [2, 3, 20], perm: [0, 2, 1] });
    expect(collapsePerm([4, 1, 5], [2, 1, 0])).toEqual({ shape: [4, 5], perm: [1, 0] });
    expect(collapsePerm([2, 3, 4], [0, 1, 2])).toEqual({ shape: [24], perm: [0] });
  });

  it('equals the element-by-element definition for every permutation of ranks 1..4 (the ones it takes)', () => {
    let taken = 0;
    let declined = 0;
    for (const shape of [[7], [5, 19], [3, 17, 18], [1, 4, 5], [2, 3, 4, 17], [3, 1, 20, 2], [2, 33, 4, 16]]) {
      const n = shape.reduce((p, d) => p * d, 1);
      const src = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 3);
      for (const perm of permutations(shape.length)) {
        const dst = new Float32Array(n).fill(NaN);
        const took = transposeInto(src, shape, perm, dst);
        expect(took).toBe(handlesTranspose(shape, perm));
        if (took) {
          expect(Array.from(dst)).toEqual(Array.from(reference(src, shape, perm)));
          taken++;
        } else {
          expect(dst.every((v) => Number.isNaN(v))).toBe(true);
          declined++;
        }
      }
    }
    expect(taken).toBeGreaterThan(40);
    expect(declined).toBeGreaterThan(0);
  });
});
