// Reading and writing a Hugging Face model folder (config.json, model.safetensors, vocab.txt) on disk.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BertForMaskedLM } from '../core/model/bertForMaskedLM';
import { exportHfModel, loadHfModel, type HfFolderFiles } from '../core/model/hfFolder';

export interface HfFolderContents {
  configJson: string;
  safetensors: Uint8Array;
  /** vocab.txt, when the folder has one. */
  vocabText?: string;
}

/** Reads the files of a model folder; clear errors for a missing folder or files. */
export function readHfFolder(dir: string): HfFolderContents {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new Error(`model folder '${dir}' does not exist or is not a directory`);
  const configPath = join(abs, 'config.json');
  if (!existsSync(configPath)) throw new Error(`model folder '${dir}' has no config.json`);
  const stPath = join(abs, 'model.safetensors');
  if (!existsSync(stPath)) {
    const hint = existsSync(join(abs, 'pytorch_model.bin'))
      ? ' (it has pytorch_model.bin; re-save with save_pretrained(safe_serialization=True))'
      : existsSync(join(abs, 'model.safetensors.index.json'))
        ? ' (sharded checkpoints are not supported)'
        : '';
    throw new Error(`model folder '${dir}' has no model.safetensors${hint}`);
  }
  const vocabPath = join(abs, 'vocab.txt');
  return {
    configJson: readFileSync(configPath, 'utf8'),
    safetensors: new Uint8Array(readFileSync(stPath)),
    vocabText: existsSync(vocabPath) ? readFileSync(vocabPath, 'utf8') : undefined,
  };
}

/** Loads a BertForMaskedLM from a Hugging Face folder. */
export function loadHfModelFromDir(dir: string, onNotice?: (message: string) => void): BertForMaskedLM {
  const files = readHfFolder(dir);
  try {
    return loadHfModel({ configJson: files.configJson, safetensors: files.safetensors, onNotice });
  } catch (e) {
    throw new Error(`cannot load model from '${dir}': ${(e as Error).message}`);
  }
}

/** Writes exported files into `dir` (created if needed). */
export function writeHfFolder(dir: string, files: HfFolderFiles): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), files['config.json']);
  writeFileSync(join(dir, 'model.safetensors'), files['model.safetensors']);
  writeFileSync(join(dir, 'vocab.txt'), files['vocab.txt']);
}

/** Exports a model with its vocabulary as a Hugging Face folder. */
export async function saveHfModelToDir(dir: string, model: BertForMaskedLM, vocabText: string): Promise<void> {
  writeHfFolder(dir, await exportHfModel(model, vocabText));
}
