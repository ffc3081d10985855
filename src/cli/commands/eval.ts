// qglab eval --model DIR --data test.json [--beam 3] [--limit N] [--batch-size 32] [--vocab vocab.txt]
//            [--max-seq-len 512] [--questions out.json] [--backend wasm|cpu] [--threads N]
//            [--context-cut answer-window|head] [--normalize bert|none] [--timing-repeats 3]
// Generates a question for each test item (beam search, the study's settings) and scores them against the
// references: metrics JSON on stdout; --questions writes the generated questions too. --threads (default: one per
// core) splits the items over that many worker threads, each with its own backend and copy of the model (TF.js-WASM
// uses one core per thread); the questions are the same as with --threads 1, which runs in this thread. The time per
// question is the median of --timing-repeats runs of the first min(n, batch size) questions (stderr and the JSON's
// genTiming give the range); stderr warns when the scores are over fewer than 100 questions.
import { writeFileSync } from 'node:fs';
import { intFlag, optionalFlag, printJson, requireFlag, threadsFlag, type CliArgs } from '../args';
import { DEFAULT_SQG_LIMITS, PREDICTION_CONTEXT_MODES, describeContextCut, type ContextCutReport, type PredictionContextMode } from '../../core/data/sqgExamples';
import { SCORE_NORMALIZATIONS, type ScoreNormalization } from '../../core/metrics/normalize';
import { evaluate, type EvalOptions, type EvaluationResult } from '../../core/experiment/evaluate';
import { describeTiming, fewQuestionsNote } from '../../core/experiment/evalFacts';
import type { BertConfig } from '../../core/model/bertConfig';
import { initBackend, loadModelForInference, readDataset } from '../../node/loadInputs';
import { evaluateOnPool } from '../../node/pool/evaluateOnPool';
import { openPoolFromFolder } from '../../node/pool/poolFromFolder';

export async function run(args: CliArgs): Promise<void> {
  const modelDir = requireFlag(args, 'model');
  const dataPath = requireFlag(args, 'data');
  const beamSize = intFlag(args, 'beam', 3);
  if (beamSize < 1) throw new Error('--beam must be a positive integer (1 = greedy)');
  const limitRaw = optionalFlag(args, 'limit');
  const limit = limitRaw !== undefined ? intFlag(args, 'limit', 0) : undefined;
  if (limit !== undefined && limit < 1) throw new Error('--limit must be a positive integer');
  const batchSize = intFlag(args, 'batch-size', 32);
  if (batchSize < 1) throw new Error('--batch-size must be a positive integer');
  const backendName = optionalFlag(args, 'backend') ?? 'wasm';
  const contextCut = (optionalFlag(args, 'context-cut') ?? 'answer-window') as PredictionContextMode;
  if (!PREDICTION_CONTEXT_MODES.includes(contextCut)) throw new Error(`option --context-cut must be 'head' or 'answer-window', got '${contextCut}'`);
  const normalize = (optionalFlag(args, 'normalize') ?? 'bert') as ScoreNormalization;
  if (!SCORE_NORMALIZATIONS.includes(normalize)) throw new Error(`option --normalize must be 'bert' or 'none', got '${normalize}'`);
  const timingRepeats = intFlag(args, 'timing-repeats', 3);
  if (timingRepeats < 1) throw new Error('--timing-repeats must be a positive integer');
  const items = await readDataset(dataPath);
  // no more threads than questions: an idle worker would only cost its start and its copy of the model
  const threads = Math.min(threadsFlag(args), limit ?? items.length, items.length);
  const evalOptions = (config: BertConfig): EvalOptions => {
    const maxSeqLen = intFlag(args, 'max-seq-len', Math.min(DEFAULT_SQG_LIMITS.maxSeqLen, config.maxPositionEmbeddings));
    if (maxSeqLen > config.maxPositionEmbeddings)
      throw new Error(`--max-seq-len ${maxSeqLen} exceeds the model's ${config.maxPositionEmbeddings} positions`);
    return { beamSize, limit, batchSize, timingRepeats, context: contextCut, normalize, limits: { ...DEFAULT_SQG_LIMITS, maxSeqLen } };
  };
  let r: EvaluationResult;
  let backend = backendName;
  if (threads > 1) {
    const { pool, config, tokenizer } = await openPoolFromFolder(modelDir, { vocabFile: optionalFlag(args, 'vocab'), threads, backend });
    try {
      r = await evaluateOnPool(pool, config, tokenizer, items, evalOptions(config));
    } finally {
      await pool.close();
    }
  } else {
    backend = await initBackend(backendName);
    const { model, tokenizer } = await loadModelForInference(modelDir, optionalFlag(args, 'vocab'));
    try {
      r = await evaluate(model, tokenizer, items, evalOptions(model.config));
    } finally {
      model.dispose();
    }
  }

  process.stderr.write(`qglab: ${describeContextCut(r.contextCut as ContextCutReport)}; references scored '${r.normalize}'\n`);
  process.stderr.write(`qglab: generation ${describeTiming(r.genTiming)}\n`);
  const few = fewQuestionsNote(r.n);
  if (few) process.stderr.write(`qglab: ${few}\n`);
  const questionsPath = optionalFlag(args, 'questions');
  if (questionsPath) writeFileSync(questionsPath, JSON.stringify(r.questions, null, 1) + '\n');
  printJson({
    model: modelDir,
    data: dataPath,
    backend,
    threads,
    n: r.n,
    beamSize: r.beamSize,
    params: r.params,
    genTimeMs: Math.round(r.genTimeMs),
    questionsPerSec: r.questionsPerSec,
    genMsPerQuestion: r.genTiming.median,
    genTiming: r.genTiming,
    ...r.metrics,
    normalize: r.normalize,
    normalizedReferences: r.normalizedReferences,
    contextCut: r.contextCut,
  });
}
