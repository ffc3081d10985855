import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FsStorage } from './fsStorage';
import { MemoryStorage, type RunStorage } from '../core/experiment/storage';

const dirs: string[] = [];
afterEach(() => {
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
