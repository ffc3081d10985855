// IndexedDB implementation of the engine's RunStorage contract (docs/ARCHITECTURE.md), via Dexie.
// One object store of entries keyed by string; JSON values and byte blobs live side by side.
// Every write is its own transaction: a failed write (e.g. a full quota) leaves what was saved before intact.
import Dexie, { type Table } from 'dexie';

import type { RunStorage } from '../src/core/experiment/storage';

/** The engine's RunStorage contract (this file implements it on IndexedDB). */
export type RunStorageLike = RunStorage;

interface Entry {
  key: string;
  json?: string;
  bytes?: Uint8Array;
  size: number;
  updatedAt: number;
}

/** Raised when the browser refuses a write because the storage quota is used up. */
export class StorageFullError extends Error {
  readonly key: string;
  readonly bytes: number;
  constructor(key: string, bytes: number, cause?: unknown) {
    super(
      `Browser storage is full: could not save "${key}" (${formatBytes(bytes)}). ` +
        'Nothing already saved was lost. Delete branches you no longer need (Branch tree → Delete branch) ' +
        'or export them first, then run again.',
    );
    this.name = 'StorageFullError';
    this.key = key;
    this.bytes = bytes;
    (this as { cause?: unknown }).cause = cause;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function isQuotaError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const err = cur as { name?: string; message?: string; inner?: unknown; cause?: unknown };
    if (err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
    if (typeof err.message === 'string' && /quota/i.test(err.message)) return true;
    cur = err.inner ?? err.cause;
  }
  return false;
}

class LabDb extends Dexie {
  entries!: Table<Entry, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ entries: 'key' });
  }
}

export class IdbStorage implements RunStorageLike {
  readonly db: LabDb;
  constructor(dbName = 'qg-distill-lab') {
    this.db = new LabDb(dbName);
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const e = await this.db.entries.get(key);
    if (!e || e.json === undefined) return undefined;
    return JSON.parse(e.json) as T;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await this.write({ key, json, size: json.length * 2, updatedAt: Date.now() });
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    const e = await this.db.entries.get(key);
    return e?.bytes;
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    // Store an exact copy: a view onto a larger (or later reused) buffer must not leak the rest.
    const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    await this.write({ key, bytes: copy, size: copy.byteLength, updatedAt: Date.now() });
  }

  async list(prefix: string): Promise<string[]> {
    const keys = await this.db.entries.where('key').startsWith(prefix).primaryKeys();
    return keys.sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.db.entries.where('key').startsWith(prefix).delete();
  }

  async delete(key: string): Promise<void> {
    await this.db.entries.delete(key);
  }

  /** Bytes this lab has stored, summed per top-level prefix (the part before the first '/'). */
  async sizes(): Promise<{ total: number; byPrefix: Record<string, number> }> {
    const byPrefix: Record<string, number> = {};
    let total = 0;
    await this.db.entries.each((e) => {
      const p = e.key.split('/')[0];
      byPrefix[p] = (byPrefix[p] ?? 0) + e.size;
      total += e.size;
    });
    return { total, byPrefix };
  }

  private async write(entry: Entry): Promise<void> {
    try {
      await this.db.entries.put(entry);
    } catch (e) {
      if (isQuotaError(e)) throw new StorageFullError(entry.key, entry.size, e);
      throw e;
    }
  }

  close(): void {
    this.db.close();
  }
}
