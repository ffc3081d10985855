// Benchmark of the matmul forms behind src/core/kernels/fastMatMul.ts on the current TF.js backend
// (run directly: `npx tsx scripts/bench/matmul.ts [backend]`, default wasm).
import * as tf from '@tensorflow/tfjs';
import type { BenchRow } from './types';
import { matMul, matMulStrategy, matMulTransposeB, matMulTransposeBCached, product, setMatMulStrategy } from '../../src/core/kernels/fastMatMul';
import { runIfMain } from './standalone';

function time(f: () => tf.Tensor, runs = 3, warm = 1): number {
  for (let i = 0; i < warm; i++) tf.tidy(f).dataSync();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) tf.tidy(f).dataSync();
  return (performance.now() - t0) / runs;
}

export async function benchMatMul(opts: { small?: boolean } = {}): Promise<BenchRow[]> {
  await tf.ready();
  const backend = tf.getBackend();
  const [n, k, m] = opts.small ? [128, 64, 192] : [1024, 256, 768];
  const [bh, s, d] = opts.small ? [8, 32, 16] : [32, 128, 64];
  const rows: BenchRow[] = [];
  const gflops = (flops: number, ms: number) => flops / ms / 1e6;
  const a = tf.randomNormal([n, k]) as tf.Tensor2D;
  const b = tf.randomNormal([k, m]) as tf.Tensor2D;
  const bT = tf.transpose(b) as tf.Tensor2D;
  const aT = tf.transpose(a) as tf.Tensor2D;
  const f2 = 2 * n * k * m;
  const add = (name: string, flops: number, ms: number) => {
    rows.push({ name: `${backend} ${name} ms`, value: +ms.toFixed(2), unit: 'ms' });
    rows.push({ name: `${backend} ${name} GFLOP/s`, value: +gflops(flops, ms).toFixed(2), unit: 'GFLOP/s' });
  };
  add(`matMul(a,b) [${n}x${k}]·[${k}x${m}]`, f2, time(() => tf.matMul(a, b)));
  add(`matMul(a,bT,false,true)`, f2, time(() => tf.matMul(a, bT, false, true)));
  add(`matMul(aT,b,true,false)`, f2, time(() => tf.matMul(aT, b, true, false)));
  add(`matMul(a,transpose(bT))`, f2, time(() => tf.matMul(a, tf.transpose(bT))));
  // forward + backward of the model's dense product (customGrad), vs plain autodiff
  const g = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(matMul(x as tf.Tensor2D, w as tf.Tensor2D)));
  const gPlain = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D)));
  add(`fastMatMul fwd+bwd`, 3 * f2, time(() => tf.add(...(g([a, b]).map((t) => tf.sum(t)) as [tf.Tensor, tf.Tensor]))));
  add(`tf.matMul autodiff fwd+bwd`, 3 * f2, time(() => tf.add(...(gPlain([a, b]).map((t) => tf.sum(t)) as [tf.Tensor, tf.Tensor]))));
  // batched attention products
  const q = tf.randomNormal([bh, s, d]) as tf.Tensor3D;
  const kk = tf.randomNormal([bh, s, d]) as tf.Tensor3D;
  const kT = tf.transpose(kk, [0, 2, 1]) as tf.Tensor3D;
  const f3 = 2 * bh * s * s * d;
  const saved = matMulStrategy(backend);
  for (const batched of ['native', 'loop', 'grouped-conv'] as const) {
    setMatMulStrategy(backend, { ...saved, batched });
    add(`batched ${batched} [${bh},${s},${d}]·[${bh},${d},${s}]`, f3, time(() => product(q, kT)));
  }
  setMatMulStrategy(backend, saved);
  add(`matMulTransposeB (Q·Kᵀ, current strategy)`, f3, time(() => matMulTransposeB(q, kk)));
  // tied decoder at a few rows: h[r,H]·E[V,H]ᵀ
  const V = opts.small ? 2000 : 21128;
  const H = opts.small ? 64 : 256;
  const E = tf.randomNormal([V, H]) as tf.Tensor2D;
  const ET = tf.transpose(E) as tf.Tensor2D; // as BertForMaskedLM.inferenceDecoderT keeps it between inference calls
  for (const r of [1, 3, 32]) {
    const h = tf.randomNormal([r, H]) as tf.Tensor2D;
    for (const transpose of ['native', 'explicit'] as const) {
      setMatMulStrategy(backend, { ...saved, transpose });
      add(`decoder ${transpose} [${r},${H}]·[${V},${H}]ᵀ`, 2 * r * H * V, time(() => matMulTransposeB(h, E)));
    }
    setMatMulStrategy(backend, saved);
    add(`decoder kept transpose [${r},${H}]·[${H},${V}] (inference)`, 2 * r * H * V, time(() => matMulTransposeBCached(h, E, ET)));
    h.dispose();
  }
  tf.dispose([a, b, bT, aT, q, kk, kT, E, ET]);
  return rows;
}

await runIfMain(import.meta.url, benchMatMul);
