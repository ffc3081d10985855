// What a run needs besides its recipe, resolved by one rule for the browser lab and the command line: whether it
// needs the pretrained base model, and which vocabulary it uses (inputs/tokenizerRule.ts).
import type { QgItem } from '../data/drcd';
import { nodeKey } from '../experiment/checkpoints';
import type { Recipe } from '../experiment/recipe';
import type { RunStorage } from '../experiment/storage';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import { decodeTextFile } from './inputs/textFile';
import { resolveTokenizer } from './inputs/tokenizerRule';
import type { TeacherNodeConfig } from './stages/teacherStage';

/** Whether a teacher of the recipe starts from the pretrained base model. */
export function needsBaseModel(recipe: Recipe): boolean {
  return recipe.nodes.some((n) => n.stage === 'teacher' && (n.config as TeacherNodeConfig).init === 'pretrained');
}

/** vocab.txt saved with the recipe's root teachers (else the run folder's own, written by older versions). */
async function savedVocab(recipe: Recipe, storage: RunStorage): Promise<{ vocabText: string; source: string } | undefined> {
  for (const root of recipe.nodes.filter((n) => n.parent === null)) {
    const b = await storage.getBytes(nodeKey(root.id, 'model/vocab.txt'));
    if (b) return { vocabText: decodeTextFile(b, `nodes/${root.id}/model/vocab.txt`), source: `teacher '${root.id}'` };
  }
  const legacy = await storage.getBytes('vocab.txt');
  return legacy ? { vocabText: decodeTextFile(legacy, 'vocab.txt'), source: 'the run (vocab.txt)' } : undefined;
}

export async function resolveRunTokenizer(opts: {
  recipe: Recipe;
  storage: RunStorage;
  /** every dataset item (train and test) */
  items: readonly QgItem[];
  explicit?: { tokenizer: BertTokenizer; source: string };
  base?: { tokenizer?: BertTokenizer; name: string };
}): Promise<{ tokenizer: BertTokenizer; how: string }> {
  const saved = opts.explicit ? undefined : await savedVocab(opts.recipe, opts.storage);
  const base = needsBaseModel(opts.recipe) && opts.base?.tokenizer ? { tokenizer: opts.base.tokenizer, source: opts.base.name } : undefined;
  if (needsBaseModel(opts.recipe) && !base && !saved && !opts.explicit)
    throw new Error('the teacher starts from a pretrained model, but its vocabulary is not available: load the model folder with its vocab.txt');
  return resolveTokenizer({ explicit: opts.explicit, saved, base, items: opts.items });
}
