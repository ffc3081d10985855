// BertForMaskedLM in TF.js: backbone (embeddings + encoder layers) and MLM head, with parameters named as
// Hugging Face's state_dict keys. Linear weights are stored [in, out] so the hot path is the plain matMul(a, b).
import * as tf from '@tensorflow/tfjs';
import { assertValidConfig, type BertConfig } from './bertConfig';
import { bertEmbeddings, type ParamGetter } from './bertEmbeddings';
import { additiveMask, bertEncoderLayer } from './bertEncoderLayer';
import { checkpointLayer, type CheckpointedOutput } from './layerCheckpoint';
import type { DropoutContext } from './dropout';
import { embeddingLookup } from '../kernels/embeddingLookup';
import { mlmHead } from './mlmHead';
import { prefersKeptTransposeB } from '../kernels/fastMatMul';
import { encoderLayerSpecs, internalShape, layerPrefix, numel, parameterSpecs, type ParamSpec } from './parameterSpecs';
import { resolveStateDict, type StateTensor } from './stateDict';

export interface BertInputs {
  inputIds: tf.Tensor2D; // int32 [B,S]
  tokenTypeIds?: tf.Tensor2D; // int32 [B,S]; default zeros
  attentionMask?: tf.Tensor2D; // int32 [B,S] 1 = token, 0 = padding; default ones
}

export interface ForwardOptions {
  /** Dropout on (rates from the config). Default false. */
  training?: boolean;
  /** Seed for the dropout masks (same seed -> same masks). */
  seed?: number;
  /** Dropout rates for this call instead of the config's (a stage's `--dropout`, without copying the model). */
  dropout?: { hidden: number; attention: number };
  outputHiddenStates?: boolean;
  outputAttentions?: boolean;
  /**
   * Gradient checkpointing (layerCheckpoint.ts): under a gradient tape, keep only each encoder layer's input and run
   * the layer again in the backward pass. Same values and gradients; activation memory of one layer instead of all,
   * for about a third more compute per training step. Dropout stays identical in the re-run (seeded).
   */
  recompute?: boolean;
  /**
   * int32 [B] -> logits [B,V] at those positions; 'all' (default) -> [B,S,V]; 'none' -> no logits. With int32 [B] and
   * neither outputHiddenStates nor outputAttentions, the last encoder layer computes its output only at those rows
   * (keys/values over all positions): same values, less work (generation; [MASK]-only training).
   */
  headPositions?: tf.Tensor1D | 'all' | 'none';
  /**
   * Also return the last encoder layer's output at every position as `lastHidden` [B*S, H] (the MLM head's input),
   * so that a caller can apply the head in chunks of positions (mlmHead) instead of materialising [B,S,V] logits.
   */
  outputLastHidden?: boolean;
}

export interface ForwardOutput {
  logits?: tf.Tensor;
  /** Embedding output then each layer's output, [B,S,H] (empty unless outputHiddenStates). */
  hiddenStates: tf.Tensor3D[];
  /** Each layer's attention probabilities [B,heads,S,S] (empty unless outputAttentions). */
  attentions: tf.Tensor4D[];
  /** The last layer's output at every position, [B*S, H] (only with outputLastHidden). */
  lastHidden?: tf.Tensor2D;
}

let modelCounter = 0;

/** The Hugging Face parameter name of one of this module's variables (TF.js names carry a unique model prefix). */
export function hfParamName(variableName: string): string {
  const i = variableName.indexOf('/');
  return i >= 0 ? variableName.slice(i + 1) : variableName;
}

export class BertForMaskedLM {
  readonly config: BertConfig;
  private readonly vars: Map<string, tf.Variable>;
  private disposed = false;
  /** The word embeddings' transpose for the tied decoder at inference, with the data it was made from. */
  private decoderT: { source: object; t: tf.Tensor2D } | null = null;

  private constructor(config: BertConfig, vars: Map<string, tf.Variable>) {
    this.config = Object.freeze({ ...config });
    this.vars = vars;
  }

  private static build(config: BertConfig, init: (spec: ParamSpec, index: number) => tf.Tensor): BertForMaskedLM {
    assertValidConfig(config);
    const prefix = `bert_mlm_${++modelCounter}`;
    const vars = new Map<string, tf.Variable>();
    try {
      parameterSpecs(config).forEach((spec, i) => {
        const t = init(spec, i);
        vars.set(spec.name, tf.variable(t, true, `${prefix}/${spec.name}`));
        t.dispose();
      });
    } catch (e) {
      for (const v of vars.values()) v.dispose();
      throw e;
    }
    return new BertForMaskedLM(config, vars);
  }

  /** Random init as Hugging Face's _init_weights: Linear/Embedding ~ N(0, initializerRange) (padding row 0),
   *  LayerNorm weight 1, biases 0. Deterministic in `seed`. */
  static create(config: BertConfig, seed: number): BertForMaskedLM {
    return BertForMaskedLM.build(config, (spec, i) =>
      tf.tidy(() => {
        const shape = internalShape(spec);
        if (spec.kind === 'norm') return tf.ones(shape);
        if (spec.kind === 'bias') return tf.zeros(shape);
        const w = tf.randomNormal(shape, 0, config.initializerRange, 'float32', (seed * 100_003 + i * 7_919) >>> 0);
        if (spec.name === 'bert.embeddings.word_embeddings.weight') {
          const keep = tf.sub(1, tf.oneHot([config.padTokenId], shape[0]!).reshape([shape[0]!, 1]));
          return tf.mul(w, keep);
        }
        return w;
      }),
    );
  }

  /** From Hugging Face names and layouts (Linear [out, in]); see resolveStateDict for accepted variants. */
  static fromStateDict(config: BertConfig, tensors: Map<string, StateTensor>): BertForMaskedLM {
    const { params } = resolveStateDict(config, tensors);
    // a NaN/Inf weight would make every output NaN and every generated question empty: refuse it, naming the tensor
    for (const [name, t] of params) {
      const d = t.data;
      for (let i = 0; i < d.length; i++)
        if (!Number.isFinite(d[i]!)) throw new Error(`weight '${name}' holds ${d[i]} at index ${i}: the model's weights must be finite numbers`);
    }
    return BertForMaskedLM.build(config, (spec) =>
      tf.tidy(() => {
        const t = tf.tensor(params.get(spec.name)!.data, spec.hfShape, 'float32');
        return spec.kind === 'linear' ? tf.transpose(t) : t;
      }),
    );
  }

  /**
   * Every parameter (tied ones once) with HF names and layouts (Linear = [out, in]), in named_parameters() order.
   * Async: reads weights back with `data()`, never `dataSync()`, which loses the device on WebGPU.
   */
  async toStateDict(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    this.assertAlive();
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const spec of parameterSpecs(this.config)) {
      const v = this.vars.get(spec.name)!;
      const t = spec.kind === 'linear' ? tf.transpose(v) : v;
      try {
        const data = (await t.data()) as Float32Array;
        out.set(spec.name, { shape: [...spec.hfShape], data: Float32Array.from(data) });
      } finally {
        if (t !== v) t.dispose();
      }
    }
    return out;
  }

  /**
   * The state dict with each parameter read (transposed to HF layout) only when asked: a checkpoint writer holds one
   * parameter's copy at a time. Valid while the model's weights do not change.
   */
  lazyStateDict(): Map<string, { shape: number[]; data: { lazy: true; length: number; read(): Promise<Float32Array> } }> {
    this.assertAlive();
    const out = new Map<string, { shape: number[]; data: { lazy: true; length: number; read(): Promise<Float32Array> } }>();
    for (const spec of parameterSpecs(this.config)) {
      const v = this.vars.get(spec.name)!;
      const read = async () => {
        const t = spec.kind === 'linear' ? tf.transpose(v) : v;
        try {
          return (await t.data()) as Float32Array;
        } finally {
          if (t !== v) t.dispose();
        }
      };
      out.set(spec.name, { shape: [...spec.hfShape], data: { lazy: true, length: v.size, read } });
    }
    return out;
  }

  /** All parameters (tied ones once), in HF named_parameters() order. */
  trainableVariables(): tf.Variable[] {
    this.assertAlive();
    return [...this.vars.values()];
  }

  /** HF name -> variable (internal layouts: Linear weights [in, out]). */
  namedVariables(): Map<string, tf.Variable> {
    this.assertAlive();
    return new Map(this.vars);
  }

  /** The variable of one HF parameter name (internal layout). */
  getVariable(name: string): tf.Variable {
    this.assertAlive();
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter '${name}'`);
    return v;
  }

  forward(inputs: BertInputs, opts: ForwardOptions = {}): ForwardOutput {
    this.assertAlive();
    const c = opts.dropout
      ? { ...this.config, hiddenDropoutProb: opts.dropout.hidden, attentionProbsDropoutProb: opts.dropout.attention }
      : this.config;
    const { inputIds } = inputs;
    if (inputIds.rank !== 2) throw new Error(`inputIds must be [batch, seq], got [${inputIds.shape}]`);
    const [b, s] = inputIds.shape;
    if (s > c.maxPositionEmbeddings)
      throw new Error(`sequence length ${s} exceeds maxPositionEmbeddings ${c.maxPositionEmbeddings}`);
    for (const [name, t] of [
      ['tokenTypeIds', inputs.tokenTypeIds],
      ['attentionMask', inputs.attentionMask],
    ] as const)
      if (t && (t.rank !== 2 || t.shape[0] !== b || t.shape[1] !== s))
        throw new Error(`${name} must have the shape of inputIds [${b}, ${s}], got [${t.shape}]`);
    const head = opts.headPositions ?? 'all';
    if (typeof head !== 'string' && (head.rank !== 1 || head.shape[0] !== b))
      throw new Error(`headPositions must be an int32 [${b}] tensor, got [${head.shape}]`);
    const training = opts.training ?? false;
    // a re-run layer must draw the same dropout masks: fix a seed when none was given
    const seed = opts.seed ?? (opts.recompute && training ? Math.floor(Math.random() * 2 ** 31) : undefined);
    const ctx: DropoutContext = { training, seed };
    const layerParams = opts.recompute ? encoderLayerSpecs(c).map((spec) => spec.name) : [];
    const p: ParamGetter = (name) => this.vars.get(name)!;

    const result = tf.tidy(() => {
      const types = inputs.tokenTypeIds ?? (tf.zeros([b, s], 'int32') as tf.Tensor2D);
      const mask = inputs.attentionMask ?? (tf.ones([b, s], 'int32') as tf.Tensor2D);
      const maskAdd = additiveMask(mask);
      let x = bertEmbeddings(p, c, inputIds, types, ctx);
      const hiddenStates: tf.Tensor3D[] = [];
      const attentions: tf.Tensor4D[] = [];
      const h = c.hiddenSize;
      if (opts.outputHiddenStates) hiddenStates.push(tf.reshape(x, [b, s, h]));
      // int32 [B] rows of the flattened [B*S] positions the head reads
      const headRows =
        typeof head === 'string' ? undefined : (tf.add(tf.mul(tf.range(0, b, 1, 'int32'), s), tf.cast(head, 'int32')) as tf.Tensor1D);
      // Nobody reads the last layer's other rows: it computes its output at the head rows only (same values there).
      const pruneLast = headRows !== undefined && !opts.outputHiddenStates && !opts.outputAttentions && !opts.outputLastHidden;
      let atHeadRows = false; // x holds only the head rows ([B, H])
      for (let i = 0; i < c.numHiddenLayers; i++) {
        const queryRows = pruneLast && i === c.numHiddenLayers - 1 ? headRows : undefined;
        const prefix = layerPrefix(i);
        const consts = queryRows ? [maskAdd, queryRows] : [maskAdd];
        const run = (xi: tf.Tensor2D, pi: ParamGetter, [m, q]: tf.Tensor[]) =>
          bertEncoderLayer(pi, prefix, c, xi, b, s, m as tf.Tensor4D, ctx, q as tf.Tensor1D | undefined);
        const xi = x;
        // one tidy per layer: its intermediates go as soon as it is done (what a gradient needs is kept by the tape)
        const out = tf.tidy(
          () =>
            (opts.recompute
              ? checkpointLayer(run, xi, p, layerParams.map((n) => prefix + n), consts, opts.outputAttentions ?? false)
              : run(xi, p, consts)) as unknown as tf.TensorContainerObject,
        ) as unknown as CheckpointedOutput;
        x = out.hidden;
        atHeadRows = queryRows !== undefined;
        if (opts.outputHiddenStates) hiddenStates.push(tf.reshape(x, [b, s, h]));
        if (opts.outputAttentions) attentions.push(out.probs!);
      }
      let logits: tf.Tensor | undefined;
      const eT = !training && head !== 'none' ? this.inferenceDecoderT() : undefined;
      if (head === 'all') {
        logits = tf.reshape(mlmHead(p, c, x, eT), [b, s, c.vocabSize]);
      } else if (headRows !== undefined) {
        logits = mlmHead(p, c, atHeadRows ? x : embeddingLookup(x, headRows), eT);
      }
      const lastHidden = opts.outputLastHidden ? x : undefined;
      return { logits, hiddenStates, attentions, lastHidden } as unknown as tf.TensorContainerObject;
    }) as unknown as ForwardOutput;
    if (result.logits === undefined) delete result.logits;
    if (result.lastHidden === undefined) delete result.lastHidden;
    return result;
  }

  /** A copy (new variables) keeping these encoder layers (0-based) in the given order, renumbered 0..k-1. */
  withLayers(keep: number[]): BertForMaskedLM {
    this.assertAlive();
    const n = this.config.numHiddenLayers;
    const bad = keep.filter((i) => !Number.isInteger(i) || i < 0 || i >= n);
    if (bad.length) throw new Error(`withLayers: layer indices out of range 0..${n - 1}: ${bad.join(', ')}`);
    const config = { ...this.config, numHiddenLayers: keep.length };
    return BertForMaskedLM.build(config, (spec) => {
      const m = /^bert\.encoder\.layer\.(\d+)\.(.*)$/.exec(spec.name);
      const src = m ? `${layerPrefix(keep[Number(m[1])]!)}${m[2]}` : spec.name;
      return this.vars.get(src)!.clone();
    });
  }

  clone(): BertForMaskedLM {
    return this.withLayers([...Array(this.config.numHiddenLayers).keys()]);
  }

  /**
   * A copy (new variables) whose config has these dropout rates: the stage that trains it records what it trained
   * with, as the study's `stu_config.hidden_dropout_prob = args.dropout` before save_pretrained does, so the saved
   * config.json says it. (Training passes its rates to each forward anyway; the config's are documentation.)
   */
  withDropout(hidden: number, attention: number): BertForMaskedLM {
    this.assertAlive();
    const config = { ...this.config, hiddenDropoutProb: hidden, attentionProbsDropoutProb: attention };
    return BertForMaskedLM.build(config, (spec) => this.vars.get(spec.name)!.clone());
  }

  /** Number of parameters (tied ones once), from the variables. */
  numParameters(): number {
    let n = 0;
    for (const v of this.vars.values()) n += numel(v.shape);
    return n;
  }

  /**
   * On a backend that multiplies by an explicit transpose (WASM), the tied decoder's Eᵀ [H,V] is kept between
   * inference calls (generation scores every step with the same weights): no transpose of the [V,H] table per
   * step, and XNNPACK reuses its packed copy (mini4, 32 rows: 24 -> 8 ms per step; at the 1-3 rows of batch-1
   * greedy or beam-3 generation it also beats the native a·bᵀ kernel, 11 -> 1.4 ms). Remade when the weights change
   * (a variable's assign gives it new data); training steps do not use it for the model being trained. Public for a
   * frozen model's head applied outside forward (a distillation teacher's chunked soft loss); owned by the model.
   */
  inferenceDecoderT(): tf.Tensor2D | undefined {
    if (!prefersKeptTransposeB()) return undefined;
    const E = this.vars.get('bert.embeddings.word_embeddings.weight')!;
    if (this.decoderT?.source !== E.dataId) {
      this.decoderT?.t.dispose();
      this.decoderT = { source: E.dataId, t: tf.keep(tf.transpose(E as tf.Tensor2D)) };
    }
    return this.decoderT!.t;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.decoderT?.t.dispose();
    this.decoderT = null;
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('BertForMaskedLM has been disposed');
  }
}
