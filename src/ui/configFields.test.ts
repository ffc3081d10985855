import { describe, expect, it } from 'vitest';
import { PRESET_RECIPES } from './state/recipes';
import { configFields, fmtRate } from './configFields';

const text = (fs: ReturnType<typeof configFields>) => fs.map((f) => `${f.label} ${f.value}`);
const study = (id: string) => PRESET_RECIPES.study.nodes.find((n) => n.id === id)!.config;

describe('configFields', () => {
  it("the study's stages as short labelled fields", () => {
    expect(text(configFields('teacher', study('teacher')))).toEqual([
      'init pretrained',
      'lr 5e-5',
      'batch 8',
      'epochs 5',
      'dropout 0.1',
      'data 100 %',
      'seed 42',
    ]);
    expect(text(configFields('student', study('student'), { teacherLayers: 12 }))).toEqual(['layers 12 → 6', 'drop top 6']);
    expect(text(configFields('distill', study('distill')))).toEqual([
      'lr 5e-5',
      'batch 8',
      'epochs 5',
      'dropout 0.3',
      'data 50 %',
      'seed 42',
      'schedule all',
      'layer map study',
      'soft loss study',
      'weights hard 1 · soft 1 · hidden 1 · attn 1',
    ]);
  });

  it('a from-scratch shape, a kept-layers student, split dropouts, explicit layer pairs and a phase length', () => {
    expect(text(configFields('teacher', { init: { preset: 'tiny', layers: 2, hidden: 64 }, learningRate: 0.002 }))).toEqual([
      'from scratch tiny',
      'layers 2',
      'hidden 64',
      'lr 0.002',
    ]);
    expect(text(configFields('student', { strategy: 'keep', keep: [0, 2, 4] }, { teacherLayers: 6 }))).toEqual(['layers 6 → 3', 'keep 0, 2, 4']);
    expect(text(configFields('student', { strategy: 'alternate', k: 1 }))).toEqual(['drop every other 1']);
    expect(text(configFields('selftrain', { hiddenDropout: 0.05, attentionDropout: 0.3, microBatchSize: 4 }))).toEqual([
      'micro-batch 4',
      'dropout 0.05',
      'attn dropout 0.3',
    ]);
    expect(
      text(configFields('distill', { teacher: 't1', distill: { layerMap: { hidden: [[1, 2], [2, 4]] }, phaseLength: { steps: 3 }, temperature: 2 } })),
    ).toEqual(['teacher t1', 'layer map hidden 1↔2, 2↔4', 'T 2', 'phase 3 steps']);
  });

  it('an unknown key is shown by its path, never as JSON', () => {
    const fs = configFields('selftrain', { epochs: 1, extra: { a: 1, b: { c: 'x' } } });
    expect(text(fs)).toEqual(['epochs 1', 'extra.a 1', 'extra.b.c x']);
    for (const f of fs) expect(f.value).not.toMatch(/[{}]/);
  });

  it('every preset node renders without a brace', () => {
    for (const r of Object.values(PRESET_RECIPES))
      for (const n of r.nodes) for (const f of configFields(n.stage, n.config, { teacherLayers: 12 })) expect(`${f.label} ${f.value}`).not.toMatch(/[{}"]/);
  });

  it('rates in the form papers write them', () => {
    expect([fmtRate(5e-5), fmtRate(0.002), fmtRate(1), fmtRate(1e-4), fmtRate(0.3), fmtRate(2.5e-5)]).toEqual(['5e-5', '0.002', '1', '1e-4', '0.3', '2.5e-5']);
  });
});
