// A GenerationPool on a model folder, for the CLI: the folder's weights are read once, here, and shared with the
// workers; this thread builds no model (loadModelForInference is the one-thread counterpart, with the same checks).
import type { BertConfig } from '../../core/model/bertConfig';
import type { BertTokenizer } from '../../core/tokenizer/bertTokenizer';
import { readModelFolder, readVocab } from '../loadInputs';
import { GenerationPool } from './generationPool';

export async function openPoolFromFolder(
  dir: string,
  o: { vocabFile?: string; threads: number; backend: string },
): Promise<{ pool: GenerationPool; config: BertConfig; tokenizer: BertTokenizer }> {
  const folder = readModelFolder(dir);
  const tokenizer = o.vocabFile ? await readVocab(o.vocabFile) : folder.tokenizer;
  if (!tokenizer) throw new Error(`model folder '${dir}' has no vocab.txt; pass --vocab FILE`);
  if (tokenizer.vocabSize !== folder.config.vocabSize)
    throw new Error(`the vocabulary has ${tokenizer.vocabSize} tokens but the model expects ${folder.config.vocabSize}`);
  const pool = await GenerationPool.open({ threads: o.threads, backend: o.backend, config: folder.config, weights: folder.stateDict, tokenizer });
  return { pool, config: folder.config, tokenizer };
}
