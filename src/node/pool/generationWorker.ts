// A generation pool's worker thread (started by generationPool.ts through tsWorkerBootstrap.mjs): its own TF.js
// backend and its own model, built from the pool's shared weights; each task generates the questions of its share.
import * as tf from '@tensorflow/tfjs';
import { generateQuestions } from '../../core/generation/generateQuestions';
import { BertForMaskedLM } from '../../core/model/bertForMaskedLM';
import { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import { initBackend } from '../loadInputs';
import type { GenerationInit, GenerationResult, GenerationTask } from './generationPool';
import { serveTasks } from './serveTasks';
import { sharedStateDict } from './sharedWeights';

serveTasks<GenerationInit, GenerationTask, GenerationResult>(async (init) => {
  await initBackend(init.backend);
  const tok = BertTokenizer.fromVocab(init.vocab);
  const model = BertForMaskedLM.fromStateDict(init.config, sharedStateDict(init.weights));
  return async ({ items, opts }) => {
    const questions = await generateQuestions(model, tok, items, opts);
    return { ids: questions.map((q) => q.ids), numTensors: tf.memory().numTensors };
  };
});
