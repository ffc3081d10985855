import * as tf from '@tensorflow/tfjs';
import { headOfSet, type SqgExampleSet } from '../data/sqgExampleSet';
import { hfParamName, type BertForMaskedLM } from '../model/bertForMaskedLM';
import { AdamW, isExcludedFromDecay } from './adamw';
import { clipCoefficient } from './gradClip';
import { learningRateAt, warmupStepsFor } from './lrSchedule';
import { Rng } from './rng';
import type { StageConfig, StageKind } from './stageConfig';
import { computeGradients, lossPlan, type GradientsOf } from './stepGradients';
import { stageConfigProblems, StageConfigError } from './stageConfig';
import { NonFiniteLossError, type StepEvent, type TrainResult } from './stepEvent';
import { loadWeightsInto } from './loadWeightsInto';
import { resumeProblems, type LazyTrainState, type TrainState } from './trainState';

export interface TrainStageOptions {
  kind: StageKind;
  /** trained in place (its variables hold the result when trainStage returns, also after cancel or error) */
  student: BertForMaskedLM;
  /** distill only: frozen, run without dropout and outside the gradient tape */
  teacher?: BertForMaskedLM;
  /**
   * every example; the first floor(size * config.trainFraction) are used (the study's --data_rate). Rows are built
   * with `example(i)` when their batch is drawn (wrap an array with arrayExampleSet).
   */
  examples: SqgExampleSet;
  config: StageConfig;
  resume?: TrainState;
  signal?: AbortSignal;
  /**
   * Called after each optimizer step, outside any gradient tape. It may return a Promise (e.g. generating sample
   * questions with the student, in eval mode): trainStage awaits it before the step's checkpoint and the next step.
   * A void return costs nothing extra (and any other non-Promise return value is ignored).
   */
  onStep?: ((e: StepEvent) => void) | ((e: StepEvent) => Promise<void>);
  onCheckpoint?: (s: TrainState) => Promise<void>;
  /**
   * Instead of onCheckpoint: the same state with its tensors as LazyArrays, read while the callback runs (a storage
   * writer then holds one tensor's copy at a time). Used by the runner; onCheckpoint keeps states to hold on to.
   */
  onCheckpointLazy?: (s: LazyTrainState) => Promise<void>;
  /**
   * Where each step's gradient comes from (default: computeGradients, in this thread). The Node CLI plugs in a
   * worker-thread pool (src/node/pool/trainingPool.ts) that splits the step's micro-batches over threads; clipping
   * and the optimizer step stay here.
   */
  gradientsOf?: GradientsOf;
  /** the clock for config.checkpointEveryMinutes, ms (default performance.now; tests pass their own) */
  now?: () => number;
}

/** A timed checkpoint never comes sooner than this many times the last checkpoint's duration (≤ ~5 % of the time). */
export const CHECKPOINT_TIME_SHARE = 20;

/**
 * One stage's train loop, mirroring the loop of SQG_train.py / distil.py:
 *   for epoch: for batch in DataLoader(RandomSampler):   # shuffled each epoch, last batch may be short
 *     loss = outputs.loss [+ soft_cross_entropy(...) + layer MSEs]   (distil.py: teacher under torch.no_grad, eval())
 *     loss.backward(); clip_grad_norm_(max_grad_norm); optimizer.step(); scheduler.step()
 * t_total = len(train_dataloader) * num_train_epochs; one optimizer step per batch. With config.microBatchSize the
 * batch's gradient is accumulated over micro-batches (stepGradients.ts), then clipped and applied once.
 * Batches are padded to their longest row (the study pads to 512).
 */
export async function trainStage(opts: TrainStageOptions): Promise<TrainResult> {
  const { kind, student, teacher, config: cfg, resume, signal, onStep, onCheckpoint, onCheckpointLazy } = opts;
  const now = opts.now ?? (() => performance.now());
  const problems = stageConfigProblems(kind, cfg);
  if (problems.length > 0) throw new StageConfigError(problems);

  const examples = headOfSet(opts.examples, Math.floor(opts.examples.size * cfg.trainFraction));
  if (examples.size === 0) {
    throw new Error(`no training examples: ${opts.examples.size} given, trainFraction ${cfg.trainFraction} keeps none`);
  }
  const stepsPerEpoch = Math.ceil(examples.size / cfg.batchSize);
  const totalSteps = stepsPerEpoch * cfg.epochs;
  const warmupSteps = warmupStepsFor(totalSteps, cfg.warmupRatio);
  const plan = lossPlan(kind, student, teacher, cfg, stepsPerEpoch);

  if (resume) {
    const p = resumeProblems(resume, { kind, totalSteps, stepsPerEpoch, numExamples: examples.size });
    if (p.length > 0) throw new Error(`cannot resume from this train state:\n- ${p.join('\n- ')}`);
  }

  if (resume?.weights) loadWeightsInto(student, resume.weights);
  const model = student;
  const dropout = { hidden: cfg.hiddenDropout, attention: cfg.attentionDropout };
  const vars = model.trainableVariables();
  // distil.py / SQG_train.py: AdamW(grouped params, lr=args.learning_rate, eps=args.adam_epsilon=1e-8),
  // weight_decay only on params whose name contains neither "bias" nor "LayerNorm.weight".
  const optimizer = new AdamW(vars, { eps: 1e-8, weightDecay: cfg.weightDecay, excludeFromDecay: (name) => isExcludedFromDecay(hfParamName(name)) });
  const rng = new Rng(cfg.seed);
  let step = 0;
  let lastLoss = NaN;
  try {
    if (resume) {
      optimizer.setState(resume.optimizer);
      step = resume.step;
    }
    const started = performance.now();
    let examplesDone = 0;
    let stepsDone = 0;
    let lastCheckpointStep = step;
    // timed checkpoints: when the last one ended and how long it took
    let lastCheckpointAt = now();
    let lastCheckpointMs = 0;
    const startEpoch = Math.floor(step / stepsPerEpoch);
    let epochStartRng = rng.getState(); // rng state before the current epoch's shuffle
    let orderEpoch = -1; // epoch whose order has been drawn

    /** Checkpoint after `step` completed steps; `rngNow` = the stream position for the next step. */
    const checkpoint = async (rngNow: number): Promise<void> => {
      if (!onCheckpoint && !onCheckpointLazy) return;
      const epoch = Math.floor(step / stepsPerEpoch);
      // At an epoch boundary the next epoch starts fresh: its shuffle is redrawn from epochStart on resume.
      const boundary = step % stepsPerEpoch === 0;
      const e0 = boundary && orderEpoch === epoch ? epochStartRng : rngNow;
      lastCheckpointStep = step;
      const head = {
        version: 1 as const,
        kind,
        step,
        epoch,
        totalSteps,
        stepsPerEpoch,
        numExamples: examples.size,
        rng: boundary ? { epochStart: e0, current: e0 } : { epochStart: epochStartRng, current: rngNow },
      };
      const t0 = now();
      if (onCheckpointLazy) await onCheckpointLazy({ ...head, optimizer: optimizer.lazyState(), weights: model.lazyStateDict() });
      else await onCheckpoint!({ ...head, optimizer: await optimizer.getState(), weights: await model.toStateDict() });
      lastCheckpointAt = now();
      lastCheckpointMs = lastCheckpointAt - t0;
    };
    const timedCheckpointDue = (): boolean =>
      cfg.checkpointEveryMinutes > 0 &&
      now() - lastCheckpointAt >= Math.max(cfg.checkpointEveryMinutes * 60_000, CHECKPOINT_TIME_SHARE * lastCheckpointMs);
    /** Stop on abort: save the work since the last checkpoint, so a resume loses nothing. */
    const cancel = async (rngNow: number): Promise<TrainResult> => {
      if (step > lastCheckpointStep) await checkpoint(rngNow);
      return { status: 'cancelled', step, totalSteps, lastLoss };
    };

    for (let epoch = startEpoch; epoch < cfg.epochs; epoch++) {
      let firstBatch = 0;
      let order: number[];
      if (resume && epoch === startEpoch && step % stepsPerEpoch !== 0) {
        // mid-epoch checkpoint: redraw this epoch's order from its start state, then continue the stream
        rng.setState(resume.rng.epochStart);
        epochStartRng = resume.rng.epochStart;
        order = epochOrder(examples.size, cfg.shuffle, rng);
        rng.setState(resume.rng.current);
        firstBatch = step % stepsPerEpoch;
      } else {
        if (resume && epoch === startEpoch) rng.setState(resume.rng.current);
        epochStartRng = rng.getState();
        order = epochOrder(examples.size, cfg.shuffle, rng);
      }
      orderEpoch = epoch;

      for (let b = firstBatch; b < stepsPerEpoch; b++) {
        if (signal?.aborted) return await cancel(rng.getState());
        const rows = order.slice(b * cfg.batchSize, (b + 1) * cfg.batchSize).map((i) => examples.example(i));
        const rngBefore = rng.getState();
        const dropoutSeed = rng.nextUint32();
        const { phase, terms } = plan.termsAt(step);
        const lr = learningRateAt(step, cfg.learningRate, warmupSteps, totalSteps);

        const stepInputs = {
          model, teacher, vars, rows, terms, plan, seed: dropoutSeed, dropout, recompute: cfg.recomputeLayers, microBatchSize: cfg.microBatchSize,
        };
        const { stats, grads } = opts.gradientsOf ? await opts.gradientsOf(stepInputs) : computeGradients(stepInputs);
        let values: Float32Array;
        try {
          values = (await stats.data()) as Float32Array;
        } finally {
          stats.dispose();
        }
        const loss = values[0];
        const gradNorm = values[1];
        const termValues: Record<string, number> = {};
        terms.forEach((name, i) => (termValues[name] = values[2 + i]));
        if (!Number.isFinite(loss)) {
          disposeGrads(grads);
          throw new NonFiniteLossError(step + 1, loss, termValues);
        }
        if (!Number.isFinite(gradNorm)) {
          disposeGrads(grads);
          throw new Error(`gradient norm is ${gradNorm} at step ${step + 1} (loss ${loss}); the update of that step was not applied`);
        }
        if (signal?.aborted) {
          // aborted within the step: drop its gradients, rewind the stream to before its dropout seed
          disposeGrads(grads);
          return await cancel(rngBefore);
        }
        const coef = clipCoefficient(gradNorm, cfg.maxGradNorm);
        tf.tidy(() => {
          const clipped = grads.map((g) => (g === null || coef === 1 ? g : tf.mul(g, coef)));
          optimizer.applyGradients(clipped, lr);
        });
        disposeGrads(grads);

        step++;
        stepsDone++;
        examplesDone += rows.length;
        lastLoss = loss;
        const elapsedMs = performance.now() - started;
        const pending = onStep?.({
          step,
          totalSteps,
          epoch,
          phase,
          loss,
          terms: termValues,
          lr,
          gradNorm,
          examplesPerSec: elapsedMs > 0 ? (examplesDone * 1000) / elapsedMs : 0,
          elapsedMs,
          etaMs: (elapsedMs / stepsDone) * (totalSteps - step),
        });
        // the caller's work between steps (e.g. samples): the update is applied and no tape is open
        if (isPromiseLike(pending)) await pending;

        const epochEnd = step % stepsPerEpoch === 0;
        const periodic = cfg.checkpointEverySteps > 0 && step % cfg.checkpointEverySteps === 0;
        if (epochEnd || periodic || (step < totalSteps && timedCheckpointDue())) await checkpoint(rng.getState());
        // let an abort (or the UI) get a turn between steps
        await new Promise<void>((r) => setTimeout(r, 0));
      }
    }
    return { status: 'completed', step, totalSteps, lastLoss };
  } finally {
    optimizer.dispose();
  }
}

function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as PromiseLike<unknown>).then === 'function';
}

function disposeGrads(grads: (tf.Tensor | null)[]): void {
  for (const g of grads) g?.dispose();
}

function epochOrder(n: number, shuffle: boolean, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  return shuffle ? rng.shuffle(order) : order;
}

