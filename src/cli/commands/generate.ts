// qglab generate --model DIR --context TEXT --answer TEXT [--beam 3] [--vocab vocab.txt] [--backend wasm|cpu]
//                [--context-cut answer-window|head]  (how a context too long for the prompt is cut)
//   One question for one (context, answer) pair: {"question": ...} on stdout.
// qglab generate --model DIR --data test.json [--limit N] [--batch-size 32] [--max-seq-len 512] [--threads N] [...]
//   One question per item of a DRCD/SQuAD file: {"n", "threads", "genTimeMs", "questionsPerSec", "questions": [{id,
//   answer, question}]}. --threads (default: one per core) splits the items over worker threads, each with its own
//   backend and copy of the model; the questions are the same as with --threads 1, which runs in this thread.
import { intFlag, optionalFlag, printJson, requireFlag, threadsFlag, type CliArgs } from '../args';
import { DEFAULT_SQG_LIMITS, PREDICTION_CONTEXT_MODES, predictionContext, type EncodedItem, type PredictionContextMode, type SqgLimits } from '../../core/data/sqgExamples';
import { generateQuestions, type GenerateOptions, type GeneratedQuestion } from '../../core/generation/generateQuestions';
import type { BertConfig } from '../../core/model/bertConfig';
import type { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import { initBackend, loadModelForInference, readDataset } from '../../node/loadInputs';
import { openPoolFromFolder } from '../../node/pool/poolFromFolder';

export async function run(args: CliArgs): Promise<void> {
  const beamSize = intFlag(args, 'beam', 3);
  if (beamSize < 1) throw new Error('--beam must be a positive integer (1 = greedy)');
  const contextCut = (optionalFlag(args, 'context-cut') ?? 'answer-window') as PredictionContextMode;
  if (!PREDICTION_CONTEXT_MODES.includes(contextCut)) throw new Error(`option --context-cut must be 'head' or 'answer-window', got '${contextCut}'`);
  if (args.flags.data !== undefined) return generateForFile(args, beamSize, contextCut);
  const modelDir = requireFlag(args, 'model');
  const context = requireFlag(args, 'context');
  const answer = requireFlag(args, 'answer');
  await initBackend(optionalFlag(args, 'backend') ?? 'wasm');
  const { model, tokenizer } = await loadModelForInference(modelDir, optionalFlag(args, 'vocab'));
  try {
    let answerStart = context.indexOf(answer);
    if (answerStart < 0) {
      process.stderr.write('qglab: warning: the answer does not occur in the context; the context window starts at its beginning\n');
      answerStart = 0;
    }
    const limits = { ...DEFAULT_SQG_LIMITS, maxSeqLen: Math.min(DEFAULT_SQG_LIMITS.maxSeqLen, model.config.maxPositionEmbeddings) };
    const item = predictionContext(tokenizer, { id: 'q', context, answer, answerStart, question: '' }, limits, contextCut);
    if (item.answerIds.length === 0) throw new Error('the answer has no tokens in this vocabulary');
    const [q] = await generateQuestions(model, tokenizer, [item], {
      strategy: beamSize === 1 ? 'greedy' : 'beam',
      beamSize,
      maxLen: limits.maxQuestionLen,
    });
    printJson({ question: q!.text });
  } finally {
    model.dispose();
  }
}

async function generateForFile(args: CliArgs, beamSize: number, contextCut: PredictionContextMode): Promise<void> {
  const modelDir = requireFlag(args, 'model');
  const dataPath = requireFlag(args, 'data');
  const limitRaw = optionalFlag(args, 'limit');
  const limit = limitRaw !== undefined ? intFlag(args, 'limit', 0) : undefined;
  if (limit !== undefined && limit < 1) throw new Error('--limit must be a positive integer');
  const batchSize = intFlag(args, 'batch-size', 32);
  if (batchSize < 1) throw new Error('--batch-size must be a positive integer');
  const backend = optionalFlag(args, 'backend') ?? 'wasm';
  const vocabFile = optionalFlag(args, 'vocab');
  const items = (await readDataset(dataPath)).slice(0, limit);
  const threads = Math.min(threadsFlag(args), items.length);
  const limitsFor = (config: BertConfig): SqgLimits => {
    const maxSeqLen = intFlag(args, 'max-seq-len', Math.min(DEFAULT_SQG_LIMITS.maxSeqLen, config.maxPositionEmbeddings));
    if (maxSeqLen > config.maxPositionEmbeddings)
      throw new Error(`--max-seq-len ${maxSeqLen} exceeds the model's ${config.maxPositionEmbeddings} positions`);
    return { ...DEFAULT_SQG_LIMITS, maxSeqLen };
  };
  const timed = async (config: BertConfig, tok: BertTokenizer, generate: (e: EncodedItem[], o: GenerateOptions) => Promise<GeneratedQuestion[]>) => {
    const limits = limitsFor(config);
    const encoded = items.map((it) => predictionContext(tok, it, limits, contextCut));
    const t0 = performance.now();
    const questions = await generate(encoded, { strategy: beamSize === 1 ? 'greedy' : 'beam', beamSize, batchSize, maxLen: limits.maxQuestionLen });
    return { questions, ms: performance.now() - t0 };
  };

  let out: { questions: GeneratedQuestion[]; ms: number };
  if (threads > 1) {
    const { pool, config, tokenizer } = await openPoolFromFolder(modelDir, { vocabFile, threads, backend });
    try {
      out = await timed(config, tokenizer, (e, o) => pool.generate(e, o));
    } finally {
      await pool.close();
    }
  } else {
    await initBackend(backend);
    const { model, tokenizer } = await loadModelForInference(modelDir, vocabFile);
    try {
      out = await timed(model.config, tokenizer, (e, o) => generateQuestions(model, tokenizer, e, o));
    } finally {
      model.dispose();
    }
  }
  printJson({
    model: modelDir,
    data: dataPath,
    backend,
    threads,
    n: items.length,
    beamSize,
    genTimeMs: Math.round(out.ms),
    questionsPerSec: out.ms > 0 ? (items.length * 1000) / out.ms : 0,
    questions: out.questions.map((q, i) => ({ id: q.id, answer: items[i]!.answer, question: q.text })),
  });
}
