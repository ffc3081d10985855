// qglab score --hyps hyps.json --refs refs.json [--per-question]
// Prints one JSON line {"Bleu_1",...,"Bleu_4","METEOR","ROUGE_L","avg_score"} (nlg-eval's numbers, on characters);
// --per-question adds "perQuestion": {id: {...}}. hyps.json is {"<id>": "question"}; refs.json is
// {"<id>": ["ref", ...]} (a plain string is one reference). Ids missing on either side are an error listing them.
import { printJson, requireFlag, type CliArgs } from '../args';
import { scoreJsonTexts } from '../../core/metrics/scoreInput';
import { readTextFileSync } from '../../node/textInput';

export async function run(args: CliArgs): Promise<void> {
  const hypsFile = requireFlag(args, 'hyps');
  const refsFile = requireFlag(args, 'refs');
  const pq = args.flags['per-question'];
  const perQuestion = pq === true || pq === 'true';
  printJson(scoreJsonTexts(readTextFileSync(hypsFile, 'hypotheses file'), readTextFileSync(refsFile, 'references file'), { hypsName: hypsFile, refsName: refsFile, perQuestion }));
}
