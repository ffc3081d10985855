// The experiment layer's public API (docs/ARCHITECTURE.md, "experiment").
export * from './recipe';
export * from './storage';
export * from './events';
export { evaluate, relativeToTeacher, type EvalOptions, type EvaluationResult, type MetricScores, type RelativeScores } from './evaluate';
export { ExperimentRunner, type NodeResult, type RunnerOptions, type RunSummary } from './runner';
export { summaryRows, summaryTable, type SummaryRow } from './summary';
export { keptLayers, studentFromTeacher, type StudentCut } from './studentFromTeacher';
export {
  readState,
  readEval,
  readHistory,
  loadModel,
  clearNode,
  nodeKey,
} from './checkpoints';
export { stageConfigOf, checkTrainingConfig } from './trainingOptions';
