/** Progress of one optimizer step, reported by trainStage's onStep (the experiment layer adds nodeId/stage). */
export interface StepEvent {
  /** optimizer steps completed, 1-based */
  step: number;
  totalSteps: number;
  /** 0-based epoch of this step */
  epoch: number;
  /** schedule phase of this step (0 unless a progressive/layerwise schedule) */
  phase: number;
  /** weighted total loss */
  loss: number;
  /** unweighted value of each active term: 'logits', 'soft', 'hidden/<s>', 'attn/<s>' */
  terms: Record<string, number>;
  /** learning rate used by this step's update */
  lr: number;
  /** global gradient norm before clipping */
  gradNorm: number;
  examplesPerSec: number;
  elapsedMs: number;
  etaMs: number;
}

export interface TrainResult {
  status: 'completed' | 'cancelled';
  /** optimizer steps completed (including resumed ones) */
  step: number;
  totalSteps: number;
  /** loss of the last completed step (NaN if none ran) */
  lastLoss: number;
}

/** A non-finite loss: the stage stops before applying that step's update. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly terms: Record<string, number>,
  ) {
    super(
      `loss is ${loss} at step ${step} (terms: ${Object.entries(terms)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}); the update of that step was not applied`,
    );
  }
}
