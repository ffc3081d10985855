// A RunStorage view of one key prefix of another storage (the browser lab keeps its tree under 'run/' and its inputs
// under 'lab/' in one IndexedDB).
import type { RunStorage } from '../experiment/storage';

export class PrefixedStorage implements RunStorage {
  constructor(
    private readonly inner: RunStorage,
    private readonly prefix: string,
  ) {}
  getJson<T>(key: string) {
    return this.inner.getJson<T>(this.prefix + key);
  }
  putJson(key: string, value: unknown) {
    return this.inner.putJson(this.prefix + key, value);
  }
  getBytes(key: string) {
    return this.inner.getBytes(this.prefix + key);
  }
  putBytes(key: string, bytes: Uint8Array) {
    return this.inner.putBytes(this.prefix + key, bytes);
  }
  async list(prefix: string) {
    return (await this.inner.list(this.prefix + prefix)).map((k) => k.slice(this.prefix.length));
  }
  deletePrefix(prefix: string) {
    return this.inner.deletePrefix(this.prefix + prefix);
  }
}
