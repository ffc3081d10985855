// The sample teaches the task: the sample demo's teacher (recipes/demo-sample.json, trained as the demo trains it)
// asks, for held-out sample items, the question that the item's answer answers. On the sample a question is
// answerable with its answer exactly when it is the template question of that answer's fact (one template per fact;
// questions name the subject by its kind, so nothing else is needed) — i.e. when it equals the reference.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEval } from '../experiment/checkpoints';
import type { Recipe } from '../experiment/recipe';
import { ExperimentRunner } from '../experiment/runner';
import { MemoryStorage } from '../experiment/storage';
import { useBackend } from '../kernels/useBackend';
import { resolveTokenizer } from './inputs/tokenizerRule';
import { labSplit, sampleItems } from '../data/sampleDataset';

const demo = JSON.parse(readFileSync(path.resolve(__dirname, '../../../recipes/demo-sample.json'), 'utf8')) as Recipe;

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe(true);
});

describe('the sample demo', () => {
  it("its teacher asks answerable questions on the sample's held-out items", async () => {
    const all = sampleItems();
    const { train, test } = labSplit(all);
    const { tokenizer } = resolveTokenizer({ items: all });
    const storage = new MemoryStorage();
    const recipe: Recipe = { ...demo, nodes: demo.nodes.filter((n) => n.stage === 'teacher') };
    const summary = await new ExperimentRunner({ storage, train, test, tokenizer, backend: 'wasm', onEvent: () => undefined }).run(recipe);
    expect(summary.nodes.map((n) => n.status)).toEqual(['done']);
    const ev = (await readEval(storage, recipe.nodes[0]!.id))!;
    const answerable = ev.questions.filter((q) => q.generated === q.reference);
    const rate = answerable.length / ev.questions.length;
    console.log(
      `demo teacher: ${answerable.length} of ${ev.questions.length} held-out questions answerable (${(100 * rate).toFixed(0)} %), avg_score ${(100 * ev.metrics.avg_score).toFixed(1)}\n` +
        ev.questions.filter((q) => q.generated !== q.reference).slice(0, 5).map((q) => `  ${q.answer}: '${q.generated}' (ref '${q.reference}')`).join('\n'),
    );
    expect(ev.questions.length).toBe(test.length);
    expect(rate).toBeGreaterThanOrEqual(0.8);
  }, 900_000);
});
