import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateRecipe } from '../../core/experiment/recipe';
import { demoPreset, presetDraft, recipeFromDraft, type PresetName } from './recipes';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('wizard presets', () => {
  for (const p of ['study', 'demo', 'tiny'] as PresetName[])
    it(`'${p}' gives a valid engine recipe`, () => {
      expect(() => validateRecipe(recipeFromDraft(presetDraft(p), {}))).not.toThrow();
    });

  it('the sample demo is recipes/demo-sample.json (the CLI runs the same tree)', () => {
    const ui = recipeFromDraft(demoPreset(), {});
    const cli = validateRecipe(JSON.parse(readFileSync(resolve(repoRoot, 'recipes/demo-sample.json'), 'utf8')));
    expect(ui.nodes.map((n) => [n.stage, n.config])).toEqual(cli.nodes.map((n) => [n.stage, n.config]));
    expect([ui.data, ui.eval]).toEqual([cli.data, cli.eval]);
  });
});
