// File-system RunStorage: key 'a/b/c.json' is the file <root>/a/b/c.json. Every write goes to a temporary file in
// the same folder and is then renamed over the target, so a crash mid-write leaves the previous version (or
// nothing), never a half-written checkpoint.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkKey, type RunStorage } from '../core/experiment/storage';

const TMP_MARK = '.tmp-';

export class FsStorage implements RunStorage {
  readonly root: string;
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const bytes = await this.getBytes(key);
    if (bytes === undefined) return undefined;
    const text = new TextDecoder().decode(bytes);
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new Error(`${this.pathOf(key)} is not valid JSON (${(e as Error).message})`);
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.putBytes(key, new TextEncoder().encode(JSON.stringify(value, null, 1) + '\n'));
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      const buf = await fs.readFile(this.pathOf(key));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw e;
    }
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    await fs.mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `${TMP_MARK}${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}`);
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await fs.rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    await fs.rename(tmp, target);
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, rel: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw e;
      }
      for (const ent of entries) {
        if (ent.name.startsWith(TMP_MARK)) continue;
        const key = rel ? `${rel}/${ent.name}` : ent.name;
        if (ent.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(key + '/')) await walk(path.join(dir, ent.name), key);
        } else if (key.startsWith(prefix)) out.push(key);
      }
    };
    await walk(this.root, '');
    return out.sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const key of await this.list(prefix)) await fs.rm(this.pathOf(key), { force: true });
    // remove a folder the prefix names exactly (e.g. 'nodes/x/' or 'nodes/x'), now empty of files
    const trimmed = prefix.replace(/\/+$/, '');
    if (trimmed && (prefix.endsWith('/') || (await isDir(this.pathOf(trimmed)))))
      await fs.rm(this.pathOf(trimmed), { recursive: true, force: true });
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
