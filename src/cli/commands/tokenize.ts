// qglab tokenize --vocab vocab.txt --text "<text>"     (or --tokenizer tokenizer.json instead of --vocab)
// Prints {"ids":[...],"tokens":[...]} for [CLS] text [SEP].
import { readFileSync } from 'node:fs';
import { optionalFlag, printJson, requireFlag, type CliArgs } from '../args';
import { BertTokenizer } from '../../core/tokenizer/bertTokenizer';

export async function run(args: CliArgs): Promise<void> {
  const text = requireFlag(args, 'text');
  const tokJson = optionalFlag(args, 'tokenizer');
  const tok = tokJson
    ? BertTokenizer.fromTokenizerJson(JSON.parse(readText(tokJson)))
    : BertTokenizer.fromVocab(readText(requireFlag(args, 'vocab')), { lowercase: args.flags['cased'] !== true });
  printJson(tok.encode(text));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
