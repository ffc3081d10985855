// RunStorage: where a run's files live (keys are '/'-separated paths such as 'nodes/teacher/state.json').
// Node: src/node/fsStorage.ts (a folder); browser: workers/idbStorage.ts (IndexedDB); tests: MemoryStorage.

export interface RunStorage {
  getJson<T>(key: string): Promise<T | undefined>;
  putJson(key: string, value: unknown): Promise<void>;
  getBytes(key: string): Promise<Uint8Array | undefined>;
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  /** Keys starting with prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  deletePrefix(prefix: string): Promise<void>;
}

/** In-memory RunStorage (tests, throw-away runs). Values are copied in and out, as a real store would. */
export class MemoryStorage implements RunStorage {
  private readonly entries = new Map<string, { json?: string; bytes?: Uint8Array }>();

  async getJson<T>(key: string): Promise<T | undefined> {
    const e = this.entries.get(key);
    return e?.json === undefined ? undefined : (JSON.parse(e.json) as T);
  }
  async putJson(key: string, value: unknown): Promise<void> {
    this.entries.set(key, { json: JSON.stringify(value) });
  }
  async getBytes(key: string): Promise<Uint8Array | undefined> {
    const b = this.entries.get(key)?.bytes;
    return b ? b.slice() : undefined;
  }
  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    this.entries.set(key, { bytes: bytes.slice() });
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  async deletePrefix(prefix: string): Promise<void> {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** Rejects keys that could escape a storage root or are not plain relative paths. */
export function checkKey(key: string): string {
  if (key.length === 0 || key.startsWith('/') || key.includes('\\') || key.includes('\0'))
    throw new Error(`invalid storage key '${key}'`);
  for (const part of key.split('/')) if (part === '' || part === '.' || part === '..') throw new Error(`invalid storage key '${key}'`);
  return key;
}
