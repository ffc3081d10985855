// What a pool's main thread and its workers say to each other (workerPool.ts on the main side, serveTasks.ts in the
// worker): the worker's init data travels in workerData; then one message per task and one per answer.

/** workerData of a pool worker: the module tsWorkerBootstrap.mjs imports, and what that module's setup receives. */
export interface PoolWorkerData<Init> {
  entry: string;
  init: Init;
}

export interface TaskMessage<Task> {
  id: number;
  task: Task;
}

export type WorkerMessage<Result> =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; value: Result }
  /** a task failed (id set) or the worker's setup did (no id) */
  | { kind: 'error'; id?: number; name: string; message: string };
