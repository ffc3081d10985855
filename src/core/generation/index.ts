export { generateQuestions, type GenerateOptions, type GeneratedQuestion } from './generateQuestions';
export { greedySearch } from './greedy';
export { beamSearch, beamStep, bestByMeanLogProb, type BeamOptions, type Hypothesis } from './beamSearch';
export { decodeBatched, type ItemSearch, type PromptOf } from './batchedDecode';
export type { Decoded, DecodeOptions } from './decodeOptions';
export { packPrompts, scorerFromModel, type MaskedLmModel, type NextTokenScorer, type Prompt, type PromptBatch } from './nextTokenScorer';
export { LogitsProcessorList, NoImmediateRepeatProcessor, defaultProcessors, type LogitsProcessor } from './logitsProcessors';
export {
  EosCriterion,
  MaxLengthCriterion,
  StoppingCriteriaList,
  defaultStoppingCriteria,
  type StopReason,
  type StoppingCriterion,
} from './stoppingCriteria';
