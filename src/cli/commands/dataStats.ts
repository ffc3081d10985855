// qglab data-stats --data file.json [--vocab vocab.txt [--max-seq-len N] [--max-answer-len N] [--max-question-len N]
//                                    [--policy skip|window]]
// Validates a DRCD / SQuAD v1 file and prints its statistics as JSON; a bad file exits 1 with every problem found
// (each naming its JSON path). With --vocab it also prints, under "sqg", what training would make of the file
// (one item per question, its first answer): items kept, skipped by reason, windowed, and the number of BERT-SQG
// examples, by the rule training uses (sqgDataReport), counted from token counts without building the examples;
// and under "prompts", what evaluation makes of the file as a test set: how many contexts each prompt cut ('head',
// the study's; 'answer-window') shortens and how many of those lose their answer, how many prompts the two cuts
// make differ, and how many references the 'bert' normalisation scores otherwise than written.
import { intFlag, optionalFlag, printJson, requireFlag, type CliArgs } from '../args';
import { datasetStats, parseDrcd, toQgItems } from '../../core/data/drcd';
import { sqgDataReport } from '../../core/data/sqgExampleStore';
import { DEFAULT_SQG_LIMITS, predictionCutFigures, type SqgLimits, type SqgPolicy } from '../../core/data/sqgExamples';
import { normalizationChanges } from '../../core/metrics/normalize';
import { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import { readTextFileSync as readText } from '../../node/textInput';

const LIMIT_FLAGS = [
  ['max-seq-len', 'maxSeqLen', 8],
  ['max-answer-len', 'maxAnswerLen', 1],
  ['max-question-len', 'maxQuestionLen', 1],
] as const;

/** The limits and policy from the flags (the recipe's rules: maxSeqLen ≥ 8, the others ≥ 1). */
export function sqgOptions(args: CliArgs): { limits: SqgLimits; policy: SqgPolicy } {
  const limits = { ...DEFAULT_SQG_LIMITS };
  for (const [flag, key, min] of LIMIT_FLAGS) {
    const v = intFlag(args, flag, limits[key]);
    if (v < min) throw new Error(`option --${flag} must be an integer >= ${min}, got ${v}`);
    limits[key] = v;
  }
  const policy = optionalFlag(args, 'policy') ?? 'skip';
  if (policy !== 'skip' && policy !== 'window') throw new Error(`option --policy must be 'skip' or 'window', got '${policy}'`);
  return { limits, policy };
}

export async function run(args: CliArgs): Promise<void> {
  const file = requireFlag(args, 'data');
  const vocab = optionalFlag(args, 'vocab');
  if (vocab === undefined) {
    const extra = [...LIMIT_FLAGS.map(([f]) => f), 'policy'].filter((f) => args.flags[f] !== undefined);
    if (extra.length > 0) throw new Error(`${extra.map((f) => `--${f}`).join(', ')} need${extra.length > 1 ? '' : 's'} --vocab (the counts are in tokens)`);
  }
  const options = vocab !== undefined ? sqgOptions(args) : undefined; // bad flags fail before any reading
  const ds = parseDrcd(readText(file, 'data file'), file);
  const stats = datasetStats(ds);
  if (vocab === undefined || options === undefined) {
    printJson(stats);
    return;
  }
  const tok = BertTokenizer.fromVocab(readText(vocab, 'vocabulary'));
  const items = toQgItems(ds);
  printJson({
    ...stats,
    sqg: sqgDataReport(tok, items, options.limits, options.policy),
    prompts: {
      ...predictionCutFigures(tok, items, options.limits),
      normalizedReferences: items.filter((it) => normalizationChanges(tok, it.question, 'bert')).length,
    },
  });
}
