import * as tf from '@tensorflow/tfjs';
import type { LazyArray } from './trainState';

/**
 * AdamW with decoupled weight decay, mirroring `transformers.AdamW` (the optimizer both SQG_train.py and
 * distil.py build: `AdamW(optimizer_grouped_parameters, lr=args.learning_rate, eps=args.adam_epsilon)`):
 *   m = b1 m + (1-b1) g ;  v = b2 v + (1-b2) g^2 ;  denom = sqrt(v) + eps
 *   step_size = lr * sqrt(1 - b2^t) / (1 - b1^t)            (correct_bias=True)
 *   p = p - step_size * m / denom
 *   p = p - lr * weight_decay * p                            (decay applied after the update, as HF does)
 * torch.optim.AdamW differs only in decaying before the update and in eps placement (sqrt(v_hat)+eps);
 * we follow HF because that is what the study ran.
 * Parameter groups mirror `no_decay = ["bias", "LayerNorm.weight"]` (substring match on the HF name).
 * The step count is per variable, like torch's per-parameter `state["step"]`: a variable without a gradient
 * in a step (e.g. not reached by the active loss terms) is skipped entirely, as torch skips `p.grad is None`.
 */
export interface AdamWOptions {
  beta1?: number; // 0.9 (HF default betas)
  beta2?: number; // 0.999
  eps?: number; // 1e-8 (the study's --adam_epsilon default)
  weightDecay?: number; // 0 (the study's --weight_decay default)
  /** true when the variable gets no weight decay; default: HF name contains "bias" or "LayerNorm.weight". */
  excludeFromDecay?: (name: string) => boolean;
}

/** Serialisable optimizer state (for checkpoints): per variable, in `trainableVariables()` order. */
export interface AdamWState {
  names: string[];
  steps: number[];
  /** first moments; null where the variable has not been updated yet */
  m: (Float32Array | null)[];
  /** second moments */
  v: (Float32Array | null)[];
}

export const NO_DECAY_SUBSTRINGS = ['bias', 'LayerNorm.weight'] as const;

export function isExcludedFromDecay(name: string): boolean {
  return NO_DECAY_SUBSTRINGS.some((s) => name.includes(s));
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly decays: boolean[];
  private readonly steps: number[];
  private readonly m: (tf.Variable | null)[];
  private readonly v: (tf.Variable | null)[];

  constructor(
    readonly variables: tf.Variable[],
    opts: AdamWOptions = {},
  ) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    if (!(this.beta1 >= 0 && this.beta1 < 1)) throw new Error(`AdamW beta1 must be in [0, 1), got ${this.beta1}`);
    if (!(this.beta2 >= 0 && this.beta2 < 1)) throw new Error(`AdamW beta2 must be in [0, 1), got ${this.beta2}`);
    if (!(this.eps > 0)) throw new Error(`AdamW eps must be > 0, got ${this.eps}`);
    if (!(this.weightDecay >= 0)) throw new Error(`AdamW weightDecay must be >= 0, got ${this.weightDecay}`);
    const exclude = opts.excludeFromDecay ?? isExcludedFromDecay;
    this.decays = variables.map((v) => !exclude(v.name));
    this.steps = variables.map(() => 0);
    this.m = variables.map(() => null);
    this.v = variables.map(() => null);
  }

  /** Whether variable i is in the weight-decay group. */
  decaysVariable(i: number): boolean {
    return this.decays[i];
  }

  /**
   * One update with learning rate `lr`. `grads[i]` is the gradient of `variables[i]` (null: skip it).
   * Does not dispose the gradients.
   */
  applyGradients(grads: (tf.Tensor | null)[], lr: number): void {
    if (grads.length !== this.variables.length) {
      throw new Error(`AdamW: got ${grads.length} gradients for ${this.variables.length} variables`);
    }
    const { beta1: b1, beta2: b2, eps } = this;
    // one tidy per variable: the update's temporaries (~10 tensors of the variable's size) go before the next
    // variable's are made; one tidy around all of them held ~10x the model's size (bert-base: 4 GB, WASM's whole heap)
    for (let i = 0; i < grads.length; i++) {
      const g = grads[i];
      if (g === null) continue;
      tf.tidy(() => {
        const p = this.variables[i];
        if (!tf.util.arraysEqual(g.shape, p.shape)) {
          throw new Error(`AdamW: gradient of ${p.name} has shape [${g.shape}], variable has [${p.shape}]`);
        }
        let m = this.m[i];
        let v = this.v[i];
        if (m === null || v === null) {
          m = this.m[i] = tf.variable(tf.zerosLike(p), false);
          v = this.v[i] = tf.variable(tf.zerosLike(p), false);
        }
        const t = ++this.steps[i];
        const newM = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const newV = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        m.assign(newM);
        v.assign(newV);
        const stepSize = (lr * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
        let next = tf.sub(p, tf.mul(tf.div(newM, tf.add(tf.sqrt(newV), eps)), stepSize));
        if (this.decays[i] && this.weightDecay > 0) next = tf.mul(next, 1 - lr * this.weightDecay);
        p.assign(next);
      });
    }
  }

  async getState(): Promise<AdamWState> {
    const read = (x: tf.Variable | null) => (x === null ? null : (x.data() as Promise<Float32Array>));
    const m = await Promise.all(this.m.map(read));
    const v = await Promise.all(this.v.map(read));
    return {
      names: this.variables.map((x) => x.name),
      steps: [...this.steps],
      m: m.map((a) => (a === null ? null : Float32Array.from(a))),
      v: v.map((a) => (a === null ? null : Float32Array.from(a))),
    };
  }

  /** The state with each moment read only when asked (see LazyArray): one tensor's copy at a time. */
  lazyState(): { names: string[]; steps: number[]; m: (LazyArray | null)[]; v: (LazyArray | null)[] } {
    const lazy = (x: tf.Variable | null): LazyArray | null =>
      x === null ? null : { lazy: true, length: x.size, read: async () => (await x.data()) as Float32Array };
    return { names: this.variables.map((x) => x.name), steps: [...this.steps], m: this.m.map(lazy), v: this.v.map(lazy) };
  }

  /**
   * Restore a state from `getState()`. Variables are matched by position; sizes must agree (names may differ
   * between sessions, e.g. when the model prefixes variable names with an instance id).
   */
  setState(state: AdamWState): void {
    const n = this.variables.length;
    if (state.steps.length !== n || state.m.length !== n || state.v.length !== n) {
      throw new Error(`AdamW.setState: state holds ${state.steps.length} variables, optimizer has ${n}`);
    }
    for (let i = 0; i < n; i++) {
      const p = this.variables[i];
      const m = state.m[i];
      const v = state.v[i];
      if ((m === null) !== (v === null)) throw new Error(`AdamW.setState: variable ${i} (${p.name}) has only one moment`);
      if (m !== null && v !== null && (m.length !== p.size || v.length !== p.size)) {
        throw new Error(
          `AdamW.setState: variable ${i} (${p.name}) has ${p.size} values, state has ${m.length}/${v.length}`,
        );
      }
      if (!(Number.isInteger(state.steps[i]) && state.steps[i] >= 0)) {
        throw new Error(`AdamW.setState: step of variable ${i} must be a non-negative integer, got ${state.steps[i]}`);
      }
    }
    this.disposeMoments();
    for (let i = 0; i < n; i++) {
      const m = state.m[i];
      const v = state.v[i];
      this.steps[i] = state.steps[i];
      if (m !== null && v !== null) {
        const shape = this.variables[i].shape;
        this.m[i] = tf.tidy(() => tf.variable(tf.tensor(m, shape, 'float32'), false));
        this.v[i] = tf.tidy(() => tf.variable(tf.tensor(v, shape, 'float32'), false));
      }
    }
  }

  private disposeMoments(): void {
    for (let i = 0; i < this.variables.length; i++) {
      this.m[i]?.dispose();
      this.v[i]?.dispose();
      this.m[i] = null;
      this.v[i] = null;
    }
  }

  dispose(): void {
    this.disposeMoments();
  }
}
