// Writes the SYNTHETIC sample dataset src/core/data/sample/drcdSample.json (deterministic: fixed seed).
//   npx tsx scripts/makeSample.ts        (or: npm run sample)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetStats, validateDrcd } from '../src/core/data/drcd';
import { generateSample } from '../src/core/data/sampleGenerator';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'src/core/data/sample/drcdSample.json');
const ds = validateDrcd(generateSample(), 'generated sample');
mkdirSync(path.dirname(out), { recursive: true });
const text = JSON.stringify(ds, null, 1) + '\n';
writeFileSync(out, text);
process.stdout.write(
  `wrote ${path.relative(root, out)} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB): ` +
    JSON.stringify(datasetStats(ds)) + '\n',
);
