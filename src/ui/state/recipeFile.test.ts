import { describe, expect, it } from 'vitest';
import tinyJson from '../../../recipes/tiny-check.json';
import { draftFromRecipeFile } from './recipeFile';
import { draftFromRecipe, PRESET_RECIPES } from './recipes';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('draftFromRecipeFile', () => {
  it('reads a recipe file into the same draft as the recipe itself (BOM accepted)', () => {
    const d = draftFromRecipeFile(bytes('\ufeff' + JSON.stringify(tinyJson)), 'tiny-check.json', 'tiny');
    expect(d).toEqual(draftFromRecipe(PRESET_RECIPES.tiny, 'tiny'));
  });

  it('names the file when it is not JSON, not a valid recipe, or not one chain', () => {
    expect(() => draftFromRecipeFile(bytes('{"version":'), 'r.json', 'study')).toThrow(/^r\.json: not JSON/);
    expect(() => draftFromRecipeFile(bytes(JSON.stringify({ ...tinyJson, eval: { limit: -1 } })), 'r.json', 'study')).toThrow(
      /^r\.json: invalid recipe .*\n.*eval\.limit must be a non-negative integer/,
    );
    const branched = { ...tinyJson, nodes: [...tinyJson.nodes, { id: 'student2', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 1 } }] };
    expect(() => draftFromRecipeFile(bytes(JSON.stringify(branched)), 'b.json', 'study')).toThrow(/^b\.json: a draft is one chain/);
    expect(() => draftFromRecipeFile(new Uint8Array([0xff, 0xfe, 0x7b, 0]), 'u.json', 'study')).toThrow(/u\.json: this recipe is UTF-16/);
  });

  it('names an unnamed recipe after its file', () => {
    const { name: _n, ...unnamed } = tinyJson;
    expect(draftFromRecipeFile(bytes(JSON.stringify(unnamed)), 'my-run.json', 'tiny').name).toBe('my-run');
  });
});
