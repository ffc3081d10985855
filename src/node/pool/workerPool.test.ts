import { describe, expect, it } from 'vitest';
import type { ScriptedInit, ScriptedTask } from './testing/scriptedWorker';
import { WorkerPool } from './workerPool';

const ENTRY = new URL('./testing/scriptedWorker.ts', import.meta.url);
/** worker threads alive in this process (the report lists every running one) */
const liveThreads = () => (process.report.getReport() as { workers: unknown[] }).workers.length;
const open = (size: number, failSetup?: (w: number) => string | undefined) =>
  WorkerPool.open<ScriptedInit, ScriptedTask, unknown>(ENTRY, size, (worker) => ({ worker, failSetup: failSetup?.(worker) }));

describe('WorkerPool', () => {
  it('runs tasks on the worker asked for, several at once, and close ends every thread', async () => {
    const pool = await open(2);
    expect(liveThreads()).toBe(2);
    const r = await Promise.all([
      pool.run(0, { kind: 'echo', value: 'a', delayMs: 30 }),
      pool.run(1, { kind: 'echo', value: { n: [1, 2] } }),
      pool.run(0, { kind: 'echo', value: 'c' }),
    ]);
    expect(r).toEqual([{ worker: 0, value: 'a' }, { worker: 1, value: { n: [1, 2] } }, { worker: 0, value: 'c' }]);
    await pool.close();
    expect(liveThreads()).toBe(0);
    await expect(pool.run(0, { kind: 'echo', value: 1 })).rejects.toThrow('closed');
  });

  it("a task's error rejects the call with the worker's message and name, after every thread has ended", async () => {
    const pool = await open(2);
    const hanging = pool.run(1, { kind: 'hang' });
    const err = await pool.run(0, { kind: 'throw', message: 'the model is broken' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'TypeError', message: 'the model is broken' });
    expect(liveThreads()).toBe(0);
    // the other worker's call fails with the same error; the pool takes no more work
    await expect(hanging).rejects.toThrow('the model is broken');
    await expect(pool.run(1, { kind: 'echo', value: 1 })).rejects.toThrow('the model is broken');
  });

  it('a failed setup rejects open with its message and leaves no thread', async () => {
    await expect(open(2, (w) => (w === 1 ? 'no such backend' : undefined))).rejects.toThrow('no such backend');
    expect(liveThreads()).toBe(0);
  });

  it('an error thrown outside any task, or a worker that exits, fails the pending calls and ends the pool', async () => {
    const a = await open(2);
    await expect(a.run(1, { kind: 'uncaught', message: 'late failure' })).rejects.toThrow('late failure');
    expect(liveThreads()).toBe(0);
    const b = await open(2);
    const pending = b.run(0, { kind: 'hang' });
    await expect(b.run(1, { kind: 'exit', code: 3 })).rejects.toThrow('worker thread 1 exited with code 3');
    await expect(pending).rejects.toThrow('exited with code 3');
    expect(liveThreads()).toBe(0);
  });
});
