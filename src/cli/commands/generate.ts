// qglab generate --model DIR --context TEXT --answer TEXT [--beam 3] [--vocab vocab.txt] [--backend wasm|cpu]
// One question for one (context, answer) pair: {"question": ...} on stdout.
import { intFlag, optionalFlag, printJson, requireFlag, type CliArgs } from '../args';
import { DEFAULT_SQG_LIMITS, predictionContext } from '../../core/data/sqgExamples';
import { generateQuestions } from '../../core/generation/generateQuestions';
import { initBackend, loadModelForInference } from '../../node/loadInputs';

export async function run(args: CliArgs): Promise<void> {
  const modelDir = requireFlag(args, 'model');
  const context = requireFlag(args, 'context');
  const answer = requireFlag(args, 'answer');
  const beamSize = intFlag(args, 'beam', 3);
  if (beamSize < 1) throw new Error('--beam must be a positive integer (1 = greedy)');
  await initBackend(optionalFlag(args, 'backend') ?? 'wasm');
  const { model, tokenizer } = await loadModelForInference(modelDir, optionalFlag(args, 'vocab'));
  try {
    let answerStart = context.indexOf(answer);
    if (answerStart < 0) {
      process.stderr.write('qglab: warning: the answer does not occur in the context; the context window starts at its beginning\n');
      answerStart = 0;
    }
    const limits = { ...DEFAULT_SQG_LIMITS, maxSeqLen: Math.min(DEFAULT_SQG_LIMITS.maxSeqLen, model.config.maxPositionEmbeddings) };
    const item = predictionContext(tokenizer, { id: 'q', context, answer, answerStart, question: '' }, limits);
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
