import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdbStorage, StorageFullError } from './idbStorage';

let n = 0;
const fresh = () => new IdbStorage(`test-db-${Date.now()}-${n++}`);
const opened: IdbStorage[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
  vi.restoreAllMocks();
});

describe('IdbStorage (RunStorage on IndexedDB)', () => {
  it('round-trips JSON and bytes, and misses give undefined', async () => {
    const s = fresh();
    opened.push(s);
    await s.putJson('runs/a/meta.json', { name: 'a', scores: [1, 2.5], nested: { ok: true } });
    expect(await s.getJson('runs/a/meta.json')).toEqual({ name: 'a', scores: [1, 2.5], nested: { ok: true } });
    const bytes = new Uint8Array([1, 2, 3, 250]);
    await s.putBytes('runs/a/weights.bin', bytes);
    const back = await s.getBytes('runs/a/weights.bin');
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Array.from(back!)).toEqual([1, 2, 3, 250]);
    expect(await s.getJson('nope')).toBeUndefined();
    expect(await s.getBytes('nope')).toBeUndefined();
  });

  it('stores only the viewed part of a larger buffer', async () => {
    const s = fresh();
    opened.push(s);
    const big = new Uint8Array([9, 9, 1, 2, 3, 9]);
    await s.putBytes('k', big.subarray(2, 5));
    const back = await s.getBytes('k');
    expect(Array.from(back!)).toEqual([1, 2, 3]);
    expect(back!.buffer.byteLength).toBe(3);
  });

  it('lists by prefix (sorted) and deletes a prefix only', async () => {
    const s = fresh();
    opened.push(s);
    await s.putJson('runs/b/2', 2);
    await s.putJson('runs/b/1', 1);
    await s.putJson('runs/bc/1', 3);
    await s.putJson('other/x', 4);
    expect(await s.list('runs/b/')).toEqual(['runs/b/1', 'runs/b/2']);
    expect(await s.list('runs/')).toEqual(['runs/b/1', 'runs/b/2', 'runs/bc/1']);
    await s.deletePrefix('runs/b/');
    expect(await s.list('runs/')).toEqual(['runs/bc/1']);
    expect(await s.getJson('other/x')).toBe(4);
  });

  it('persists across instances of the same database', async () => {
    const name = `persist-${Date.now()}`;
    const a = new IdbStorage(name);
    await a.putJson('lab/x', { v: 1 });
    await a.putBytes('lab/y', new Uint8Array([7]));
    a.close();
    const b = new IdbStorage(name);
    opened.push(b);
    expect(await b.getJson('lab/x')).toEqual({ v: 1 });
    expect(Array.from((await b.getBytes('lab/y'))!)).toEqual([7]);
  });

  it('a full quota gives a clear StorageFullError and loses nothing already saved', async () => {
    const s = fresh();
    opened.push(s);
    await s.putBytes('runs/a/ckpt', new Uint8Array([1, 2, 3]));
    await s.putJson('runs/a/meta', { ok: 1 });
    const quota = new Error('The quota has been exceeded.');
    quota.name = 'QuotaExceededError';
    vi.spyOn(s.db.entries, 'put').mockRejectedValue(quota);
    const err = await s.putBytes('runs/b/ckpt', new Uint8Array(4 * 1024 * 1024)).catch((e) => e);
    expect(err).toBeInstanceOf(StorageFullError);
    expect(err.message).toMatch(/storage is full/i);
    expect(err.message).toMatch(/runs\/b\/ckpt/);
    expect(err.message).toMatch(/4\.0 MB/);
    expect(err.message).toMatch(/Nothing already saved was lost/);
    // overwriting an existing key that fails must keep the old value
    const err2 = await s.putJson('runs/a/meta', { ok: 2 }).catch((e) => e);
    expect(err2).toBeInstanceOf(StorageFullError);
    vi.restoreAllMocks();
    expect(Array.from((await s.getBytes('runs/a/ckpt'))!)).toEqual([1, 2, 3]);
    expect(await s.getJson('runs/a/meta')).toEqual({ ok: 1 });
    expect(await s.getBytes('runs/b/ckpt')).toBeUndefined();
  });

  it('other errors pass through unchanged', async () => {
    const s = fresh();
    opened.push(s);
    const boom = new Error('disk on fire');
    vi.spyOn(s.db.entries, 'put').mockRejectedValue(boom);
    await expect(s.putJson('k', 1)).rejects.toBe(boom);
  });

  it('reports sizes from its sizes table, without reading values, and forgets deleted keys', async () => {
    const s = fresh();
    opened.push(s);
    await s.putBytes('runs/a', new Uint8Array(10));
    await s.putBytes('runs/b', new Uint8Array(5));
    await s.putBytes('lab/d', new Uint8Array(3));
    await s.putBytes('runs/a', new Uint8Array(12)); // overwrite
    const read = vi.spyOn(s.db.entries, 'toArray');
    const each = vi.spyOn(s.db.entries, 'each');
    expect((await s.keySizes()).sort()).toEqual([['lab/d', 3], ['runs/a', 12], ['runs/b', 5]]);
    expect(read).not.toHaveBeenCalled();
    expect(each).not.toHaveBeenCalled();
    await s.deletePrefix('runs/');
    expect(await s.keySizes()).toEqual([['lab/d', 3]]);
  });

  it('stores a value over the record limit in parts, entry last; reads it back whole; a failed write keeps the old value', async () => {
    const s = fresh();
    opened.push(s);
    const big = Uint8Array.from({ length: 2500 }, (_, i) => (i * 7) % 251);
    await s.putBytes('run/m/model.safetensors', big, 1000);
    expect(await s.db.parts.count()).toBe(3);
    expect(Math.max(...(await s.db.parts.toArray()).map((p) => p.bytes.byteLength))).toBe(1000);
    expect(await s.getBytes('run/m/model.safetensors')).toEqual(big);
    expect(await s.list('run/')).toEqual(['run/m/model.safetensors']);
    expect(await s.keySizes()).toEqual([['run/m/model.safetensors', 2500]]);
    // a write that fails in its second part leaves the first value readable and no stray parts
    const put = s.db.parts.put.bind(s.db.parts);
    let calls = 0;
    vi.spyOn(s.db.parts, 'put').mockImplementation(((row: never) => (++calls === 2 ? Promise.reject(new Error('QuotaExceededError')) : put(row))) as never);
    await expect(s.putBytes('run/m/model.safetensors', new Uint8Array(3000), 1000)).rejects.toBeInstanceOf(StorageFullError);
    vi.restoreAllMocks();
    expect(await s.getBytes('run/m/model.safetensors')).toEqual(big);
    expect(await s.db.parts.count()).toBe(3);
    // a small value replaces it and its parts go; deleting the prefix removes everything
    await s.putBytes('run/m/model.safetensors', new Uint8Array([1, 2]), 1000);
    expect(await s.db.parts.count()).toBe(0);
    await s.putBytes('run/m/model.safetensors', big, 1000);
    await s.deletePrefix('run/m/');
    expect(await s.db.parts.count()).toBe(0);
    expect(await s.getBytes('run/m/model.safetensors')).toBeUndefined();
  });
});
