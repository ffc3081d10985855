// The run folder at start on a troubled disk: a lock that cannot be written for lack of space, and the temporary
// files a killed writer leaves in nested folders (FsStorage's names). writeFileSync is wrapped so that one test can
// make it fail like a full disk.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiskFullError, FsStorage } from './fsStorage';
import { LOCK_FILE, lockRunFolder, removeStaleTempFiles } from './runFolderLock';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, writeFileSync: vi.fn(real.writeFileSync) };
});

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'qglab-lock-space-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  vi.mocked(writeFileSync).mockReset();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('run folder on a full disk', () => {
  it('a lock that cannot be written names the file and its bytes, and leaves no empty lock behind', async () => {
    const dir = fresh();
    const real = await vi.importActual<typeof import('node:fs')>('node:fs');
    vi.mocked(writeFileSync).mockImplementationOnce((file) => {
      real.writeFileSync(file as string, '', { flag: 'wx' }); // the file is created, its bytes do not fit
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    });
    const err = await lockRunFolder(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiskFullError);
    const file = path.join(dir, LOCK_FILE);
    expect((err as Error).message).toMatch(new RegExp(`^no space left on device: writing ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} needs \\d+ B \\(\\d+ bytes\\)`));
    expect(existsSync(file)).toBe(false);
    vi.mocked(writeFileSync).mockImplementation(real.writeFileSync);
    (await lockRunFolder(dir))(); // with space again, the lock is taken as usual
  });
});

describe('temporary files of a killed writer', () => {
  it('are removed at any depth of the run folder, whatever FsStorage file they were for; finished files stay', async () => {
    const dir = fresh();
    const s = new FsStorage(dir);
    await s.putBytes('vocab.txt', new TextEncoder().encode('[PAD]\n'));
    await s.putJson('nodes/t/state.json', { status: 'done' });
    const dead = deadPid();
    mkdirSync(path.join(dir, 'nodes', 't', 'model'), { recursive: true });
    const leftovers = [
      `.tmp-vocab.txt.${dead}.0a1b2c3d`,
      path.join('nodes', 't', `.tmp-state.json.${dead}.ffee0011`),
      path.join('nodes', 't', 'model', `.tmp-model.safetensors.${dead}.12ab34cd`),
    ];
    for (const f of leftovers) writeFileSync(path.join(dir, f), 'partial');
    expect(await s.list('')).toEqual(['nodes/t/state.json', 'vocab.txt']); // never listed as data
    expect(await removeStaleTempFiles(dir)).toBe(3);
    const all = readdirSync(dir, { recursive: true }) as string[];
    expect(all.filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(await s.getJson('nodes/t/state.json')).toEqual({ status: 'done' });
  });
});
