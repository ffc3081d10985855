import { describe, expect, it } from 'vitest';
import { stopKey, stopOffers, stopText } from './stops';
import { testRecord } from './testing/nodeRecords';

const tree = () => ({
  t: testRecord('t', { status: 'done', startedAt: 1 }),
  a: testRecord('a', { stage: 'distill', parent: 't', status: 'cancelled', error: 'interrupted (the page was closed…)', steps: 12, totalSteps: 40, startedAt: 5, label: 'Distill A' }),
  b: testRecord('b', { stage: 'distill', parent: 't', status: 'failed', error: 'out of memory', steps: 3, totalSteps: 40, startedAt: 9, label: 'Distill B' }),
  // below a stopped node: it never ran, resuming its parent runs it
  c: testRecord('c', { stage: 'selftrain', parent: 'b', status: 'cancelled' }),
  d: testRecord('d', { stage: 'distill', parent: 't', status: 'done', startedAt: 12 }),
});

describe('stop offers', () => {
  it('the stopped nodes whose parent is done, the latest first', () => {
    expect(stopOffers(tree(), []).map((n) => n.id)).toEqual(['b', 'a']);
  });

  it('a dismissed stop is not offered; the same node stopping again elsewhere is', () => {
    const nodes = tree();
    const dismissed = [stopKey(nodes.b)];
    expect(stopOffers(nodes, dismissed).map((n) => n.id)).toEqual(['a']);
    expect(stopOffers({ ...nodes, b: { ...nodes.b, steps: 20 } }, dismissed).map((n) => n.id)).toEqual(['b', 'a']);
  });

  it('says where and how each stopped', () => {
    const nodes = tree();
    expect(stopText(nodes.a)).toBe('Distill A was interrupted at step 12 of 40');
    expect(stopText(nodes.b)).toBe('Distill B failed at step 3 of 40');
    expect(stopText(testRecord('x', { status: 'cancelled', label: 'X' }))).toBe('X was cancelled before its first checkpoint');
  });
});
