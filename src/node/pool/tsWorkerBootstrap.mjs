// The file every pool worker thread starts on. Plain JavaScript because Node cannot start a worker on a .ts file by
// itself: this registers tsx's loader in the new thread, then imports the TypeScript entry named in workerData.entry.
// Registering here, rather than `execArgv: ['--import', 'tsx']`, works the same under `tsx` (npm run qglab / bench,
// whose --import is also inherited by the worker; a second registration is harmless) and under vitest, whose
// processes are not started by tsx.
import { workerData } from 'node:worker_threads';

const entry = workerData?.entry;
if (typeof entry !== 'string') throw new Error('pool worker: workerData.entry (the URL of its module) is missing');
const { register } = await import('tsx/esm/api');
register();
await import(entry);
