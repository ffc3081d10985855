// One writer per run folder: `qglab run` holds DIR/.qglab-run.lock (pid, host, start time) while it writes. A second
// run on the same folder is refused at once, naming the holder; a lock left by a process that is gone is taken over.
// At the start, temporary files left by a killed writer (FsStorage's `.tmp-<name>.<pid>.<hex>`) are removed. A lock
// that cannot be written for lack of space says which file and how many bytes (like FsStorage's writes).
import { promises as fs, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { isOutOfSpace, outOfSpaceError } from './fsStorage';

export const LOCK_FILE = '.qglab-run.lock';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function emptyFile(file: string): boolean {
  try {
    return statSync(file).size === 0;
  } catch {
    return false;
  }
}

export class RunFolderBusyError extends Error {
  override name = 'RunFolderBusyError';
}

/** Takes the folder's lock (creating the folder); returns its release. Throws RunFolderBusyError when held. */
export async function lockRunFolder(dir: string, log: (m: string) => void = () => undefined): Promise<() => void> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    const text = JSON.stringify(mine) + '\n';
    try {
      writeFileSync(file, text, { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (e) {
      if (isOutOfSpace(e)) {
        // created but not written: an empty lock would read as a dead holder's to the next run
        if (emptyFile(file)) rmSync(file, { force: true });
        throw outOfSpaceError(e, file, Buffer.byteLength(text));
      }
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let held: LockInfo | undefined;
    try {
      held = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    } catch {
      held = undefined; // unreadable: a writer died while writing it
    }
    if (held && held.host === mine.host && alive(held.pid))
      throw new RunFolderBusyError(
        `${dir} is being written by another qglab run (pid ${held.pid}, started ${held.startedAt}): wait for it to finish or stop it; two runs on one folder would overwrite each other's checkpoints`,
      );
    if (held && held.host !== mine.host)
      throw new RunFolderBusyError(`${dir} is locked by a qglab run on host ${held.host} (pid ${held.pid}, started ${held.startedAt}); if that run is gone, delete ${file}`);
    log(`taking over the lock of ${dir}: its holder${held ? ` (pid ${held.pid}, started ${held.startedAt})` : ''} is gone`);
    rmSync(file, { force: true });
  }
  throw new RunFolderBusyError(`could not take the lock of ${dir}`);
}

/** Removes temporary files left by writers that are gone; returns how many. */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let removed = 0;
  const walk = async (d: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const ent of entries) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) await walk(p);
      else if (ent.name.startsWith('.tmp-')) {
        const pid = Number(/\.(\d+)\.[0-9a-f]+$/.exec(ent.name)?.[1]);
        if (!Number.isInteger(pid) || pid === process.pid || !alive(pid)) {
          await fs.rm(p, { force: true });
          removed++;
        }
      }
    }
  };
  await walk(dir);
  return removed;
}
