import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, existsSync, promises as fsp, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DiskFullError, FsStorage } from './fsStorage';
import { MemoryStorage, type RunStorage } from '../core/experiment/storage';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'qglab-fs-'));
  dirs.push(d);
  return d;
}

async function roundTrip(s: RunStorage): Promise<void> {
  expect(await s.getJson('nodes/a/state.json')).toBeUndefined();
  expect(await s.getBytes('nodes/a/model/model.safetensors')).toBeUndefined();
  await s.putJson('nodes/a/state.json', { status: 'done', n: 1.5, list: [1, 2] });
  const bytes = new Uint8Array([0, 1, 2, 255]);
  await s.putBytes('nodes/a/model/model.safetensors', bytes.subarray(1, 3));
  await s.putJson('nodes/ab/state.json', { status: 'queued' });
  await s.putJson('recipe.json', { version: 1 });
  expect(await s.getJson('nodes/a/state.json')).toEqual({ status: 'done', n: 1.5, list: [1, 2] });
  expect([...(await s.getBytes('nodes/a/model/model.safetensors'))!]).toEqual([1, 2]);
  await s.putJson('nodes/a/state.json', { status: 'failed' }); // overwrite
  expect(await s.getJson('nodes/a/state.json')).toEqual({ status: 'failed' });
  expect(await s.list('nodes/a/')).toEqual(['nodes/a/model/model.safetensors', 'nodes/a/state.json']);
  expect(await s.list('nodes/a')).toEqual(['nodes/a/model/model.safetensors', 'nodes/a/state.json', 'nodes/ab/state.json']);
  expect(await s.list('')).toHaveLength(4);
  await s.deletePrefix('nodes/a/');
  expect(await s.list('nodes/')).toEqual(['nodes/ab/state.json']);
  expect(await s.getJson('nodes/a/state.json')).toBeUndefined();
}

describe('RunStorage', () => {
  it('MemoryStorage round trip', async () => {
    await roundTrip(new MemoryStorage());
  });

  it('FsStorage round trip, files under the root, no temp files left', async () => {
    const root = fresh();
    const s = new FsStorage(root);
    await roundTrip(s);
    expect(existsSync(path.join(root, 'nodes', 'ab', 'state.json'))).toBe(true);
    expect(existsSync(path.join(root, 'nodes', 'a'))).toBe(false);
    const all = readdirSync(root, { recursive: true }) as string[];
    expect(all.filter((f) => f.includes('.tmp-'))).toEqual([]);
    // a reopened storage sees the same data
    expect(await new FsStorage(root).getJson('recipe.json')).toEqual({ version: 1 });
  });

  it('FsStorage rejects keys that escape the root', async () => {
    const s = new FsStorage(fresh());
    await expect(s.putJson('../x.json', 1)).rejects.toThrow(/invalid storage key/);
    await expect(s.putJson('/abs.json', 1)).rejects.toThrow(/invalid storage key/);
    await expect(s.getJson('a//b')).rejects.toThrow(/invalid storage key/);
  });

  it('FsStorage: a failed write leaves the previous file intact', async () => {
    const root = fresh();
    const s = new FsStorage(root);
    await s.putJson('nodes/a/state.json', { v: 1 });
    const bad = { toJSON() { throw new Error('boom'); } };
    await expect(s.putJson('nodes/a/state.json', bad)).rejects.toThrow('boom');
    expect(await s.getJson('nodes/a/state.json')).toEqual({ v: 1 });
  });

  it('FsStorage: a corrupt JSON file names its path', async () => {
    const root = fresh();
    const s = new FsStorage(root);
    await s.putBytes('x.json', new TextEncoder().encode('{not json'));
    await expect(s.getJson('x.json')).rejects.toThrow(/x\.json is not valid JSON/);
  });
});

/** Spies on fs.promises.open: counts opens for writing and, when `full`, makes their writes fail like a full disk. */
function watchWrites(opts: { full?: boolean; code?: 'ENOSPC' | 'EDQUOT' } = {}): { writes: string[] } {
  const writes: string[] = [];
  const realOpen = fsp.open.bind(fsp);
  vi.spyOn(fsp, 'open').mockImplementation(async (file, flags, mode) => {
    const fh = await realOpen(file, flags, mode);
    if (flags === 'r' || flags === undefined) return fh;
    writes.push(String(file));
    if (opts.full) {
      const code = opts.code ?? 'ENOSPC';
      fh.writeFile = async () => {
        throw Object.assign(new Error(`${code}: no space left on device, write`), { code, errno: -28, syscall: 'write' });
      };
    }
    return fh;
  });
  return { writes };
}

describe('FsStorage: unchanged files and full disks', () => {
  it('writing the bytes a file already holds does not rewrite it; different bytes of the same length do', async () => {
    const root = fresh();
    const s = new FsStorage(root);
    const vocab = new TextEncoder().encode('[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n的\n');
    await s.putBytes('nodes/t/model/vocab.txt', vocab);
    const file = path.join(root, 'nodes', 't', 'model', 'vocab.txt');
    const before = statSync(file);
    const { writes } = watchWrites();
    await s.putBytes('nodes/t/model/vocab.txt', vocab.slice());
    await s.putJson('recipe.json', { version: 1 });
    await s.putJson('recipe.json', { version: 1 });
    expect(writes).toHaveLength(1); // only the first recipe.json
    expect(statSync(file).ino).toBe(before.ino);
    const changed = vocab.slice();
    changed[changed.length - 2] = 0x41;
    await s.putBytes('nodes/t/model/vocab.txt', changed);
    expect(writes).toHaveLength(2);
    expect([...readFileSync(file)]).toEqual([...changed]);
  });

  it('compares files larger than one read chunk to the last byte', async () => {
    const s = new FsStorage(fresh());
    const big = new Uint8Array(2 * 1024 * 1024 + 3).map((_, i) => i % 251);
    await s.putBytes('model.safetensors', big);
    const { writes } = watchWrites();
    await s.putBytes('model.safetensors', big.slice());
    expect(writes).toHaveLength(0);
    const last = big.slice();
    last[last.length - 1] ^= 1;
    await s.putBytes('model.safetensors', last);
    expect(writes).toHaveLength(1);
    expect([...(await s.getBytes('model.safetensors'))!.subarray(-2)]).toEqual([...last.subarray(-2)]);
  });

  it('out of space: the error names the file and the bytes it needed; the old file stays, no temporary file is left', async () => {
    const root = fresh();
    const s = new FsStorage(root);
    await s.putJson('nodes/a/state.json', { v: 1 });
    watchWrites({ full: true });
    const bytes = new Uint8Array(12345);
    const err = await s.putBytes('nodes/a/model/model.safetensors', bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiskFullError);
    const target = path.join(root, 'nodes', 'a', 'model', 'model.safetensors');
    expect((err as Error).message).toContain(`no space left on device: writing ${target} needs 12.1 KB (12345 bytes)`);
    expect((err as Error).message).toMatch(/free some space and run the same command again/);
    expect(err).toMatchObject({ code: 'ENOSPC', path: target, bytesNeeded: 12345 });
    await expect(s.putJson('nodes/a/state.json', { v: 2 })).rejects.toThrow(/state\.json needs \d+ B/);
    expect(await s.getJson('nodes/a/state.json')).toEqual({ v: 1 });
    const all = readdirSync(root, { recursive: true }) as string[];
    expect(all.filter((f) => f.includes('.tmp-'))).toEqual([]);
    // re-opening a finished run rewrites unchanged files: on a full disk that still succeeds
    await s.putJson('nodes/a/state.json', { v: 1 });
  });

  it('a quota error says so', async () => {
    const s = new FsStorage(fresh());
    watchWrites({ full: true, code: 'EDQUOT' });
    await expect(s.putJson('x.json', { a: 1 })).rejects.toThrow(/^disk quota exceeded: writing .*x\.json needs/);
  });
});
