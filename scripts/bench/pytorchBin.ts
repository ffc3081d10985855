// Parse speed and peak extra memory of readPytorchBin on a bert-base-chinese-sized pytorch_model.bin (~409 MB of
// float32, BertForPreTraining layout, decoder sharing the word embeddings), zip and legacy layouts.
// Run: `npx tsx scripts/bench/pytorchBin.ts [--small] [--keep DIR]` (not part of `npm run bench`: it needs ~1 GB).
// Each file is written to a temp folder, then parsed in a fresh child process (so its peak RSS is this parse's alone).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPytorchBin } from '../../src/core/model/pytorchBin';
import { torchSaveLegacy, torchSaveZip, type TorchStorageSpec, type TorchTensorSpec } from '../../src/core/model/testing/torchSave';
import type { BenchRow } from './types';

/** BertForPreTraining state dict shapes (HF names, [out, in] linears). */
function bertShapes(layers: number, hidden: number, inter: number, vocab: number, positions: number): [string, number[]][] {
  const out: [string, number[]][] = [
    ['bert.embeddings.word_embeddings.weight', [vocab, hidden]],
    ['bert.embeddings.position_embeddings.weight', [positions, hidden]],
    ['bert.embeddings.token_type_embeddings.weight', [2, hidden]],
    ['bert.embeddings.LayerNorm.gamma', [hidden]],
    ['bert.embeddings.LayerNorm.beta', [hidden]],
  ];
  for (let l = 0; l < layers; l++) {
    const p = `bert.encoder.layer.${l}.`;
    for (const m of ['query', 'key', 'value']) out.push([`${p}attention.self.${m}.weight`, [hidden, hidden]], [`${p}attention.self.${m}.bias`, [hidden]]);
    out.push([`${p}attention.output.dense.weight`, [hidden, hidden]], [`${p}attention.output.dense.bias`, [hidden]]);
    out.push([`${p}attention.output.LayerNorm.gamma`, [hidden]], [`${p}attention.output.LayerNorm.beta`, [hidden]]);
    out.push([`${p}intermediate.dense.weight`, [inter, hidden]], [`${p}intermediate.dense.bias`, [inter]]);
    out.push([`${p}output.dense.weight`, [hidden, inter]], [`${p}output.dense.bias`, [hidden]]);
    out.push([`${p}output.LayerNorm.gamma`, [hidden]], [`${p}output.LayerNorm.beta`, [hidden]]);
  }
  out.push(['bert.pooler.dense.weight', [hidden, hidden]], ['bert.pooler.dense.bias', [hidden]]);
  out.push(['cls.predictions.bias', [vocab]], ['cls.predictions.transform.dense.weight', [hidden, hidden]]);
  out.push(['cls.predictions.transform.dense.bias', [hidden]]);
  out.push(['cls.predictions.transform.LayerNorm.gamma', [hidden]], ['cls.predictions.transform.LayerNorm.beta', [hidden]]);
  out.push(['cls.seq_relationship.weight', [2, hidden]], ['cls.seq_relationship.bias', [2]]);
  return out;
}

function checkpoint(small: boolean): { tensors: TorchTensorSpec[]; storages: Map<string, TorchStorageSpec> } {
  const shapes = small ? bertShapes(2, 256, 1024, 21128, 512) : bertShapes(12, 768, 3072, 21128, 512);
  const tensors: TorchTensorSpec[] = [];
  const storages = new Map<string, TorchStorageSpec>();
  let seed = 1;
  for (const [name, shape] of shapes) {
    const key = String(storages.size);
    const numel = shape.reduce((a, b) => a * b, 1);
    storages.set(key, {
      dtype: 'F32',
      numel,
      data: (dst) => {
        const f = new Float32Array(dst.buffer, dst.byteOffset, numel); // the writer aligns stored data to 64 bytes
        for (let i = 0; i < numel; i++) f[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.04;
      },
    });
    tensors.push({ name, storage: key, shape });
  }
  tensors.push({ name: 'cls.predictions.decoder.weight', storage: '0', shape: shapes[0]![1] }); // tied
  return { tensors, storages };
}

/** In a child: read the file, then parse it, measuring time and memory around the parse only. */
function parseChild(file: string): void {
  const b = readFileSync(file);
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const before = process.memoryUsage();
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  const f = readPytorchBin(bytes, file);
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  const maxAfter = process.resourceUsage().maxRSS * 1024;
  let floats = 0;
  let views = 0;
  const seen = new Set<Float32Array>();
  for (const t of f.tensors.values()) {
    if (seen.has(t.data)) continue;
    seen.add(t.data);
    floats += t.data.length;
    if (t.data.buffer === bytes.buffer) views++;
  }
  process.stdout.write(
    JSON.stringify({
      ms,
      tensors: f.tensors.size,
      floats,
      zeroCopy: views,
      arrays: seen.size,
      rssBefore: before.rss,
      peakExtra: Math.max(0, maxAfter - Math.max(before.rss, maxBefore)),
      peakRssOverFileRss: maxAfter - before.rss,
      retainedExtra: after.arrayBuffers - before.arrayBuffers + (after.heapUsed - before.heapUsed),
    }) + '\n',
  );
}

export async function benchPytorchBin(opts: { small?: boolean; keep?: string } = {}): Promise<BenchRow[]> {
  const dir = opts.keep ?? mkdtempSync(join(tmpdir(), 'qglab-ptbin-bench-'));
  const rows: BenchRow[] = [];
  const MB = 1024 * 1024;
  try {
    for (const layout of ['zip', 'legacy'] as const) {
      const { tensors, storages } = checkpoint(!!opts.small);
      const file = join(dir, `${layout}-pytorch_model.bin`);
      writeFileSync(file, layout === 'zip' ? torchSaveZip(tensors, storages, { crc: false }) : torchSaveLegacy(tensors, storages));
      const size = statSync(file).size;
      const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--parse', file], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`parse child failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split('\n').pop()!);
      const tag = `${layout} ${(size / MB).toFixed(0)} MB (${r.tensors} tensors, ${r.zeroCopy}/${r.arrays} zero-copy)`;
      rows.push({ name: `readPytorchBin ${tag} parse`, value: +r.ms.toFixed(1), unit: 'ms' });
      rows.push({ name: `readPytorchBin ${tag} peak RSS over the file's`, value: +(r.peakRssOverFileRss / MB).toFixed(1), unit: 'MB' });
      rows.push({ name: `readPytorchBin ${tag} retained (heap + ArrayBuffers)`, value: +(r.retainedExtra / MB).toFixed(1), unit: 'MB' });
    }
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--parse');
  if (i > 0) parseChild(process.argv[i + 1]!);
  else {
    const k = process.argv.indexOf('--keep');
    for (const r of await benchPytorchBin({ small: process.argv.includes('--small'), keep: k > 0 ? process.argv[k + 1] : undefined }))
      console.log(`${r.name}\t${r.value} ${r.unit}`);
  }
}
