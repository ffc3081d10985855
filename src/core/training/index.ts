// Public surface of the training module.
export { AdamW, isExcludedFromDecay, type AdamWOptions, type AdamWState } from './adamw';
export {
  attentionMse,
  computeLossTerms,
  hardCrossEntropy,
  hiddenStateMse,
  softCrossEntropyAtMask,
  softCrossEntropyStudy,
  type ForwardOutputs,
  type SoftForm,
} from './distillLosses';
export { clipByGlobalNorm, clipCoefficient, globalNorm } from './gradClip';
export { LayerMapError, layerTermNames, resolveLayerMap, type LayerMap, type LayerMapSpec, type LayerPair } from './layerMaps';
export { learningRateAt, linearWarmupDecayFactor, warmupStepsFor } from './lrSchedule';
export { Rng } from './rng';
export { activeTermsAt, layerTermGroups, phaseCount, phaseStepCount, SCHEDULE_KINDS, type PhaseLength, type ScheduleKind } from './schedules';
export { padBatch, type PaddedBatch } from './sqgBatch';
export {
  defaultStageConfig,
  resolveStageConfig,
  stageConfigProblems,
  StageConfigError,
  STAGE_KINDS,
  type DistillConfig,
  type DistillWeights,
  type StageConfig,
  type StageKind,
} from './stageConfig';
export { NonFiniteLossError, type StepEvent, type TrainResult } from './stepEvent';
export { trainStage, type TrainStageOptions } from './trainStage';
export { resumeProblems, type StateDictTensors, type TrainState } from './trainState';
