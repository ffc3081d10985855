// The branch tree as a researcher reads it: each edge says what its branch changed, each node has a unique name, its
// avg_score and the score as % of its teacher's, and the best path is drawn from the teacher to the best student.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { NodeRecord } from '../core/lab/nodeRecord';
import { forkedLabTree } from '../core/lab/testing/labTree';
import { boxLines, packLines, TreeView, wrapWords } from './components/TreeView';

const scores = (avg: number) => ({ Bleu_1: 0, Bleu_2: 0, Bleu_3: 0, Bleu_4: 0, METEOR: 0, ROUGE_L: 0, avg_score: avg });
const AVG: Record<string, number> = { 'teacher-1': 0.4, 'student-1': 0.02, 'distill-1': 0.2, 'selftrain-1': 0.22, 'distill-2': 0.25, 'selftrain-2': 0.3 };

function render(nodes: Record<string, NodeRecord>): string {
  return renderToStaticMarkup(createElement(TreeView, { nodes, selectedId: null, onSelect: () => {} }));
}
const attrs = (html: string, tag: string, attr: string) =>
  [...html.matchAll(new RegExp(`<${tag}[^>]*?\\s${attr}="([^"]*)"`, 'g'))].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&#x27;/g, "'"));
const edgeLabel = (html: string, to: string) => new RegExp(`<g data-edge-label="([^"]*)" data-edge-to="${to}"`).exec(html)?.[1];

describe('tree view', () => {
  const nodes = forkedLabTree();
  for (const [id, v] of Object.entries(AVG)) nodes[id] = { ...nodes[id]!, scores: scores(v) };
  const html = render(nodes);

  it('labels the edges into the two distill nodes with their dropouts, the others with their step', () => {
    expect(edgeLabel(html, 'distill-1')).toBe('dropout 0.3');
    expect(edgeLabel(html, 'distill-2')).toBe('dropout 0.05');
    expect(edgeLabel(html, 'student-1')).toBe('cut to 1 layer');
    expect(edgeLabel(html, 'selftrain-2')).toBe('dropout 0.3 · data 100 %');
    expect(html).toContain('>dropout 0.05</text>');
  });

  it('names every node uniquely, the fork’s self-train by the distill it came after', () => {
    const names = attrs(html, 'g', 'data-name');
    expect(names).toHaveLength(6);
    expect(new Set(names).size).toBe(6);
    expect(names).toContain('Self-train · drop 0.3 (after distill · drop 0.05)');
    expect(html).toContain('>after distill · drop 0.05</text>');
  });

  it('shows avg_score and % of the teacher on every scored node below the teacher', () => {
    const pct = Object.fromEntries(
      [...html.matchAll(/data-node-id="([^"]+)"[^>]*data-pct-of-teacher="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    expect(pct['teacher-1']).toBe('');
    expect(Number(pct['selftrain-2'])).toBeCloseTo(75, 6);
    expect(Number(pct['student-1'])).toBeCloseTo(5, 6);
    expect(html).toContain('75.0 % of teacher');
    expect(html).toContain('the reference (100 %)');
    expect(html).toContain('>30.00</tspan>');
  });

  it('draws the best path from the teacher to the best compressed model, edges and boxes', () => {
    expect(html).toContain('data-best-node="selftrain-2"');
    const onPath = [...html.matchAll(/data-node-id="([^"]+)"[^>]*data-best-path="yes"/g)].map((m) => m[1]).sort();
    expect(onPath).toEqual(['distill-2', 'selftrain-2', 'student-1', 'teacher-1']);
    const edges = [...html.matchAll(/<path[^>]*data-edge-to="([^"]+)" data-best-path="yes"/g)].map((m) => m[1]).sort();
    expect(edges).toEqual(['distill-2', 'selftrain-2', 'student-1']);
    expect(html.match(/★ best/g)).toHaveLength(1);
  });

  it('with no scores there is no best path and no % of teacher', () => {
    const bare = render(forkedLabTree());
    expect(bare).not.toContain('data-best-path="yes"');
    expect(bare).not.toContain('% of teacher');
  });
});

describe('packLines and wrapWords', () => {
  it('packs items into lines, breaks a long item between words, and marks what does not fit', () => {
    expect(packLines(['dropout 0.05'], 14)).toEqual({ lines: ['dropout 0.05'], cut: false });
    expect(packLines(['dropout 0.3', 'data 10 %'], 14)).toEqual({ lines: ['dropout 0.3', 'data 10 %'], cut: false });
    expect(packLines(['a', 'b', 'c'], 14)).toEqual({ lines: ['a · b · c'], cut: false });
    expect(packLines(['schedule progressive'], 14)).toEqual({ lines: ['schedule', 'progressive'], cut: false });
    expect(packLines(['dropout 0.3', 'data 100 %', 'lr 5e-5', 'schedule progressive'], 20, 2)).toEqual({
      lines: ['dropout 0.3', 'data 100 % …'],
      cut: true,
    });
    expect(packLines(['dropout 0.3', 'lr 5e-5', 'schedule progressive'], 14, 3)).toEqual({
      lines: ['dropout 0.3', 'lr 5e-5', 'schedule …'],
      cut: true,
    });
    expect(packLines(['averyveryverylongword'], 10)).toEqual({ lines: ['averyvery…'], cut: true });
  });

  it('wraps a name between words', () => {
    expect(wrapWords('after distill all · drop 0.05', 30, 2)).toEqual({ lines: ['after distill all · drop 0.05'], cut: false });
    expect(wrapWords('after distill all · drop 0.05', 20, 2)).toEqual({ lines: ['after distill all ·', 'drop 0.05'], cut: false });
    expect(wrapWords('after distill all · drop 0.05', 12, 1)).toEqual({ lines: ['after …'], cut: true });
    expect(wrapWords('afterdistillall drop', 12, 1)).toEqual({ lines: ['afterdistil…'], cut: true });
  });
});

describe('boxLines', () => {
  it('a long head takes two lines and leaves the qualifier one; a short head leaves it two', () => {
    const long = boxLines('Distill progressive · drop 0.3 · lr 5e-5', 'after student · drop-top 2');
    expect(long.map((l) => [l.text, l.qualifier])).toEqual([
      ['Distill progressive', false],
      ['drop 0.3 · lr 5e-5', false],
      ['after student · drop-top 2', true],
    ]);
    const short = boxLines('Self-train · drop 0.3', 'after distill all · drop 0.05 · lr 5e-5 · seed 7');
    expect(short.map((l) => l.text)).toEqual(['Self-train · drop 0.3', 'after distill all · drop 0.05', 'lr 5e-5 · seed 7']);
    expect(new Set(long.map((l) => l.y)).size).toBe(3);
  });
});
