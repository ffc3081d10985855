// Reading the CLI's inputs from disk: datasets (DRCD / SQuAD JSON), vocabularies, recipes and model folders.
// Errors name the file and say what is wrong with it.
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { parseDrcd, toQgItems, type QgItem } from '../core/data/drcd';
import { configFromHf, type BertConfig } from '../core/model/bertConfig';
import { readModelWeights } from '../core/model/modelWeights';
import type { StateTensor } from '../core/model/stateDict';
import { BertForMaskedLM } from '../core/model/bertForMaskedLM';
import { useBackend } from '../core/kernels/useBackend';
import { BertTokenizer } from '../core/tokenizer/bertTokenizer';
import { readHfFolder } from './hfFolderFs';
import { readTextFile as readText } from './textInput';

/** A DRCD/SQuAD-format file → question-generation items (first answer of each question, file order). */
export async function readDataset(file: string): Promise<QgItem[]> {
  const items = toQgItems(parseDrcd(await readText(file, 'dataset'), path.basename(file)));
  if (items.length === 0) throw new Error(`dataset ${file} has no answered questions`);
  return items;
}

export async function readVocab(file: string): Promise<BertTokenizer> {
  return BertTokenizer.fromVocab(await readText(file, 'vocabulary'));
}

export async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await readText(file, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export interface ModelFolder {
  dir: string;
  config: BertConfig;
  stateDict: Map<string, StateTensor>;
  /** from the folder's vocab.txt, when it has one */
  tokenizer?: BertTokenizer;
}

/** A Hugging Face BERT folder (config.json + model.safetensors or pytorch_model.bin [+ vocab.txt]) as config + raw tensors. */
export function readModelFolder(dir: string): ModelFolder {
  const files = readHfFolder(dir);
  let config: BertConfig;
  let stateDict: Map<string, StateTensor>;
  try {
    config = configFromHf(files.configJson);
    stateDict = readModelWeights(files.weights).tensors;
  } catch (e) {
    throw new Error(`cannot load model from '${dir}': ${(e as Error).message}`);
  }
  const tokenizer = files.vocabText !== undefined ? BertTokenizer.fromVocab(files.vocabText) : undefined;
  if (tokenizer && tokenizer.vocabSize !== config.vocabSize)
    throw new Error(`${dir}: vocab.txt has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${config.vocabSize}`);
  return { dir, config, stateDict, tokenizer };
}

/** The repository root (the folder with package.json above this file), for paths such as ../shared. */
export function repoRoot(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
}

/** A model folder loaded for inference, with its tokenizer (the folder's vocab.txt unless `vocabFile` is given). */
export async function loadModelForInference(
  dir: string,
  vocabFile?: string,
): Promise<{ model: BertForMaskedLM; tokenizer: BertTokenizer }> {
  const folder = readModelFolder(dir);
  const tokenizer = vocabFile ? await readVocab(vocabFile) : folder.tokenizer;
  if (!tokenizer) throw new Error(`model folder '${dir}' has no vocab.txt; pass --vocab FILE`);
  if (tokenizer.vocabSize !== folder.config.vocabSize)
    throw new Error(`the vocabulary has ${tokenizer.vocabSize} tokens but the model expects ${folder.config.vocabSize}`);
  return { model: BertForMaskedLM.fromStateDict(folder.config, folder.stateDict), tokenizer };
}

/** Selects a TF.js backend for Node ('cpu' by default; 'wasm' is loaded on demand), with its kernel patches. */
export async function initBackend(name = 'cpu'): Promise<string> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await useBackend(name))) throw new Error(`TF.js backend '${name}' is not available`);
  return tf.getBackend();
}
