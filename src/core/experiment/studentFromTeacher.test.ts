import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bertPresets } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { keptLayers, studentFromTeacher } from './studentFromTeacher';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('keptLayers (Poor Man’s BERT strategies)', () => {
  it('drop-top 6 of 12 keeps the bottom six (the study)', () => {
    expect(keptLayers({ strategy: 'drop-top', k: 6 }, 12)).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('drop-bottom, alternate, keep', () => {
    expect(keptLayers({ strategy: 'drop-bottom', k: 4 }, 12)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(keptLayers({ strategy: 'alternate', k: 6 }, 12)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(keptLayers({ strategy: 'alternate', k: 2 }, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10]);
    expect(keptLayers({ strategy: 'keep', keep: [0, 5, 11] }, 12)).toEqual([0, 5, 11]);
  });
  it('rejects impossible requests', () => {
    expect(() => keptLayers({ strategy: 'drop-top', k: 12 }, 12)).toThrow(/cannot drop 12/);
    expect(() => keptLayers({ strategy: 'keep', keep: [12] }, 12)).toThrow(/does not have/);
  });
});

describe('studentFromTeacher', () => {
  it('copies the kept layers and records their origin', () => {
    const teacher = BertForMaskedLM.create({ ...bertPresets.tiny(20, 16), numHiddenLayers: 3, hiddenSize: 8, numAttentionHeads: 2, intermediateSize: 16 }, 1);
    const { student, layerOrigin } = studentFromTeacher(teacher, { strategy: 'drop-bottom', k: 1 });
    expect(layerOrigin).toEqual([1, 2]);
    expect(student.config.numHiddenLayers).toBe(2);
    const name = 'bert.encoder.layer.0.attention.self.query.weight';
    const a = student.getVariable(name).dataSync();
    const b = teacher.getVariable('bert.encoder.layer.1.attention.self.query.weight').dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    student.dispose();
    teacher.dispose();
  });
});
