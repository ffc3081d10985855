// The weights of a Hugging Face model folder, whichever file it ships: model.safetensors (preferred) or
// pytorch_model.bin (torch.save, zip or legacy layout). Works on file contents, in the browser and in Node.
import { readPytorchBin } from './pytorchBin';
import { readSafetensors, type SafetensorsFile } from './safetensors';

/** The weight files a folder may hold, in order of preference. */
export const WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin'] as const;
export type WeightFileName = (typeof WEIGHT_FILES)[number];

export interface ModelWeights extends SafetensorsFile {
  /** which file the tensors came from */
  file: WeightFileName;
}

const baseName = (path: string) => path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);

/**
 * Which of `names` (file names or paths inside one folder, e.g. 'model/pytorch_model.bin') holds the weights:
 * model.safetensors, else pytorch_model.bin (the shallowest if several). Lets a caller read only that file.
 * Throws one clear error when neither exists, with a hint for sharded or TensorFlow/Flax checkpoints.
 */
export function pickWeightsFile(names: Iterable<string>): { name: string; file: WeightFileName } {
  const all = [...names];
  for (const file of WEIGHT_FILES) {
    const hits = all.filter((n) => baseName(n) === file).sort((a, b) => a.split('/').length - b.split('/').length || a.length - b.length);
    if (hits.length) return { name: hits[0]!, file };
  }
  const bases = new Set(all.map(baseName));
  const hint = bases.has('model.safetensors.index.json') || bases.has('pytorch_model.bin.index.json')
    ? '; sharded checkpoints (*.index.json) are not supported'
    : bases.has('tf_model.h5') || bases.has('flax_model.msgpack')
      ? '; TensorFlow/Flax weights (tf_model.h5, flax_model.msgpack) are not supported, only PyTorch ones'
      : '';
  const listed = all.length ? `it has ${all.slice(0, 8).map((n) => `'${n}'`).join(', ')}${all.length > 8 ? ', ...' : ''}` : 'it is empty';
  throw new Error(`no model weights: the folder has neither model.safetensors nor pytorch_model.bin (${listed})${hint}`);
}

/**
 * Reads the weights of a model folder given as file name → contents (only the chosen file needs to be present
 * with real contents; see pickWeightsFile). Same result shape as readSafetensors; errors name the file.
 */
export function readModelWeights(files: Map<string, Uint8Array>): ModelWeights {
  const { name, file } = pickWeightsFile(files.keys());
  const bytes = files.get(name)!;
  if (file === 'model.safetensors') {
    try {
      return { file, ...readSafetensors(bytes) };
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
  }
  return { file, ...readPytorchBin(bytes, name) };
}
