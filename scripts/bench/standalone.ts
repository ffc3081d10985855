// Lets one benchmark file run on its own: `npx tsx scripts/bench/<file>.ts [backend] [--small]` (default wasm).
import { useBackend } from '../../src/core/kernels/useBackend';
import type { BenchRow } from './types';

export async function runIfMain(
  moduleUrl: string,
  bench: (opts: { small?: boolean }) => Promise<BenchRow[]>,
): Promise<void> {
  if (typeof process === 'undefined') return; // imported by the browser bench page
  const entry = process.argv[1];
  if (entry === undefined || !moduleUrl.endsWith(entry.replace(/\\/g, '/'))) return;
  const backend = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'wasm';
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await useBackend(backend))) throw new Error(`TF.js backend '${backend}' is not available`);
  for (const r of await bench({ small: process.argv.includes('--small') })) console.log(`${r.name}\t${r.value} ${r.unit}`);
}
