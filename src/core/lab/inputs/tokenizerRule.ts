// Which vocabulary a run uses: one rule for the browser lab and the command line.
//   1. an explicit vocabulary (the CLI's --vocab)
//   2. the vocabulary saved with the tree's root teacher (a resumed or forked tree keeps its vocabulary)
//   3. the pretrained base model's (a teacher with init 'pretrained')
//   4. a character vocabulary built from the dataset (from-scratch teachers)
import type { QgItem } from '../../data/drcd';
import { BertTokenizer, buildVocabFromTexts } from '../../tokenizer/bertTokenizer';

export interface TokenizerSources {
  explicit?: { tokenizer: BertTokenizer; source: string };
  /** vocab.txt of the root teacher's saved model, when it has one */
  saved?: { vocabText: string; source: string };
  /** the base model's tokenizer, when the root teacher starts from it */
  base?: { tokenizer: BertTokenizer; source: string };
  /** every item of the dataset (train and test), for a built vocabulary */
  items: readonly QgItem[];
}

export function resolveTokenizer(s: TokenizerSources): { tokenizer: BertTokenizer; how: string } {
  if (s.explicit) return { tokenizer: s.explicit.tokenizer, how: s.explicit.source };
  if (s.saved) return { tokenizer: BertTokenizer.fromVocab(s.saved.vocabText), how: `the vocabulary saved with ${s.saved.source}` };
  if (s.base) return { tokenizer: s.base.tokenizer, how: `${s.base.source}'s vocabulary (${s.base.tokenizer.vocabSize} tokens)` };
  const vocab = buildVocabFromTexts(s.items.flatMap((it) => [it.context, it.answer, it.question]));
  return { tokenizer: BertTokenizer.fromVocab(vocab.join('\n') + '\n'), how: `a character vocabulary built from the dataset (${vocab.length} tokens)` };
}
