import { describe, expect, it } from 'vitest';
import { branchChanges, describeSettings, fmtSetting, settingsOf } from './branchChanges';
import { forkedLabTree, treeRecord } from './testing/labTree';

describe('branchChanges: what each edge of the tree says', () => {
  it('a fork and its original are told apart by the setting where they differ; a chain by its stage', () => {
    const c = branchChanges(forkedLabTree());
    expect(c.get('distill-1')).toEqual({ kind: 'fork', items: ['dropout 0.3'] });
    expect(c.get('distill-2')).toEqual({ kind: 'fork', items: ['dropout 0.05'] });
    expect(c.get('student-1')).toEqual({ kind: 'stage', items: ['cut to 1 layer'] });
    // no sibling: the stage's key settings, the defaults filled in (self-train trains on the whole set)
    expect(c.get('selftrain-2')).toEqual({ kind: 'stage', items: ['dropout 0.3', 'data 100 %'] });
    expect(c.get('teacher-1')).toEqual({ kind: 'stage', items: [] });
  });

  it('a default written out is no change; several differences are listed in order', () => {
    const nodes = forkedLabTree();
    // the same dropout spelled as the default: no difference in dropout, the data fraction and schedule differ
    nodes['distill-2'] = treeRecord('distill-2', 'distill', 'student-1', {
      epochs: 1, batchSize: 4, learningRate: 5e-5, trainFraction: 1, distill: { schedule: 'progressive' },
    });
    nodes['distill-2'].data = { maxTrainItems: 20 };
    const c = branchChanges(nodes);
    expect(c.get('distill-2')!.items).toEqual(['data 100 %', 'lr 5e-5', 'schedule progressive']);
    expect(c.get('distill-1')!.items).toEqual(['data 50 %', 'lr 1e-3', 'schedule all']);
  });

  it('a chain distill names a schedule other than the default; a record without resolved is resolved', () => {
    const d = treeRecord('d', 'distill', null, { distill: { schedule: 'layerwise' } });
    expect(branchChanges({ d }).get('d')!.items).toEqual(['dropout 0.3', 'data 50 %', 'schedule layerwise']);
    // a stored resolved config is what the node ran with, and wins over today's defaults
    const r = { ...d, resolved: { ...(settingsOf(d) as object), hiddenDropout: 0.1, attentionDropout: 0.1 } };
    expect(branchChanges({ d: r }).get('d')!.items[0]).toBe('dropout 0.1');
  });

  it('students cut differently, teachers made differently, data options', () => {
    const t = treeRecord('t', 'teacher', null, { init: { preset: 'tiny' } });
    const t2 = treeRecord('t2', 'teacher', null, { init: { preset: 'tiny', layers: 4 }, seed: 7 }, { data: { policy: 'window' } });
    const a = treeRecord('a', 'student', 't', { strategy: 'drop-top', k: 1 });
    const b = treeRecord('b', 'student', 't', { strategy: 'keep', keep: [0, 2] });
    const c = branchChanges({ t, t2, a, b });
    expect(c.get('a')!.items).toEqual(['drop-top 1']);
    expect(c.get('b')!.items).toEqual(['keep 0,2']);
    expect(c.get('t2')!.items).toEqual(['init tiny 4L', 'seed 7', 'fit window']);
    expect(c.get('t')!.items).toEqual(['init tiny', 'seed 42', 'fit skip']);
  });

  it('siblings of another stage are not compared; a parent outside the nodes makes a root', () => {
    const nodes = forkedLabTree();
    nodes['selftrain-3'] = treeRecord('selftrain-3', 'selftrain', 'student-1', { hiddenDropout: 0.1, attentionDropout: 0.1 });
    nodes['orphan'] = treeRecord('orphan', 'selftrain', 'gone', {});
    const c = branchChanges(nodes);
    expect(c.get('selftrain-3')).toEqual({ kind: 'stage', items: ['dropout 0.1', 'data 100 %'] });
    expect(c.get('distill-1')!.items).toEqual(['dropout 0.3']);
    // 'orphan' is a root now, compared with no other self-train root
    expect(c.get('orphan')!.kind).toBe('stage');
  });
});

describe('describeSettings and fmtSetting', () => {
  it('formats numbers as a recipe writes them', () => {
    expect(fmtSetting(5e-5)).toBe('5e-5');
    expect(fmtSetting(1.5e-4)).toBe('1.5e-4');
    expect(fmtSetting(0.05)).toBe('0.05');
    expect(fmtSetting(0.1 + 0.2)).toBe('0.3');
    expect(fmtSetting(undefined)).toBe('none');
  });

  it('unequal dropouts, weights, maps, memory knobs and unknown paths', () => {
    const s = {
      hiddenDropout: 0.1, attentionDropout: 0.2, microBatchSize: 0, maxGradNorm: 0,
      distill: { weights: { hard: 0 }, layerMap: { hidden: [[0, 1]] }, phaseLength: { steps: 5 } }, extra: { x: 1 },
    };
    expect(
      describeSettings(s, ['attentionDropout', 'hiddenDropout', 'distill.weights.hard', 'distill.layerMap.hidden', 'distill.phaseLength.steps', 'microBatchSize', 'maxGradNorm', 'extra.x'], 'distill'),
    ).toEqual(['dropout 0.1 / attn 0.2', 'layer map custom', 'hard weight 0', 'phase 5 steps', 'no clipping', 'whole batch at once', 'extra.x 1']);
    expect(describeSettings(s, ['attentionDropout'], 'distill')).toEqual(['attn dropout 0.2']);
  });
});
