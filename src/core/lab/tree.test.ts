import { describe, expect, it } from 'vitest';
import { ancestors, cycleAt, descendants, indexById, isAncestor, lineage, rootOf } from './tree';

const n = (id: string, parent: string | null) => ({ id, parent });
const tree = [n('t', null), n('s', 't'), n('d', 's'), n('x', 'd'), n('f', 's'), n('t2', null)];

describe('tree walks', () => {
  const byId = indexById(tree);
  it('ancestors, lineage, root', () => {
    expect(ancestors(byId, 'x').map((a) => a.id)).toEqual(['d', 's', 't']);
    expect(lineage(byId, 'x').map((a) => a.id)).toEqual(['t', 's', 'd', 'x']);
    expect(rootOf(byId, 'x')?.id).toBe('t');
    expect(rootOf(byId, 't2')?.id).toBe('t2');
    expect(lineage(byId, 'nope')).toEqual([]);
  });
  it('descendants in breadth-first order', () => {
    expect(descendants(tree, 's')).toEqual(['s', 'd', 'f', 'x']);
    expect(descendants(tree, 't2')).toEqual(['t2']);
  });
  it('isAncestor', () => {
    expect(isAncestor(byId, 't', 'x')).toBe(true);
    expect(isAncestor(byId, 'x', 't')).toBe(false);
    expect(isAncestor(byId, 'x', 'x')).toBe(false);
  });
  it('cycles end every walk', () => {
    const cyc = [n('a', 'b'), n('b', 'c'), n('c', 'a'), n('d', 'a')];
    const m = indexById(cyc);
    expect(ancestors(m, 'a').map((x) => x.id)).toEqual(['b', 'c']);
    expect(rootOf(m, 'd')).toBeUndefined();
    expect(descendants(cyc, 'a').sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(cycleAt(m, 'a')).toEqual(['a', 'b', 'c']);
    expect(cycleAt(m, 'd')).toBeUndefined();
    expect(cycleAt(byId, 'x')).toBeUndefined();
  });
});
