// File-system RunStorage: key 'a/b/c.json' is the file <root>/a/b/c.json. Every write goes to a temporary file in
// the same folder and is then renamed over the target, so a crash mid-write leaves the previous version (or
// nothing), never a half-written checkpoint. A write of bytes the file already holds is skipped (re-opening a
// finished run rewrites recipe.json, vocab.txt... with the same content; that must not need free space), and an
// out-of-space failure names the file and the bytes it needed instead of Node's bare "ENOSPC: no space left on
// device, write".
import { promises as fs, statfsSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkKey, type RunStorage } from '../core/experiment/storage';
import { formatBytes } from '../core/lab/formatBytes';

const TMP_MARK = '.tmp-';
/** How much of an existing file is compared per read (a changed checkpoint differs in its first chunk or two). */
const COMPARE_CHUNK = 1 << 20;

/** A write that failed for lack of disk space (ENOSPC) or quota (EDQUOT): which file, how many bytes it needed. */
export class DiskFullError extends Error {
  override name = 'DiskFullError';
  constructor(
    message: string,
    readonly code: 'ENOSPC' | 'EDQUOT',
    readonly path: string,
    readonly bytesNeeded: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isOutOfSpace(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Bytes a non-root user may still write on the disk holding `p` (its nearest existing folder), when known. */
export function freeBytes(p: string): number | undefined {
  for (let dir = p; ; dir = path.dirname(dir)) {
    try {
      const s = statfsSync(dir);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      if (path.dirname(dir) === dir) return undefined;
    }
  }
}

/** The error to throw for an out-of-space failure `e` while writing `bytes` bytes to `file`. */
export function outOfSpaceError(e: unknown, file: string, bytes: number): DiskFullError {
  const code = (e as NodeJS.ErrnoException).code === 'EDQUOT' ? 'EDQUOT' : 'ENOSPC';
  const free = freeBytes(path.dirname(file));
  const what = code === 'EDQUOT' ? 'disk quota exceeded' : 'no space left on device';
  return new DiskFullError(
    `${what}: writing ${file} needs ${formatBytes(bytes)} (${bytes} bytes)` +
      (free !== undefined ? ` and its disk has ${formatBytes(free)} free` : '') +
      '; free some space and run the same command again (what is already saved is kept)',
    code,
    file,
    bytes,
    { cause: e },
  );
}

/** Whether `file` exists and holds exactly `bytes` (read in chunks, stopping at the first difference). */
async function holdsBytes(file: string, bytes: Uint8Array): Promise<boolean> {
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch {
    return false;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size !== bytes.length) return false;
    const buf = Buffer.allocUnsafe(Math.min(COMPARE_CHUNK, Math.max(1, bytes.length)));
    for (let at = 0; at < bytes.length; ) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, bytes.length - at), at);
      if (bytesRead === 0) return false;
      if (Buffer.compare(buf.subarray(0, bytesRead), bytes.subarray(at, at + bytesRead)) !== 0) return false;
      at += bytesRead;
    }
    return true;
  } catch {
    return false;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

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
    if (await holdsBytes(target, bytes)) return; // unchanged: nothing to write
    const dir = path.dirname(target);
    const tmp = path.join(dir, `${TMP_MARK}${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      await fs.mkdir(dir, { recursive: true });
      const fh = await fs.open(tmp, 'w');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } catch (e) {
        await fh.close().catch(() => undefined);
        throw e;
      }
      await fh.close(); // its error counts too: some file systems report a failed write only here
      await fs.rename(tmp, target);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw isOutOfSpace(e) ? outOfSpaceError(e, target, bytes.length) : e;
    }
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
