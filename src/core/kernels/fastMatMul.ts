// The one place the model multiplies matrices. TF.js backends differ in which matmul forms are fast
// (../shared/notes/performance.md): on WASM only the plain 2-D `matMul(a, b)` is, and autodiff's backward pass uses the
// transposed forms. So every product here is a tf.customGrad whose forward *and* gradient go through `product()`,
// which picks the per-backend form. Benchmark: scripts/bench/matmul.ts.
import * as tf from '@tensorflow/tfjs';
import { groupedConvMatMul } from './groupedConvMatMul';

export interface MatMulStrategy {
  /** 'explicit': transpose with tf.transpose, then the plain form; 'native': matMul's transpose flags. */
  transpose: 'explicit' | 'native';
  /**
   * Batched 3-D products: one BatchMatMul ('native'), a loop of 2-D products ('loop'), or one depthwise convolution
   * ('grouped-conv', groupedConvMatMul.ts) when `a` has at least `groupedMinRows` rows per batch (below that, e.g. the
   * one [MASK] query row of a pruned last layer, BatchMatMul is faster).
   */
  batched: 'native' | 'loop' | 'grouped-conv';
  groupedMinRows?: number;
  /**
   * With 'explicit', a 2-D a·bᵀ whose `a` has at most this many rows uses the native flag instead: transposing a
   * large b (e.g. the tied [V,H] decoder at generation time, one row per example) costs more than the slow kernel.
   */
  nativeTransposeBMaxRows?: number;
}

const DEFAULT_STRATEGY: MatMulStrategy = { transpose: 'native', batched: 'native' };
const strategies: Record<string, MatMulStrategy> = {
  // measured (2 cores): plain 2-D 34 GFLOP/s vs 3.5 (a·bᵀ) and 1.0 (aᵀ·b); [1,256]·[21128,256]ᵀ: 7.6 ms native vs
  // 19.6 ms explicit. Attention products [128,128,64]·[128,64,128]: BatchMatMul 85 ms (3.1 GFLOP/s), depthwise-conv
  // form 24.5 ms (11 GFLOP/s, transposes included); [4,1,64]·[4,64,128] (one query row): BatchMatMul faster.
  // Also tried and slower than BatchMatMul: a loop of 2-D products (3x), one 2-D product per example against
  // block-diagonal K/V over all heads (2.3x: per-call weight packing), the native transpose flags for 3-D products.
  wasm: { transpose: 'explicit', batched: 'grouped-conv', groupedMinRows: 8, nativeTransposeBMaxRows: 4 },
  // cpu (tests and --backend cpu): its kernels take the transpose flags at the same speed, so the explicit transposes
  // only cost (fwd+bwd 0.9 vs 1.05 GFLOP/s; tied decoder at one row 3.1 vs 0.24 ms): the default strategy.
};

/** The strategy used on a backend (default: the current one). */
export function matMulStrategy(backend: string = tf.getBackend()): MatMulStrategy {
  return strategies[backend] ?? DEFAULT_STRATEGY;
}

/** Overrides the strategy of a backend (benchmarks, experiments). */
export function setMatMulStrategy(backend: string, s: MatMulStrategy): void {
  strategies[backend] = { ...s };
}

function swapLast2(x: tf.Tensor): tf.Tensor {
  return x.rank === 2 ? tf.transpose(x) : tf.transpose(x, [0, 2, 1]);
}

/** a·b for rank-2 or rank-3 (batched) a, b, with optional transposes, in the backend's preferred form. */
export function product<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T, transposeA = false, transposeB = false): T {
  const s = matMulStrategy();
  const smallRows =
    transposeB && !transposeA && a.rank === 2 && a.shape[0] <= (s.nativeTransposeBMaxRows ?? 0);
  if (s.transpose === 'explicit' && !smallRows) {
    if (transposeA) a = swapLast2(a) as T;
    if (transposeB) b = swapLast2(b) as T;
    transposeA = transposeB = false;
  }
  if (a.rank === 3 && s.batched === 'grouped-conv' && !transposeA && !transposeB && a.shape[1] >= (s.groupedMinRows ?? 0)) {
    return groupedConvMatMul(a as tf.Tensor3D, b as tf.Tensor3D) as T;
  }
  if (a.rank === 3 && s.batched === 'loop') {
    return tf.tidy(() => {
      const as = tf.unstack(a);
      const bs = tf.unstack(b);
      return tf.stack(as.map((ai, i) => tf.matMul(ai, bs[i]!, transposeA, transposeB)));
    }) as T;
  }
  return tf.matMul(a, b, transposeA, transposeB) as T;
}

type Fn2 = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

// y = a·b;  da = dy·bᵀ;  db = aᵀ·dy
const mm: Fn2 = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: product(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [product(dy as tf.Tensor2D, sb, false, true), product(sa, dy as tf.Tensor2D, true, false)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Fn2;

// y = a·bᵀ;  da = dy·b;  db = dyᵀ·a
const mmT: Fn2 = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: product(a as tf.Tensor2D, b as tf.Tensor2D, false, true),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [product(dy as tf.Tensor2D, sb), product(dy as tf.Tensor2D, sa, true, false)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Fn2;

/** x[N,in] · w[in,out] (or batched [B,N,K]·[B,K,M]), with fast forms in forward and backward. */
export function matMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  if (a.rank !== b.rank || (a.rank !== 2 && a.rank !== 3))
    throw new Error(`matMul: expected two rank-2 or two rank-3 tensors, got [${a.shape}] and [${b.shape}]`);
  return mm(a, b) as T;
}

/** a · bᵀ (e.g. hidden[N,H] · embeddings[V,H]ᵀ for a tied decoder; batched Q·Kᵀ), fast forms both ways. */
export function matMulTransposeB<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  if (a.rank !== b.rank || (a.rank !== 2 && a.rank !== 3))
    throw new Error(`matMulTransposeB: expected two rank-2 or two rank-3 tensors, got [${a.shape}] and [${b.shape}]`);
  return mmT(a, b) as T;
}

/** Whether a 2-D a·bᵀ with `rows` rows is computed from an explicit bᵀ on this backend (see nativeTransposeBMaxRows). */
export function prefersExplicitTransposeB(rows: number): boolean {
  const s = matMulStrategy();
  return s.transpose === 'explicit' && rows > (s.nativeTransposeBMaxRows ?? 0);
}

/**
 * Whether a product by a bᵀ the caller keeps between calls (matMulTransposeBCached) beats a·bᵀ on this backend, at
 * any row count: with 'explicit' transposes, the kept bᵀ costs no transpose per call and the backend reuses its
 * packed copy (WASM, [1,256]·[21128,256]ᵀ: 1.4 ms against 11 ms with the native flag; scripts/bench/matmul.ts).
 */
export function prefersKeptTransposeB(): boolean {
  return matMulStrategy().transpose === 'explicit';
}

/**
 * a[N,K] · b[M,K]ᵀ where the caller already holds bT = bᵀ (e.g. a model keeping its tied decoder's transpose while
 * its weights do not change): the forward is the plain a·bT, with no transpose and with weights the backend has
 * seen before (WASM's XNNPACK keeps a packed copy per weight tensor). Gradients are those of a·bᵀ, to a and b.
 */
export function matMulTransposeBCached(a: tf.Tensor2D, b: tf.Tensor2D, bT: tf.Tensor2D): tf.Tensor2D {
  if (bT.shape[0] !== b.shape[1] || bT.shape[1] !== b.shape[0])
    throw new Error(`matMulTransposeBCached: [${bT.shape}] is not the transpose of [${b.shape}]`);
  const f = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: product(x as tf.Tensor2D, bT),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [product(dy as tf.Tensor2D, sb), product(dy as tf.Tensor2D, sa, true, false)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Fn2;
  return f(a, b) as tf.Tensor2D;
}

