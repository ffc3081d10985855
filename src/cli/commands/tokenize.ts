// qglab tokenize --vocab vocab.txt --text "<text>"     (or --tokenizer tokenizer.json instead of --vocab)
// Prints {"ids":[...],"tokens":[...]} for [CLS] text [SEP].
import { optionalFlag, printJson, requireFlag, type CliArgs } from '../args';
import { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import { readTextFileSync } from '../../node/textInput';

export async function run(args: CliArgs): Promise<void> {
  const text = requireFlag(args, 'text');
  const tokJson = optionalFlag(args, 'tokenizer');
  const tok = tokJson
    ? BertTokenizer.fromTokenizerJson(parseJson(readTextFileSync(tokJson, 'tokenizer file'), tokJson))
    : BertTokenizer.fromVocab(readTextFileSync(requireFlag(args, 'vocab'), 'vocabulary'), { lowercase: args.flags['cased'] !== true });
  printJson(tok.encode(text));
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`tokenizer file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}
