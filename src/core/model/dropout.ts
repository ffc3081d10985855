// Dropout that is on only in training, with a per-site seed derived from the forward's seed (reproducible runs).
import * as tf from '@tensorflow/tfjs';

export interface DropoutContext {
  training: boolean;
  /** Base seed; undefined: fresh randomness each call. */
  seed?: number;
}

/** `site` names the dropout location (e.g. 'layer.3.attention.probs'); same seed + site -> same mask. */
export function maybeDropout<T extends tf.Tensor>(x: T, rate: number, ctx: DropoutContext, site: string): T {
  if (!ctx.training || rate <= 0) return x;
  const seed = ctx.seed === undefined ? undefined : seedFor(ctx.seed, site);
  return tf.dropout(x, rate, undefined, seed) as T;
}

/** A 31-bit integer from (seed, site) — FNV-1a over both. */
export function seedFor(seed: number, site: string): number {
  let h = 0x811c9dc5;
  const s = `${seed}|${site}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1;
}
