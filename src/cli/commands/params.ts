// qglab params --config config.json [--drop-top N]  ->  {"params": <int>, "layers": <int>}
// Hugging Face's parameter count of BertForMaskedLM (tied weights once), optionally after dropping the top N layers.
import { intFlag, printJson, requireFlag, type CliArgs } from '../args';
import { configFromHf, withNumLayers } from '../../core/model/bertConfig';
import { countParameters } from '../../core/model/parameterCount';
import { readTextFileSync } from '../../node/textInput';

export async function run(args: CliArgs): Promise<void> {
  const path = requireFlag(args, 'config');
  const config = configFromHf(readTextFileSync(path, '--config file'));
  const drop = intFlag(args, 'drop-top', 0);
  if (drop < 0 || drop > config.numHiddenLayers)
    throw new Error(`--drop-top must be between 0 and ${config.numHiddenLayers} (the model's layers), got ${drop}`);
  const layers = config.numHiddenLayers - drop;
  printJson({ params: countParameters(withNumLayers(config, layers)), layers });
}
