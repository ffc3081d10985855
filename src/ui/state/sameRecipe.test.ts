import { describe, expect, it } from 'vitest';
import type { Recipe } from '../../core/experiment/recipe';
import { sameRecipeIn } from './sameRecipe';
import { testRecord } from './testing/nodeRecords';

const recipe = (over: Partial<Recipe> = {}): Recipe => ({
  version: 1,
  name: 'r',
  nodes: [
    { id: 'teacher-new', parent: null, stage: 'teacher', config: { init: { preset: 'tiny' }, epochs: 2 } },
    { id: 'student-new', parent: 'teacher-new', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
    { id: 'distill-new', parent: 'student-new', stage: 'distill', config: { hiddenDropout: 0.3 } },
  ],
  data: { maxSeqLen: 96 },
  eval: { beamSize: 3 },
  ...over,
});

const tree = (distillStatus: 'done' | 'cancelled') => ({
  t1: testRecord('t1', { stage: 'teacher', config: { init: { preset: 'tiny' }, epochs: 2 }, data: { maxSeqLen: 96 }, eval: { beamSize: 3 }, status: 'done', createdAt: 1 }),
  s1: testRecord('s1', { stage: 'student', parent: 't1', config: { k: 1, strategy: 'drop-top' }, eval: { beamSize: 3 }, status: 'done', createdAt: 2 }),
  d1: testRecord('d1', { stage: 'distill', parent: 's1', config: { hiddenDropout: 0.3 }, eval: { beamSize: 3 }, status: distillStatus, createdAt: 3 }),
});

describe('sameRecipeIn', () => {
  it('maps a stopped recipe onto its nodes: running it resumes them', () => {
    const m = sameRecipeIn(recipe(), tree('cancelled'));
    expect(m?.state).toBe('resume');
    expect(m?.ids).toEqual(['t1', 's1', 'd1']);
    expect(m?.recipe.nodes.map((n) => [n.id, n.parent])).toEqual([['t1', null], ['s1', 't1'], ['d1', 's1']]);
    expect(m?.recipe.data).toEqual({ maxSeqLen: 96 });
  });

  it('says when every node of it is done', () => {
    expect(sameRecipeIn(recipe(), tree('done'))?.state).toBe('done');
  });

  it('a changed setting anywhere, other data or evaluation options make it a new run', () => {
    const changed = recipe();
    changed.nodes[2] = { ...changed.nodes[2]!, config: { hiddenDropout: 0.05 } };
    expect(sameRecipeIn(changed, tree('cancelled'))).toBeUndefined();
    expect(sameRecipeIn(recipe({ data: { maxSeqLen: 512 } }), tree('cancelled'))).toBeUndefined();
    expect(sameRecipeIn(recipe({ eval: { beamSize: 1 } }), tree('cancelled'))).toBeUndefined();
    expect(sameRecipeIn(recipe(), {})).toBeUndefined();
  });

  it('a reused teacher maps to itself; the newest of equal candidates is taken', () => {
    const nodes = { ...tree('done'), d2: testRecord('d2', { stage: 'distill', parent: 's1', config: { hiddenDropout: 0.3 }, eval: { beamSize: 3 }, status: 'failed', createdAt: 9 }) };
    const r = recipe();
    r.nodes[0] = { ...r.nodes[0]!, id: 't1' };
    r.nodes[1] = { ...r.nodes[1]!, parent: 't1' };
    const m = sameRecipeIn(r, nodes);
    expect(m?.ids).toEqual(['t1', 's1', 'd2']);
    expect(m?.state).toBe('resume');
  });
});
