// IndexedDB implementation of the lab core's store (LabStore: the RunStorage contract plus sizes), via Dexie.
// Tables: `entries` (keyed by string; JSON values and byte blobs side by side) and `sizes` (key → bytes), so the
// storage meter never reads a blob. Every write is one transaction over both: a failed write (e.g. a full quota)
// leaves what was saved before intact.
// Schema versions: 1 = entries only, with a second node index under lab/nodes/; 2 = sizes table, and the lab/nodes
// records merged into run/nodes/<id>/state.json (src/core/lab/records/legacyLabNode.ts).
import Dexie, { type Table, type Transaction } from 'dexie';

import type { LabStore } from '../src/core/lab/labService';
import { LAB_KEYS, RUN_PREFIX } from '../src/core/lab/labLayout';
import { mergeLegacyLabNode } from '../src/core/lab/records/legacyLabNode';
import { stamp } from '../src/core/lab/records/recordSchema';
import { formatBytes } from '../src/core/lab/formatBytes';
import { NODE_RECORD_SCHEMA } from '../src/core/lab/records/schemas';

interface Entry {
  key: string;
  json?: string;
  bytes?: Uint8Array;
  /** stored in this many parts (table `parts`), of generation `gen` */
  parts?: number;
  gen?: string;
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


function isQuotaError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const err = cur as { name?: string; message?: string; inner?: unknown; cause?: unknown };
    if (err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
    if (typeof err.message === 'string' && /quota/i.test(err.message)) return true;
    cur = err.inner ?? err.cause;
  }
  return false;
}

/** One part of a value stored in parts (`entries` then holds `parts` + `gen` and no bytes). */
interface PartRow {
  /** `${key}\u0000${gen}\u0000${index}` */
  id: string;
  key: string;
  bytes: Uint8Array;
}

/** Values larger than this are stored in parts of at most this size (no IndexedDB record holds more). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

interface SizeRow {
  key: string;
  size: number;
}

/** The IndexedDB schema version this code opens (Dexie's). */
export const IDB_SCHEMA_VERSION = 2;

class LabDb extends Dexie {
  entries!: Table<Entry, string>;
  sizes!: Table<SizeRow, string>;
  parts!: Table<PartRow, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ entries: 'key' });
    this.version(2)
      .stores({ entries: 'key', sizes: 'key', parts: 'id, key' })
      .upgrade((tx) => upgradeToV2(tx));
  }
}

/** v1 → v2: one node record (the worker's lab/nodes/<id> merged into run/nodes/<id>/state.json) and the sizes table. */
async function upgradeToV2(tx: Transaction): Promise<void> {
  const entries = tx.table<Entry, string>('entries');
  const legacy = await entries.where('key').startsWith(LAB_KEYS.legacyNodes).toArray();
  for (const e of legacy) {
    if (e.json === undefined) continue;
    const old = JSON.parse(e.json) as Record<string, unknown>;
    const key = `${RUN_PREFIX}nodes/${String(old.id)}/state.json`;
    const run = await entries.get(key);
    const merged = stamp(NODE_RECORD_SCHEMA, mergeLegacyLabNode(old, run?.json !== undefined ? JSON.parse(run.json) : undefined));
    const json = JSON.stringify(merged);
    await entries.put({ key, json, size: json.length * 2, updatedAt: Date.now() });
  }
  await entries.where('key').startsWith(LAB_KEYS.legacyNodes).delete();
  const sizes = tx.table<SizeRow, string>('sizes');
  await entries.each((e) => void sizes.put({ key: e.key, size: e.size }));
}

export class IdbStorage implements LabStore {
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
    if (!e || e.parts === undefined) return e?.bytes;
    const out = new Uint8Array(e.size);
    let off = 0;
    for (let i = 0; i < e.parts; i++) {
      const p = await this.db.parts.get(`${key}\u0000${e.gen}\u0000${i}`);
      if (!p) throw new Error(`browser storage: part ${i + 1} of ${e.parts} of "${key}" is missing (the stored value is damaged)`);
      out.set(p.bytes, off);
      off += p.bytes.byteLength;
    }
    if (off !== e.size) throw new Error(`browser storage: "${key}" is ${off} bytes, its entry says ${e.size} (the stored value is damaged)`);
    return out;
  }

  /**
   * Stores bytes; a value over MAX_RECORD_BYTES goes in parts (each its own write), then the entry naming them is
   * written last, then the parts of the value it replaced are removed: an interrupted write keeps the old value.
   */
  async putBytes(key: string, bytes: Uint8Array, partBytes = MAX_RECORD_BYTES): Promise<void> {
    if (bytes.byteLength <= partBytes) {
      // an exact copy: a view onto a larger (or later reused) buffer must not leak the rest
      const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      await this.write({ key, bytes: copy, size: copy.byteLength, updatedAt: Date.now() });
      await this.dropParts(key);
      return;
    }
    const gen = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const n = Math.ceil(bytes.byteLength / partBytes);
    try {
      for (let i = 0; i < n; i++) {
        const part = bytes.slice(i * partBytes, Math.min(bytes.byteLength, (i + 1) * partBytes));
        await this.db.parts.put({ id: `${key}\u0000${gen}\u0000${i}`, key, bytes: part });
      }
      await this.write({ key, parts: n, gen, size: bytes.byteLength, updatedAt: Date.now() });
    } catch (e) {
      await this.db.parts.where('id').startsWith(`${key}\u0000${gen}\u0000`).delete().catch(() => undefined);
      if (isQuotaError(e)) throw new StorageFullError(key, bytes.byteLength, e);
      throw e;
    }
    await this.dropParts(key, gen);
  }

  /** Removes the parts of `key` other than those of generation `keep`. */
  private async dropParts(key: string, keep?: string): Promise<void> {
    const ids = await this.db.parts.where('key').equals(key).primaryKeys();
    const drop = ids.filter((id) => keep === undefined || !id.startsWith(`${key}\u0000${keep}\u0000`));
    if (drop.length) await this.db.parts.bulkDelete(drop);
  }

  async list(prefix: string): Promise<string[]> {
    const keys = await this.db.entries.where('key').startsWith(prefix).primaryKeys();
    return keys.sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.db.transaction('rw', this.db.entries, this.db.sizes, this.db.parts, async () => {
      await this.db.entries.where('key').startsWith(prefix).delete();
      await this.db.sizes.where('key').startsWith(prefix).delete();
      await this.db.parts.where('key').startsWith(prefix).delete();
    });
  }

  /** [key, bytes] of every entry, from the sizes table (no value is read). */
  async keySizes(): Promise<[string, number][]> {
    return (await this.db.sizes.toArray()).map((r) => [r.key, r.size]);
  }

  private async write(entry: Entry): Promise<void> {
    try {
      await this.db.transaction('rw', this.db.entries, this.db.sizes, async () => {
        await this.db.entries.put(entry);
        await this.db.sizes.put({ key: entry.key, size: entry.size });
      });
    } catch (e) {
      if (isQuotaError(e)) throw new StorageFullError(entry.key, entry.size, e);
      throw e;
    }
  }

  close(): void {
    this.db.close();
  }
}
