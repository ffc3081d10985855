import { describe, expect, it } from 'vitest';
import { resolveLayerMap } from './layerMaps';
import { activeTermsAt, layerTermGroups, phaseCount, phaseStepCount } from './schedules';

const groups = layerTermGroups(resolveLayerMap('study', 2, 4)); // hidden/0 | hidden/1 attn/1 | attn/2

describe('schedules', () => {
  it('groups mapped terms by student depth, bottom-up', () => {
    expect(groups).toEqual([['hidden/0'], ['hidden/1', 'attn/1'], ['attn/2']]);
    expect(layerTermGroups(resolveLayerMap('study', 2, 4), { hidden: false, attn: true })).toEqual([['attn/1'], ['attn/2']]);
  });

  it("'all' and 'logits-only' have one phase", () => {
    expect(activeTermsAt('all', groups, 0, 5).terms).toEqual(['logits', 'soft', 'hidden/0', 'hidden/1', 'attn/1', 'attn/2']);
    expect(activeTermsAt('all', groups, 99, 5).phase).toBe(0);
    expect(activeTermsAt('logits-only', groups, 42, 5).terms).toEqual(['logits', 'soft']);
  });

  it("'progressive' adds one group per phase, logits from the start", () => {
    const at = (s: number) => activeTermsAt('progressive', groups, s, 5);
    expect(at(0)).toEqual({ phase: 0, terms: ['logits', 'soft', 'hidden/0'] });
    expect(at(4).phase).toBe(0);
    expect(at(5)).toEqual({ phase: 1, terms: ['logits', 'soft', 'hidden/0', 'hidden/1', 'attn/1'] });
    expect(at(10).terms).toEqual(['logits', 'soft', 'hidden/0', 'hidden/1', 'attn/1', 'attn/2']);
    expect(at(1000).phase).toBe(2);
    expect(phaseCount('progressive', 3)).toBe(3);
  });

  it("'layerwise' trains one group per phase, then the logits", () => {
    const at = (s: number) => activeTermsAt('layerwise', groups, s, 3);
    expect(at(0)).toEqual({ phase: 0, terms: ['hidden/0'] });
    expect(at(3)).toEqual({ phase: 1, terms: ['hidden/1', 'attn/1'] });
    expect(at(6)).toEqual({ phase: 2, terms: ['attn/2'] });
    expect(at(9)).toEqual({ phase: 3, terms: ['logits', 'soft'] });
    expect(at(500)).toEqual({ phase: 3, terms: ['logits', 'soft'] });
  });

  it('phase length in epochs or steps', () => {
    expect(phaseStepCount({ steps: 7 }, 100)).toBe(7);
    expect(phaseStepCount({ epochs: 1 }, 100)).toBe(100);
    expect(phaseStepCount({ epochs: 0.5 }, 3)).toBe(2);
    expect(phaseStepCount({ epochs: 0.01 }, 3)).toBe(1);
    expect(() => phaseStepCount({}, 3)).toThrow(/exactly one/);
    expect(() => phaseStepCount({ epochs: 1, steps: 2 }, 3)).toThrow(/exactly one/);
    expect(() => phaseStepCount({ steps: 0 }, 3)).toThrow(/positive integer/);
    expect(() => activeTermsAt('bogus' as never, groups, 0, 1)).toThrow(/unknown schedule 'bogus'/);
  });
});
