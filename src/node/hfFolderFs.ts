// Reading and writing a Hugging Face model folder (config.json, model.safetensors or pytorch_model.bin, vocab.txt) on disk.
import { readTextFileSync } from './textInput';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BertForMaskedLM } from '../core/model/bertForMaskedLM';
import { exportHfModel, loadHfModel, type HfFolderFiles } from '../core/model/hfFolder';
import { pickWeightsFile } from '../core/model/modelWeights';

export interface HfFolderContents {
  configJson: string;
  /** The folder's weights file (model.safetensors, else pytorch_model.bin), file name → bytes: readModelWeights' input. */
  weights: Map<string, Uint8Array>;
  /** vocab.txt, when the folder has one. */
  vocabText?: string;
}

/** Reads the files of a model folder; clear errors for a missing folder or files. */
export function readHfFolder(dir: string): HfFolderContents {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new Error(`model folder '${dir}' does not exist or is not a directory`);
  const configPath = join(abs, 'config.json');
  if (!existsSync(configPath)) throw new Error(`model folder '${dir}' has no config.json`);
  let weightsName: string;
  try {
    weightsName = pickWeightsFile(readdirSync(abs)).name;
  } catch (e) {
    throw new Error(`model folder '${dir}': ${(e as Error).message}`);
  }
  const vocabPath = join(abs, 'vocab.txt');
  return {
    configJson: readTextFileSync(configPath, 'config.json'),
    weights: new Map([[weightsName, readBytes(join(abs, weightsName))]]),
    vocabText: existsSync(vocabPath) ? readTextFileSync(vocabPath, 'vocabulary') : undefined,
  };
}

/** A file's bytes without the copy `new Uint8Array(buffer)` makes (a 400 MB checkpoint is read once, viewed after). */
function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Loads a BertForMaskedLM from a Hugging Face folder. */
export function loadHfModelFromDir(dir: string, onNotice?: (message: string) => void): BertForMaskedLM {
  const files = readHfFolder(dir);
  try {
    return loadHfModel({ configJson: files.configJson, weights: files.weights, onNotice });
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
