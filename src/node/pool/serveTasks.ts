// The worker side of a pool (workerPool.ts is the main side): runs the entry's setup once on its init data, says
// 'ready', then answers each task message in arrival order. A failure is sent back with its message instead of
// being thrown, so the main thread can reject the call that caused it with the worker's own words.
import { parentPort, workerData } from 'node:worker_threads';
import type { PoolWorkerData, TaskMessage, WorkerMessage } from './poolMessages';

export type TaskHandler<Task, Result> = (task: Task) => Promise<Result>;

function failure(e: unknown, id?: number): WorkerMessage<never> {
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'error', id, name: err.name, message: err.message };
}

export function serveTasks<Init, Task, Result>(setup: (init: Init) => Promise<TaskHandler<Task, Result>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs inside a pool worker thread');
  const { init } = workerData as PoolWorkerData<Init>;
  const post = (m: WorkerMessage<Result>) => port.postMessage(m);
  setup(init).then(
    (handle) => {
      // one task at a time, in order: a task's awaits must not let the next one interleave with it
      let queue = Promise.resolve();
      port.on('message', ({ id, task }: TaskMessage<Task>) => {
        queue = queue.then(() =>
          handle(task).then(
            (value) => post({ kind: 'result', id, value }),
            (e: unknown) => post(failure(e, id)),
          ),
        );
      });
      post({ kind: 'ready' });
    },
    (e: unknown) => post(failure(e)),
  );
}
