// qglab eval --model DIR --data test.json [--beam 3] [--limit N] [--batch-size 32] [--vocab vocab.txt]
//            [--max-seq-len 512] [--questions out.json] [--backend wasm|cpu]
// Generates a question for each test item (beam search, the study's settings) and scores them against the
// references: metrics JSON on stdout; --questions writes the generated questions too.
import { writeFileSync } from 'node:fs';
import { intFlag, optionalFlag, printJson, requireFlag, type CliArgs } from '../args';
import { DEFAULT_SQG_LIMITS } from '../../core/data/sqgExamples';
import { evaluate } from '../../core/experiment/evaluate';
import { initBackend, loadModelForInference, readDataset } from '../../node/loadInputs';

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
  const backend = await initBackend(optionalFlag(args, 'backend') ?? 'wasm');
  const items = await readDataset(dataPath);
  const { model, tokenizer } = await loadModelForInference(modelDir, optionalFlag(args, 'vocab'));
  try {
    const maxSeqLen = intFlag(args, 'max-seq-len', Math.min(DEFAULT_SQG_LIMITS.maxSeqLen, model.config.maxPositionEmbeddings));
    if (maxSeqLen > model.config.maxPositionEmbeddings)
      throw new Error(`--max-seq-len ${maxSeqLen} exceeds the model's ${model.config.maxPositionEmbeddings} positions`);
    const r = await evaluate(model, tokenizer, items, { beamSize, limit, batchSize, limits: { ...DEFAULT_SQG_LIMITS, maxSeqLen } });
    const questionsPath = optionalFlag(args, 'questions');
    if (questionsPath) writeFileSync(questionsPath, JSON.stringify(r.questions, null, 1) + '\n');
    printJson({
      model: modelDir,
      data: dataPath,
      backend,
      n: r.n,
      beamSize: r.beamSize,
      params: r.params,
      genTimeMs: Math.round(r.genTimeMs),
      questionsPerSec: r.questionsPerSec,
      ...r.metrics,
    });
  } finally {
    model.dispose();
  }
}
