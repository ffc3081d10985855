// qglab params --config config.json [--drop-top N]  ->  {"params": <int>, "layers": <int>}
// Hugging Face's parameter count of BertForMaskedLM (tied weights once), optionally after dropping the top N layers.
import { readFileSync } from 'node:fs';
import { intFlag, printJson, requireFlag, type CliArgs } from '../args';
import { configFromHf, withNumLayers } from '../../core/model/bertConfig';
import { countParameters } from '../../core/model/parameterCount';

export async function run(args: CliArgs): Promise<void> {
  const path = requireFlag(args, 'config');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read --config '${path}': ${(e as Error).message}`);
  }
  const config = configFromHf(text);
  const drop = intFlag(args, 'drop-top', 0);
  if (drop < 0 || drop > config.numHiddenLayers)
    throw new Error(`--drop-top must be between 0 and ${config.numHiddenLayers} (the model's layers), got ${drop}`);
  const layers = config.numHiddenLayers - drop;
  printJson({ params: countParameters(withNumLayers(config, layers)), layers });
}
