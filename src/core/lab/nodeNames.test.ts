import { describe, expect, it } from 'vitest';
import type { NodeRecord } from './nodeRecord';
import { nodeNames } from './nodeNames';
import { forkedLabTree, treeRecord } from './testing/labTree';

const fulls = (nodes: Record<string, NodeRecord>) => Object.fromEntries([...nodeNames(nodes)].map(([id, n]) => [id, n.full]));
const unique = (names: Record<string, string>) => new Set(Object.values(names)).size === Object.keys(names).length;

describe('nodeNames: a unique readable name for every node', () => {
  it("the fork's self-train and the original's are named by the distill they came after; unique labels stay", () => {
    const names = nodeNames(forkedLabTree());
    expect(names.get('selftrain-1')).toEqual({
      full: 'Self-train · drop 0.3 (after distill · drop 0.3)',
      head: 'Self-train · drop 0.3',
      qualifier: 'after distill · drop 0.3',
    });
    expect(names.get('selftrain-2')!.full).toBe('Self-train · drop 0.3 (after distill · drop 0.05)');
    expect(names.get('distill-2')).toEqual({ full: 'Distill · drop 0.05', head: 'Distill · drop 0.05', qualifier: '' });
    expect(names.get('student-1')!.full).toBe('Student · drop-top 1');
  });

  it('siblings with one label are told apart by what they changed', () => {
    const nodes = forkedLabTree();
    nodes['distill-2'] = { ...nodes['distill-2']!, config: { ...nodes['distill-1']!.config, learningRate: 5e-5 }, label: nodes['distill-1']!.label };
    const names = fulls(nodes);
    expect(names['distill-1']).toBe('Distill · drop 0.3 · lr 1e-3');
    expect(names['distill-2']).toBe('Distill · drop 0.3 · lr 5e-5');
    // their children: the parents' labels repeat, so the parting ancestor is named by what it changed
    expect(names['selftrain-1']).toBe('Self-train · drop 0.3 (after distill · drop 0.3 · lr 1e-3)');
    expect(names['selftrain-2']).toBe('Self-train · drop 0.3 (after distill · drop 0.3 · lr 5e-5)');
  });

  it('the parting ancestor is the nearest one whose label differs, not the parent', () => {
    const t = treeRecord('t', 'teacher', null, { init: { preset: 'tiny' } });
    const a = treeRecord('a', 'student', 't', { strategy: 'drop-top', k: 1 }, { createdAt: 1 });
    const b = treeRecord('b', 'student', 't', { strategy: 'drop-top', k: 2 }, { createdAt: 2 });
    const da = treeRecord('da', 'distill', 'a', {}, { createdAt: 3 });
    const db = treeRecord('db', 'distill', 'b', {}, { createdAt: 4 });
    const sa = treeRecord('sa', 'selftrain', 'da', {}, { createdAt: 5 });
    const sb = treeRecord('sb', 'selftrain', 'db', {}, { createdAt: 6 });
    const names = fulls({ t, a, b, da, db, sa, sb });
    expect(names.da).toBe('Distill (after student · drop-top 1)');
    expect(names.sa).toBe('Self-train (after student · drop-top 1)');
    expect(names.sb).toBe('Self-train (after student · drop-top 2)');
  });

  it('identical trees: the roots are numbered, their nodes named by the numbered root', () => {
    const t1 = treeRecord('t1', 'teacher', null, { init: { preset: 'tiny' } }, { createdAt: 1 });
    const t2 = treeRecord('t2', 'teacher', null, { init: { preset: 'tiny' } }, { createdAt: 2 });
    const s1 = treeRecord('s1', 'student', 't1', { strategy: 'drop-top', k: 1 }, { createdAt: 3 });
    const s2 = treeRecord('s2', 'student', 't2', { strategy: 'drop-top', k: 1 }, { createdAt: 4 });
    const names = nodeNames({ t1, t2, s1, s2 });
    expect(names.get('t1')!.full).toBe('Teacher · tiny');
    expect(names.get('t2')).toEqual({ full: 'Teacher · tiny #2', head: 'Teacher · tiny', qualifier: '#2' });
    // the labels up the tree repeat: the parting ancestor is named by its unique name
    expect(names.get('s1')!.full).toBe('Student · drop-top 1 (after teacher · tiny)');
    expect(names.get('s2')!.full).toBe('Student · drop-top 1 (after teacher · tiny #2)');
  });

  it('identical siblings are numbered in the order they were made, and every name is unique', () => {
    const nodes = forkedLabTree();
    nodes['selftrain-3'] = { ...nodes['selftrain-1']!, id: 'selftrain-3', createdAt: 9 };
    const names = fulls(nodes);
    expect(names['selftrain-1']).toBe('Self-train · drop 0.3 (after distill · drop 0.3)');
    expect(names['selftrain-3']).toBe('Self-train · drop 0.3 (after distill · drop 0.3) #2');
    expect(unique(names)).toBe(true);
  });

  it('a label that equals another node’s name with its change is still made unique', () => {
    const nodes: Record<string, NodeRecord> = {
      x: treeRecord('x', 'teacher', null, { init: { preset: 'tiny' } }, { label: 'Teacher · tiny · seed 7', createdAt: 0 }),
      y: treeRecord('y', 'teacher', null, { init: { preset: 'tiny' }, seed: 7 }, { createdAt: 1 }),
      z: treeRecord('z', 'teacher', null, { init: { preset: 'tiny' } }, { createdAt: 2 }),
    };
    const names = fulls(nodes);
    expect(unique(names)).toBe(true);
    expect(names.y).toBe('Teacher · tiny · seed 7 #2');
  });
});

describe('nodeNames over many made-up trees', () => {
  it('every name is unique, and a node whose label is unique keeps it', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const stages = ['student', 'distill', 'selftrain'] as const;
    for (let trial = 0; trial < 200; trial++) {
      const nodes: Record<string, NodeRecord> = {};
      const roots = 1 + rand(2);
      for (let r = 0; r < roots; r++) nodes[`t${r}`] = treeRecord(`t${r}`, 'teacher', null, { init: { preset: 'tiny' }, seed: rand(2) }, { createdAt: r });
      for (let i = 0; i < 2 + rand(10); i++) {
        const ids = Object.keys(nodes);
        const parent = ids[rand(ids.length)]!;
        const stage = stages[rand(3)]!;
        const config = stage === 'student' ? { strategy: 'drop-top', k: 1 + rand(2) } : { hiddenDropout: [0.1, 0.3][rand(2)], learningRate: [1e-3, 5e-5][rand(2)] };
        nodes[`n${i}`] = treeRecord(`n${i}`, stage, parent, config, { createdAt: 10 + i });
      }
      const names = nodeNames(nodes);
      const full = [...names.values()].map((n) => n.full);
      expect(new Set(full).size, JSON.stringify(full)).toBe(full.length);
      const labelCount = new Map<string, number>();
      for (const n of Object.values(nodes)) labelCount.set(n.label, (labelCount.get(n.label) ?? 0) + 1);
      for (const n of Object.values(nodes)) if (labelCount.get(n.label) === 1) expect(names.get(n.id)!.full).toBe(n.label);
    }
  });
});
