// The branch tree as a researcher reads it, on the finished 'lab' tree (teacher → student → distill → self-train,
// plus the forked distill node at dropout 0.05 and its self-train child): the edges into the two distill nodes say
// their dropouts, every node's name is unique in the tree and in Compare, each scored node below the teacher shows
// its avg_score as % of the teacher's, and the best path is drawn from the teacher to the best compressed model.
import type { LabTestsOptions } from './lab.e2e';
import { LAB } from './lab.e2e';
import { nav } from './labPage';
import { assert, waitFor, waitForCount, type TestDef } from './suite';

export const READABLE_TREE = 'readable tree: edges say what changed, names are unique, nodes show % of teacher, the best path is drawn';

interface ShownNode {
  id: string;
  stage: string;
  name: string;
  score: string;
  pct: string;
  onBest: string;
  text: string;
}

export function treeTests({ log }: LabTestsOptions): TestDef[] {
  return [
    {
      name: READABLE_TREE,
      fixture: 'lab',
      needs: [LAB.fork],
      async run({ page, shot }) {
        await nav(page, 'tree');
        await waitForCount(page, 'g.tree-node', 6, 'the six nodes of the forked tree');
        const nodes: ShownNode[] = await page.$$eval('g.tree-node', (gs) =>
          gs.map((g) => ({
            id: g.getAttribute('data-node-id') ?? '',
            stage: g.getAttribute('data-stage') ?? '',
            name: g.getAttribute('data-name') ?? '',
            score: g.getAttribute('data-score') ?? '',
            pct: g.getAttribute('data-pct-of-teacher') ?? '',
            onBest: g.getAttribute('data-best-path') ?? '',
            text: g.textContent ?? '',
          })),
        );
        const edges = await page.$$eval('g[data-edge-label]', (gs) =>
          gs.map((g) => ({ to: g.getAttribute('data-edge-to') ?? '', label: g.getAttribute('data-edge-label') ?? '', shown: g.textContent ?? '' })),
        );
        log(`tree: ${nodes.map((n) => `${n.id} = '${n.name}'`).join('; ')}`);
        log(`edges: ${edges.map((e) => `→${e.to}: '${e.label}'`).join('; ')}`);

        // the edges into the two distill nodes say their dropouts (in the words drawn, not only in the attribute)
        const distills = nodes.filter((n) => n.stage === 'distill');
        assert(distills.length === 2, `expected 2 distill nodes, saw ${distills.length}`);
        const into = distills.map((d) => edges.find((e) => e.to === d.id));
        assert(into.every(Boolean), `a distill node has no edge label: ${JSON.stringify(into)}`);
        const labels = into.map((e) => e!.label);
        assert(labels.some((l) => /(^| · )dropout 0\.3( · |$)/.test(l)) && labels.some((l) => /(^| · )dropout 0\.05( · |$)/.test(l)), `distill edge labels: ${labels.join(' | ')}`);
        assert(into.every((e) => e!.shown.includes('dropout')), `the dropout is not drawn on the edges: ${into.map((e) => e!.shown).join(' | ')}`);
        // every edge has a label (the student's cut, the self-trains' settings)
        assert(edges.length === nodes.length - 1, `${edges.length} edge labels for ${nodes.length - 1} edges`);

        // unique names, the two self-trains told apart
        const names = nodes.map((n) => n.name);
        assert(names.every((n) => n.length > 0) && new Set(names).size === names.length, `node names repeat: ${names.join(' | ')}`);
        const selftrains = nodes.filter((n) => n.stage === 'selftrain');
        assert(selftrains.length === 2 && selftrains.every((n) => /\(after distill/.test(n.name)), `self-train names: ${selftrains.map((n) => n.name).join(' | ')}`);

        // avg_score and % of the teacher on every scored node below the teacher
        const teacher = nodes.find((n) => n.stage === 'teacher');
        assert(teacher && teacher.score !== '', 'the teacher has no score');
        for (const n of nodes.filter((x) => x.stage !== 'teacher')) {
          assert(n.score !== '', `node ${n.id} has no score`);
          const want = (Number(n.score) / Number(teacher.score)) * 100;
          assert(Math.abs(Number(n.pct) - want) < 1e-3, `node ${n.id}: % of teacher ${n.pct}, want ${want}`);
          assert(n.text.includes(`${want.toFixed(1)} % of teacher`), `node ${n.id} does not show '${want.toFixed(1)} % of teacher': '${n.text}'`);
          assert(n.text.includes(`avg ${(Number(n.score) * 100).toFixed(2)}`), `node ${n.id} does not show its avg_score: '${n.text}'`);
        }

        // the best path: from the teacher to the highest-scoring compressed model, boxes and edges
        const bestId = (await page.getAttribute('[data-testid=tree]', 'data-best-node')) ?? '';
        const compressed = nodes.filter((n) => n.stage !== 'teacher');
        const top = Math.max(...compressed.map((n) => Number(n.score)));
        const best = nodes.find((n) => n.id === bestId);
        assert(best && best.stage !== 'teacher' && Number(best.score) === top, `best node '${bestId}' is not the top-scoring compressed model (${top})`);
        assert(best.text.includes('★ best'), `the best node is not marked: '${best.text}'`);
        const onPath = nodes.filter((n) => n.onBest === 'yes');
        assert(onPath.some((n) => n.id === teacher.id) && onPath.some((n) => n.id === bestId), `best path boxes: ${onPath.map((n) => n.id).join(', ')}`);
        const bestEdges = await page.$$eval('path[data-best-path=yes]', (ps) => ps.map((p) => p.getAttribute('data-edge-to') ?? ''));
        assert(bestEdges.length === onPath.length - 1 && bestEdges.every((id) => onPath.some((n) => n.id === id && n.id !== teacher.id)),
          `best path edges ${bestEdges.join(', ')} for boxes ${onPath.map((n) => n.id).join(', ')}`);
        const key = (await page.textContent('[data-testid=best-path-key]')) ?? '';
        assert(key.includes(best.name), `the legend's key does not name the best node '${best.name}': '${key}'`);
        await shot('20-tree-readable');

        // Compare's rows carry the same unique names
        await nav(page, 'compare');
        await waitFor(page, '[data-testid=compare-table]', 'the compare table', 10_000);
        await waitForCount(page, '[data-testid=compare-table] tbody tr', 6, 'a row per node in the compare table');
        const rows = await page.$$eval('[data-testid=compare-table] tbody tr [data-node-name]', (d) => d.map((x) => (x.textContent ?? '').trim()));
        assert(new Set(rows).size === rows.length, `Compare's names repeat: ${rows.join(' | ')}`);
        const scored = nodes.filter((n) => n.score !== '').map((n) => n.name).sort();
        assert(JSON.stringify([...rows].sort()) === JSON.stringify(scored), `Compare's names ${rows.join(' | ')} differ from the tree's ${scored.join(' | ')}`);
        await shot('21-compare-names');
      },
    },
  ];
}
