// Gradient checkpointing for one encoder layer: the forward pass keeps only the layer's input (and references to its
// weights); the backward pass runs the layer again and differentiates that. Activation memory drops from every
// layer's intermediates to one layer's, for about one more forward pass of compute. TF.js has no checkpointing, so it
// is written here as a tf.customGrad whose gradient function computes a nested gradient.
import * as tf from '@tensorflow/tfjs';
import type { ParamGetter } from './bertEmbeddings';

export interface CheckpointedOutput {
  hidden: tf.Tensor2D;
  probs?: tf.Tensor4D;
}

type LayerRun = (x: tf.Tensor2D, p: ParamGetter, consts: tf.Tensor[]) => { hidden: tf.Tensor2D; probs: tf.Tensor4D };

interface EngineInternals {
  state: { activeTape: unknown };
  gradients(f: () => tf.Tensor, xs: tf.Tensor[], dy?: tf.Tensor, allowNoGradients?: boolean): { value: tf.Tensor; grads: tf.Tensor[] };
}

/**
 * Runs `run(x, p, consts)` (which must be deterministic: seeded dropout) so that only `x`, the parameters `names` and
 * `consts` are kept for the backward pass. `consts`: every other tensor the layer reads (attention mask, query rows),
 * passed in rather than closed over so that they outlive the forward pass; they get no gradient. `withProbs`: also
 * return the attention probabilities (with their gradient path).
 */
export function checkpointLayer(
  run: LayerRun,
  x: tf.Tensor2D,
  p: ParamGetter,
  names: string[],
  consts: tf.Tensor[],
  withProbs: boolean,
): CheckpointedOutput {
  const nw = names.length;
  let hiddenShape: [number, number] = [0, 0];
  let probsShape: [number, number, number, number] = [0, 0, 0, 0];
  // The layer's outputs as one flat tensor (customGrad returns one tensor): hidden, then probs when wanted.
  const flatRun = (xi: tf.Tensor, ws: tf.Tensor[], cs: tf.Tensor[]): tf.Tensor1D => {
    const byName = new Map(names.map((n, i) => [n, ws[i]!]));
    const out = run(xi as tf.Tensor2D, (n) => byName.get(n) ?? p(n), cs);
    hiddenShape = out.hidden.shape;
    probsShape = out.probs.shape;
    const parts = [tf.reshape(out.hidden, [-1])];
    if (withProbs) parts.push(tf.reshape(out.probs, [-1]));
    return (parts.length === 1 ? parts[0]! : tf.concat(parts)) as tf.Tensor1D;
  };
  const f = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const inputs = args as tf.Tensor[];
    save(inputs);
    return {
      value: tf.tidy(() => flatRun(inputs[0]!, inputs.slice(1, 1 + nw), inputs.slice(1 + nw))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const engine = tf.engine() as unknown as EngineInternals;
        // engine.gradients() run inside a backward pass replaces the outer pass's tape and clears it when done;
        // the outer pass still needs it afterwards to free its saved tensors.
        const outerTape = engine.state.activeTape;
        try {
          const xs = saved.slice(0, 1 + nw);
          const cs = saved.slice(1 + nw);
          const { value, grads } = engine.gradients(() => flatRun(xs[0]!, xs.slice(1), cs), xs, dy, true);
          value.dispose();
          return [...grads.map((g, i) => g ?? tf.zerosLike(xs[i]!)), ...cs.map((c) => tf.zerosLike(c))];
        } finally {
          engine.state.activeTape = outerTape;
        }
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Tensor1D;

  const flat = f(x, ...names.map((n) => p(n)), ...consts);
  const hiddenSize = hiddenShape[0] * hiddenShape[1];
  const hidden = tf.reshape(withProbs ? tf.slice(flat, 0, hiddenSize) : flat, hiddenShape) as tf.Tensor2D;
  if (!withProbs) return { hidden };
  const probs = tf.reshape(tf.slice(flat, hiddenSize), probsShape) as tf.Tensor4D;
  return { hidden, probs };
}
