import { describe, expect, it } from 'vitest';
import { layerTermNames, resolveLayerMap } from './layerMaps';

const pairs = (ps: { student: number; teacher: number }[]) => ps.map((p) => [p.student, p.teacher]);

describe('layer maps', () => {
  it("'study' for 12 -> 6 is exactly distil.py's pairs", () => {
    // hidden_states[e] <-> tea hidden_states[e*2], e = 0..5 (0 = embeddings)
    // attentions[e] <-> tea attentions[e*2] (0-based), i.e. 1-based student k <-> teacher 2k-1
    const m = resolveLayerMap('study', 6, 12);
    expect(pairs(m.hidden)).toEqual([[0, 0], [1, 2], [2, 4], [3, 6], [4, 8], [5, 10]]);
    expect(pairs(m.attn)).toEqual([[1, 1], [2, 3], [3, 5], [4, 7], [5, 9], [6, 11]]);
    expect(layerTermNames(m)).toEqual(['hidden/0', 'hidden/1', 'hidden/2', 'hidden/3', 'hidden/4', 'hidden/5', 'attn/1', 'attn/2', 'attn/3', 'attn/4', 'attn/5', 'attn/6']);
  });

  it("'study' generalises by ratio", () => {
    const m = resolveLayerMap('study', 2, 4);
    expect(pairs(m.hidden)).toEqual([[0, 0], [1, 2]]);
    expect(pairs(m.attn)).toEqual([[1, 1], [2, 3]]);
    const same = resolveLayerMap('study', 4, 4);
    expect(pairs(same.attn)).toEqual([[1, 1], [2, 2], [3, 3], [4, 4]]);
  });

  it("'pkd-skip' and 'pkd-last'", () => {
    expect(pairs(resolveLayerMap('pkd-skip', 6, 12).hidden)).toEqual([[1, 2], [2, 4], [3, 6], [4, 8], [5, 10], [6, 12]]);
    expect(pairs(resolveLayerMap('pkd-skip', 3, 12).attn)).toEqual([[1, 4], [2, 8], [3, 12]]);
    expect(pairs(resolveLayerMap('pkd-last', 6, 12).attn)).toEqual([[1, 7], [2, 8], [3, 9], [4, 10], [5, 11], [6, 12]]);
  });

  it('explicit pairs are checked against both depths', () => {
    const m = resolveLayerMap({ hidden: [[0, 0], [2, 4]], attn: [[1, 3]] }, 2, 4);
    expect(pairs(m.hidden)).toEqual([[0, 0], [2, 4]]);
    expect(() => resolveLayerMap({ attn: [[0, 1]] }, 2, 4)).toThrow(/student 1-based layer 0 is outside 1..2/);
    expect(() => resolveLayerMap({ hidden: [[1, 5]] }, 2, 4)).toThrow(/teacher hidden-state index .*5 is outside 0..4/);
    expect(() => resolveLayerMap({ hidden: [[1, 1], [1, 2]] }, 2, 4)).toThrow(/mapped twice/);
    expect(() => resolveLayerMap({}, 2, 4)).toThrow(/no pairs/);
    expect(() => resolveLayerMap({ layers: [] } as never, 2, 4)).toThrow(/unknown keys: layers/);
  });

  it('named maps need a student no deeper than the teacher, and known names', () => {
    expect(() => resolveLayerMap('study', 8, 4)).toThrow(/student has 8 layers, teacher 4/);
    expect(() => resolveLayerMap('skip' as never, 2, 4)).toThrow(/unknown layer map 'skip'/);
    expect(() => resolveLayerMap('study', 0, 4)).toThrow(/student depth/);
  });
});
