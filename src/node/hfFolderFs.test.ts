// Model folders on disk with model.safetensors, pytorch_model.bin (either torch.save layout), both, or neither.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bertPresets, configToHf } from '../core/model/bertConfig';
import { BertForMaskedLM } from '../core/model/bertForMaskedLM';
import { writeSafetensors } from '../core/model/safetensors';
import { torchSaveLegacy, torchSaveZip, type TorchStorageSpec, type TorchTensorSpec } from '../core/model/testing/torchSave';
import { loadHfModelFromDir, readHfFolder } from './hfFolderFs';
import { readModelFolder } from './loadInputs';

const root = mkdtempSync(path.join(tmpdir(), 'qglab-ptbin-'));
const config = bertPresets.tiny(40, 16);
let sd: Map<string, { shape: number[]; data: Float32Array }>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const m = BertForMaskedLM.create(config, 7);
  sd = await m.toStateDict();
  m.dispose();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function torchSpecs() {
  const tensors: TorchTensorSpec[] = [];
  const storages = new Map<string, TorchStorageSpec>();
  for (const [name, t] of sd) {
    const key = String(storages.size);
    storages.set(key, { dtype: 'F32', numel: t.data.length, data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) });
    tensors.push({ name, storage: key, shape: t.shape });
  }
  return { tensors, storages };
}

function folder(name: string, files: Record<string, Uint8Array | string>): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(configToHf(config)));
  for (const [f, v] of Object.entries(files)) writeFileSync(path.join(dir, f), v);
  return dir;
}

describe('model folders with pytorch_model.bin', () => {
  it.each(['zip', 'legacy'] as const)('readModelFolder and loadHfModelFromDir take a folder with only a %s pytorch_model.bin', async (layout) => {
    const { tensors, storages } = torchSpecs();
    const bin = layout === 'zip' ? torchSaveZip(tensors, storages, { folder: 'pytorch_model' }) : torchSaveLegacy(tensors, storages);
    const dir = folder(`only-bin-${layout}`, { 'pytorch_model.bin': bin });
    const f = readModelFolder(dir);
    expect([...f.stateDict.keys()]).toEqual([...sd.keys()]);
    for (const [k, v] of sd) expect(f.stateDict.get(k)!.data, k).toEqual(v.data);
    const m = loadHfModelFromDir(dir);
    const back = await m.toStateDict();
    for (const [k, v] of sd) expect(back.get(k)!.data, k).toEqual(v.data);
    m.dispose();
  });

  it('prefers model.safetensors when both exist, and reads only that file', () => {
    const dir = folder('both', { 'model.safetensors': writeSafetensors(sd), 'pytorch_model.bin': 'not read' });
    expect([...readHfFolder(dir).weights.keys()]).toEqual(['model.safetensors']);
    expect(readModelFolder(dir).stateDict.size).toBe(sd.size);
  });

  it('clear errors: neither file, a damaged pytorch_model.bin', () => {
    const none = folder('none', { 'vocab.txt': 'a\n' });
    expect(() => readModelFolder(none)).toThrow(
      `model folder '${none}': no model weights: the folder has neither model.safetensors nor pytorch_model.bin (it has`,
    );
    const bad = folder('bad', { 'pytorch_model.bin': 'PK\x03\x04 cut short' });
    expect(() => readModelFolder(bad)).toThrow(
      `cannot load model from '${bad}': pytorch_model.bin: no zip end-of-central-directory record (the file is truncated or damaged)`,
    );
    expect(() => loadHfModelFromDir(bad)).toThrow(/cannot load model from .*pytorch_model.bin: no zip end-of-central-directory/);
  });
});
