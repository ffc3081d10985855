// The character vocabulary tests build over their items (what the lab builds when no vocabulary is given): every
// context, answer and question, so none of their texts has an [UNK].
import type { QgItem } from '../drcd';
import { BertTokenizer, buildVocabFromTexts } from '../../tokenizer/bertTokenizer';

export function tokenizerFor(items: readonly QgItem[]): BertTokenizer {
  return BertTokenizer.fromVocab(buildVocabFromTexts(items.flatMap((i) => [i.context, i.answer, i.question])).join('\n'));
}
