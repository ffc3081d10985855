import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRunFolder, RunFolderBusyError, removeStaleTempFiles } from './runFolderLock';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'qglab-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
/** a pid that is certainly gone: a child that has exited */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('run folder lock', () => {
  it('one writer at a time: a second is refused naming the holder; release frees it', async () => {
    const dir = fresh();
    const release = await lockRunFolder(dir);
    await expect(lockRunFolder(dir)).rejects.toThrow(RunFolderBusyError);
    await expect(lockRunFolder(dir)).rejects.toThrow(new RegExp(`being written by another qglab run \\(pid ${process.pid}`));
    release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    (await lockRunFolder(dir))();
  });
  it('a stale lock from a dead process is taken over, saying so', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: 'earlier' }));
    const logs: string[] = [];
    const release = await lockRunFolder(dir, (m) => logs.push(m));
    expect(logs[0]).toMatch(/taking over the lock .* its holder \(pid \d+, started earlier\) is gone/);
    release();
  });
  it('removes temporary files of writers that are gone, keeps live ones', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, `.tmp-vocab.txt.${deadPid()}.ab12`), 'x');
    writeFileSync(path.join(dir, `.tmp-model.bin.${process.ppid}.cd34`), 'x');
    writeFileSync(path.join(dir, 'vocab.txt'), 'x');
    expect(await removeStaleTempFiles(dir)).toBe(1);
    expect(existsSync(path.join(dir, 'vocab.txt'))).toBe(true);
    expect(existsSync(path.join(dir, `.tmp-model.bin.${process.ppid}.cd34`))).toBe(true);
  });
});
