// Transposition of a row-major typed array, for the patterns a transformer uses: any permutation that keeps the
// last axis last (copy contiguous rows: head split/merge), and (batched) 2-D transposes, done in cache-sized
// blocks. TF.js-wasm's Transpose walks element by element (~100 M floats/s here; a blocked 2-D transpose in JS
// runs at ~400 M); wasmTranspose.ts runs it on the WASM heap in place of that kernel for these patterns.

type Arr = Float32Array | Int32Array | Uint8Array;

/** Drops size-1 axes and merges axes that stay adjacent and in order: the same transposition on fewer axes. */
export function collapsePerm(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const keep = perm.filter((a) => shape[a] !== 1);
  // group runs of input axes that are consecutive in the output order
  const groups: number[][] = [];
  for (const a of keep) {
    const g = groups.at(-1);
    if (g && g.at(-1)! + 1 === a) g.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((x, y) => x[0]! - y[0]!);
  const newShape = byInput.map((g) => g.reduce((p, a) => p * shape[a]!, 1));
  const newPerm = groups.map((g) => byInput.indexOf(g));
  return { shape: newShape, perm: newPerm };
}

/** Whether transposeInto takes this transposition. */
export function handlesTranspose(shape: readonly number[], perm: readonly number[]): boolean {
  const c = collapsePerm(shape, perm);
  const r = c.shape.length;
  return r <= 1 || (r === 2 && c.perm[0] === 1) || (r === 3 && c.perm.join() === '0,2,1') || c.perm[r - 1] === r - 1;
}

const BLOCK = 16;

function transpose2d(src: Arr, srcOff: number, rows: number, cols: number, dst: Arr, dstOff: number): void {
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, rows);
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(j0 + BLOCK, cols);
      for (let i = i0; i < i1; i++) {
        const s = srcOff + i * cols;
        for (let j = j0; j < j1; j++) dst[dstOff + j * rows + i] = src[s + j]!;
      }
    }
  }
}

/**
 * Writes `src` (row-major, `shape`) transposed by `perm` into `dst`. Returns false, writing nothing, when the
 * transposition is none of the patterns above (the caller then uses a general kernel).
 */
export function transposeInto(src: Arr, shape: readonly number[], perm: readonly number[], dst: Arr): boolean {
  const c = collapsePerm(shape, perm);
  const r = c.shape.length;
  if (r <= 1) {
    dst.set(src.subarray(0, dst.length));
    return true;
  }
  if (r === 2 && c.perm[0] === 1) {
    transpose2d(src, 0, c.shape[0]!, c.shape[1]!, dst, 0);
    return true;
  }
  if (r === 3 && c.perm[0] === 0 && c.perm[1] === 2 && c.perm[2] === 1) {
    const [b, rows, cols] = c.shape as [number, number, number];
    for (let k = 0; k < b; k++) transpose2d(src, k * rows * cols, rows, cols, dst, k * rows * cols);
    return true;
  }
  if (c.perm[r - 1] !== r - 1) return false;
  // the last axis stays last: copy contiguous runs of `inner` values in output order
  const inner = c.shape[r - 1]!;
  const strides = new Array<number>(r).fill(1);
  for (let a = r - 2; a >= 0; a--) strides[a] = strides[a + 1]! * c.shape[a + 1]!;
  const outDims = c.perm.slice(0, r - 1).map((a) => c.shape[a]!);
  const outStrides = c.perm.slice(0, r - 1).map((a) => strides[a]!);
  const idx = new Array<number>(r - 1).fill(0);
  const runs = dst.length / inner;
  let srcOff = 0;
  for (let k = 0; k < runs; k++) {
    const o = k * inner;
    if (inner >= 16) dst.set(src.subarray(srcOff, srcOff + inner), o);
    else for (let j = 0; j < inner; j++) dst[o + j] = src[srcOff + j]!;
    // odometer over the output's outer axes
    for (let a = r - 2; a >= 0; a--) {
      srcOff += outStrides[a]!;
      if (++idx[a]! < outDims[a]!) break;
      srcOff -= outStrides[a]! * outDims[a]!;
      idx[a] = 0;
    }
  }
  return true;
}
