// A fixed set of worker threads (node:worker_threads), each running one module (served by serveTasks.ts), to which
// the main thread hands tasks by worker index. Hand-written because TF.js-WASM is single-threaded in Node: the only
// way to use a second core is a second thread with its own backend, and what the pool must guarantee is small and
// strict — a failure anywhere (a task, a setup, an uncaught error, an exit) ends every worker before the call that
// sees it rejects with the worker's message, so no thread outlives a failed or finished call.
import { Worker } from 'node:worker_threads';
import type { PoolWorkerData, TaskMessage, WorkerMessage } from './poolMessages';

const BOOTSTRAP = new URL('./tsWorkerBootstrap.mjs', import.meta.url);

interface Pending<Result> {
  resolve(value: Result): void;
  reject(error: Error): void;
}

function workerError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export class WorkerPool<Task, Result> {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending<Result>>();
  private readonly starting: Pending<void>[] = [];
  private readonly ready: Promise<void>;
  private nextId = 0;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(entry: URL, size: number, init: (worker: number) => unknown) {
    const ready: Promise<void>[] = [];
    this.workers = Array.from({ length: size }, (_, i) => {
      ready.push(new Promise<void>((resolve, reject) => (this.starting[i] = { resolve, reject })));
      const workerData: PoolWorkerData<unknown> = { entry: entry.href, init: init(i) };
      const w = new Worker(BOOTSTRAP, { workerData });
      this.watch(w, i);
      return w;
    });
    this.ready = Promise.all(ready).then(() => undefined);
  }

  /**
   * Starts `size` workers on module `entry` (a .ts file; see tsWorkerBootstrap.mjs), worker i with `init(i)` as its
   * setup's data (structured-cloned; SharedArrayBuffers in it are shared, not copied). Resolves when every worker's
   * setup is done; if one fails, all are ended first and this rejects with its message.
   */
  static async open<Init, Task, Result>(entry: URL, size: number, init: (worker: number) => Init): Promise<WorkerPool<Task, Result>> {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a pool needs a positive whole number of threads, got ${size}`);
    const pool = new WorkerPool<Task, Result>(entry, size, init);
    await pool.ready;
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs one task on worker `worker`; rejects (and ends the pool) if that task or any worker fails meanwhile. */
  run(worker: number, task: Task): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('the worker pool is closed'));
    const w = this.workers[worker];
    if (!w) return Promise.reject(new RangeError(`no worker ${worker} in a pool of ${this.workers.length}`));
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const m: TaskMessage<Task> = { id, task };
      w.postMessage(m);
    });
  }

  /** Ends every worker because of `error`: once all have exited, every pending call (and a pending open) rejects with it. */
  async fail(error: Error): Promise<void> {
    this.failure ??= error;
    await this.terminate();
    const calls = [...this.pending.values(), ...this.starting.splice(0)];
    this.pending.clear();
    for (const p of calls) p.reject(this.failure);
  }

  /** Ends every worker (a task in progress is abandoned); idempotent. */
  close(): Promise<void> {
    return this.terminate();
  }

  private terminate(): Promise<void> {
    this.closing ??= Promise.all(this.workers.map((w) => w.terminate())).then(() => undefined);
    return this.closing;
  }

  private watch(w: Worker, index: number): void {
    w.on('message', (m: WorkerMessage<Result>) => {
      if (m.kind === 'ready') {
        this.starting[index]?.resolve();
      } else if (m.kind === 'result') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.value);
      } else {
        void this.fail(workerError(m.name, m.message));
      }
    });
    const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
    w.on('error', (e) => void this.fail(asError(e)));
    w.on('messageerror', (e) => void this.fail(asError(e)));
    w.on('exit', (code) => {
      if (!this.closing) void this.fail(new Error(`worker thread ${index} exited with code ${code}`));
    });
  }
}
