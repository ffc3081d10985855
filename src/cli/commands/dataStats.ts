// qglab data-stats --data file.json
// Validates a DRCD / SQuAD v1 file and prints its statistics as JSON; a bad file exits 1 with every problem found
// (each naming its JSON path).
import { readFileSync } from 'node:fs';
import { printJson, requireFlag, type CliArgs } from '../args';
import { datasetStats, parseDrcd } from '../../core/data/drcd';

export async function run(args: CliArgs): Promise<void> {
  const file = requireFlag(args, 'data');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  printJson(datasetStats(parseDrcd(text, file)));
}
