// For workerPool tests only: a pool worker that does what each task says (answer, throw, exit, throw outside any
// task), and whose setup fails when told to.
import { serveTasks } from '../serveTasks';

export interface ScriptedInit {
  worker: number;
  failSetup?: string;
}

export type ScriptedTask =
  | { kind: 'echo'; value: unknown; delayMs?: number }
  | { kind: 'throw'; message: string }
  | { kind: 'exit'; code: number }
  | { kind: 'uncaught'; message: string }
  | { kind: 'hang' };

serveTasks<ScriptedInit, ScriptedTask, unknown>(async (init) => {
  if (init.failSetup) throw new RangeError(init.failSetup);
  return async (task) => {
    switch (task.kind) {
      case 'echo':
        if (task.delayMs) await new Promise((r) => setTimeout(r, task.delayMs));
        return { worker: init.worker, value: task.value };
      case 'throw':
        throw new TypeError(task.message);
      case 'exit':
        process.exit(task.code);
      case 'uncaught':
        setTimeout(() => {
          throw new Error(task.message);
        });
        return new Promise(() => {});
      case 'hang':
        return new Promise(() => {});
    }
  };
});
