// A recipe file (the same JSON `qglab run` takes) read into a wizard draft: the CLI and the lab share one format,
// so a recipe written for a headless run, or one exported from another machine, opens in the wizard as it is.
import { decodeTextFile } from '../../core/lab/inputs/textFile';
import { validateRecipe } from '../../core/experiment/recipe';
import { draftFromRecipe, type Draft, type PresetName } from './recipes';

/** The draft of a recipe file's bytes; throws an Error whose message names the file and what is wrong with it. */
export function draftFromRecipeFile(bytes: Uint8Array, fileName: string, preset: PresetName): Draft {
  const text = decodeTextFile(bytes, fileName, 'recipe');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${fileName}: not JSON (${(e as Error).message})`);
  }
  let draft: Draft;
  try {
    draft = draftFromRecipe(validateRecipe(json), preset);
  } catch (e) {
    throw new Error(`${fileName}: ${(e as Error).message}`);
  }
  if (!draft.name) draft.name = fileName.replace(/\.json$/i, '');
  return draft;
}
