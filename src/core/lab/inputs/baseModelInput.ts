// The pretrained model a teacher starts from (e.g. bert-base-chinese), from the files of a Hugging Face folder:
// config.json, the weights, and the vocabulary (vocab.txt or tokenizer.json). One rule for the browser upload and
// the command line's --base; every refusal names the file and what is wrong.
import { configFromHf, type BertConfig } from '../../model/bertConfig';
import { countParameters } from '../../model/parameterCount';
import { readModelWeights } from '../../model/modelWeights';
import { resolveStateDict, type StateTensor } from '../../model/stateDict';
import { BertTokenizer } from '../../tokenizer/bertTokenizer';
import { decodeTextFile } from './textFile';

export interface BaseModelSummary {
  schemaVersion?: number;
  name: string;
  files: string[];
  config: Record<string, unknown>;
  layers: number;
  hiddenSize: number;
  heads: number;
  vocabSize: number;
  parameters: number;
  bytes: number;
  loadedAt: number;
  /** where its files are stored (browser lab; absent in labs before it: lab/base/files/) */
  filesPrefix?: string;
}

export interface LoadedBase {
  summary: BaseModelSummary;
  config: BertConfig;
  stateDict: Map<string, StateTensor>;
  tokenizer?: BertTokenizer;
}

/** The files of a model folder the lab reads (others are ignored). */
export const BASE_MODEL_FILES = ['config.json', 'model.safetensors', 'pytorch_model.bin', 'vocab.txt', 'tokenizer.json'] as const;

/**
 * Parses a model folder's files. `requireVocab`: a base model for a teacher needs its vocabulary (the CLI may pass
 * one with --vocab instead).
 */
export function baseModelFromFiles(files: ReadonlyMap<string, Uint8Array>, name: string, opts: { requireVocab?: boolean } = {}): LoadedBase {
  const cfgBytes = files.get('config.json');
  if (!cfgBytes) throw new Error(`${name}: config.json is missing`);
  let configJson: Record<string, unknown>;
  try {
    configJson = JSON.parse(decodeTextFile(cfgBytes, `${name}/config.json`)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${name}/config.json is not valid JSON: ${(e as Error).message}`);
  }
  const config = configFromHf(configJson);
  let weights;
  try {
    weights = readModelWeights(new Map(files)).tensors;
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  const { params } = resolveStateDict(config, weights);
  const tokenizer = baseTokenizerFromFiles(files, name, config.vocabSize);
  if (!tokenizer && opts.requireVocab !== false) throw new Error(`${name}: vocab.txt (or tokenizer.json) is missing: the teacher needs its vocabulary`);
  let bytes = 0;
  for (const b of files.values()) bytes += b.byteLength;
  const summary: BaseModelSummary = {
    schemaVersion: 1,
    name,
    files: [...files.keys()],
    config: configJson,
    layers: config.numHiddenLayers,
    hiddenSize: config.hiddenSize,
    heads: config.numAttentionHeads,
    vocabSize: config.vocabSize,
    parameters: countParameters(config),
    bytes,
    loadedAt: Date.now(),
  };
  return { summary, config, stateDict: params, tokenizer };
}

/**
 * The vocabulary of a model folder's files (vocab.txt, else tokenizer.json), checked against the config's vocab_size;
 * undefined when it has neither. Reads no weights: what the data figures need of a 409 MB folder.
 */
export function baseTokenizerFromFiles(files: ReadonlyMap<string, Uint8Array>, name: string, vocabSize: number): BertTokenizer | undefined {
  let tokenizer: BertTokenizer | undefined;
  const vocab = files.get('vocab.txt');
  const tj = files.get('tokenizer.json');
  if (vocab) tokenizer = BertTokenizer.fromVocab(decodeTextFile(vocab, `${name}/vocab.txt`));
  else if (tj) tokenizer = BertTokenizer.fromTokenizerJson(JSON.parse(decodeTextFile(tj, `${name}/tokenizer.json`)));
  if (tokenizer && tokenizer.vocabSize !== vocabSize)
    throw new Error(`${name}: the vocabulary has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${vocabSize}`);
  return tokenizer;
}
