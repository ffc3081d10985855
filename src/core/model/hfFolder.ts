// A Hugging Face model folder (config.json + model.safetensors or pytorch_model.bin + vocab.txt) <-> BertForMaskedLM,
// from file contents.
import { configFromHf, configToHf } from './bertConfig';
import { BertForMaskedLM } from './bertForMaskedLM';
import { readModelWeights } from './modelWeights';
import { readSafetensors, writeSafetensors } from './safetensors';
import { resolveStateDict } from './stateDict';

export interface HfModelFiles {
  /** config.json text (or its parsed object). */
  configJson: string | unknown;
  /** model.safetensors bytes (or give `weights`). */
  safetensors?: Uint8Array;
  /** The folder's files by name, from which readModelWeights picks model.safetensors, else pytorch_model.bin. */
  weights?: Map<string, Uint8Array>;
  /** Receives notices about ignored tensors (pooler, NSP head, unexpected keys). */
  onNotice?: (message: string) => void;
}

/**
 * Loads a BertForMaskedLM saved by Hugging Face. Tied weights absent from the file are tied; pooler and NSP weights
 * are ignored (with notices); missing or mis-shaped tensors throw one error listing them all.
 */
export function loadHfModel(files: HfModelFiles): BertForMaskedLM {
  const config = configFromHf(files.configJson);
  if (!files.safetensors && !files.weights) throw new Error('loadHfModel: give the model.safetensors bytes or the folder files (weights)');
  const { tensors } = files.safetensors ? readSafetensors(files.safetensors) : readModelWeights(files.weights!);
  const { params, notices } = resolveStateDict(config, tensors);
  for (const n of notices) files.onNotice?.(n);
  return BertForMaskedLM.fromStateDict(config, params);
}

export interface HfFolderFiles {
  'config.json': string;
  'model.safetensors': Uint8Array;
  'vocab.txt': string;
}

/** The files of a folder Hugging Face's from_pretrained loads (tied duplicates are not written, like HF). */
export async function exportHfModel(model: BertForMaskedLM, vocabText: string): Promise<HfFolderFiles> {
  const lines = vocabText.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== model.config.vocabSize)
    throw new Error(`vocab.txt has ${lines.length} tokens but the model's vocabSize is ${model.config.vocabSize}`);
  return {
    'config.json': JSON.stringify(configToHf(model.config), null, 2) + '\n',
    'model.safetensors': writeSafetensors(await model.toStateDict(), { format: 'pt' }),
    'vocab.txt': vocabText.endsWith('\n') ? vocabText : vocabText + '\n',
  };
}
