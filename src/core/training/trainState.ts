import type { AdamWState } from './adamw';
import type { StageKind } from './stageConfig';

/** Weights in Hugging Face names and layouts (Linear = [out, in]), as BertForMaskedLM.toStateDict() returns them. */
export type StateDictTensors = Map<string, { shape: number[]; data: Float32Array }>;

/**
 * Everything needed to continue a stage exactly where it stopped (a checkpoint). Holds typed arrays and a Map:
 * the storage layer decides the byte format.
 */
export interface TrainState {
  version: 1;
  kind: StageKind;
  /** optimizer steps completed */
  step: number;
  /** epoch of the next step (floor(step / stepsPerEpoch)) */
  epoch: number;
  totalSteps: number;
  stepsPerEpoch: number;
  /** examples trained on (after trainFraction), to catch a resume against different data */
  numExamples: number;
  /** Rng states: at the start of the current epoch (before its shuffle) and now. */
  rng: { epochStart: number; current: number };
  optimizer: AdamWState;
  weights: StateDictTensors;
}

/**
 * A tensor's values read only when asked (while a checkpoint is written): saving then holds one tensor's copy at a
 * time instead of the whole state (1.2 GB at bert-base). Valid only during the onCheckpoint call that received it.
 */
export interface LazyArray {
  readonly lazy: true;
  readonly length: number;
  read(): Promise<Float32Array>;
}

export const isLazyArray = (v: unknown): v is LazyArray => typeof v === 'object' && v !== null && (v as LazyArray).lazy === true;

/** A TrainState whose tensors are LazyArrays (what onCheckpointLazy receives; storage writes it per tensor). */
export interface LazyTrainState extends Omit<TrainState, 'optimizer' | 'weights'> {
  optimizer: { names: string[]; steps: number[]; m: (LazyArray | null)[]; v: (LazyArray | null)[] };
  weights: Map<string, { shape: number[]; data: LazyArray }>;
}

/** Reasons a state cannot resume this run (empty when it can). */
export function resumeProblems(
  s: TrainState,
  expect: { kind: StageKind; totalSteps: number; stepsPerEpoch: number; numExamples: number },
): string[] {
  const p: string[] = [];
  if (s.version !== 1) p.push(`unsupported train-state version ${String(s.version)}`);
  if (s.kind !== expect.kind) p.push(`state is from a '${s.kind}' stage, this is '${expect.kind}'`);
  if (s.numExamples !== expect.numExamples) p.push(`state trained on ${s.numExamples} examples, this run has ${expect.numExamples}`);
  if (s.stepsPerEpoch !== expect.stepsPerEpoch) p.push(`state has ${s.stepsPerEpoch} steps per epoch, this run ${expect.stepsPerEpoch}`);
  if (s.totalSteps !== expect.totalSteps) p.push(`state has ${s.totalSteps} total steps, this run ${expect.totalSteps}`);
  if (!Number.isInteger(s.step) || s.step < 0 || s.step > expect.totalSteps) p.push(`state step ${s.step} is outside 0..${expect.totalSteps}`);
  return p;
}
