// Failures a user can act on: a lost GPU device, running out of memory, a worker that died. The node fails with a
// message saying what happened and what to try; its last checkpoint stays, so a resume (with a smaller micro-batch
// or on another backend) continues from it.
import { isOutOfMemoryError } from '../training/microBatchProbe';

export type FailureKind = 'device-lost' | 'out-of-memory' | 'worker-died';

export interface RunHint {
  kind: FailureKind;
  message: string;
  /** backends worth resuming on */
  tryBackends?: string[];
  /** a micro-batch size worth resuming with */
  tryMicroBatch?: number;
}

/** An abort reason that fails the running node (instead of cancelling it). */
export class RunFailure extends Error {
  override name = 'RunFailure';
  constructor(readonly hint: RunHint) {
    super(hint.message);
  }
}

/** A lost WebGPU device (driver reset, GPU process crash, too much memory): the run cannot go on on this device. */
export function deviceLostFailure(detail: string, otherBackends: string[]): RunFailure {
  return new RunFailure({
    kind: 'device-lost',
    message:
      `the GPU device was lost (${detail || 'no reason given'}). The last checkpoint is kept: resume with a smaller ` +
      `micro-batch, or on another backend${otherBackends.length ? ` (${otherBackends.join(', ')})` : ''}`,
    tryBackends: otherBackends,
  });
}

/** Whether a failed node's message is the backend running out of memory (the micro-batch probe's rule). */
export function isOutOfMemory(message: string): boolean {
  return isOutOfMemoryError(new Error(message));
}

export function outOfMemoryHint(message: string, microBatch: number | undefined, otherBackends: string[]): RunHint {
  const half = microBatch !== undefined && microBatch > 1 ? Math.floor(microBatch / 2) : undefined;
  return {
    kind: 'out-of-memory',
    message: `${message} — the backend ran out of memory. The last checkpoint is kept: resume with ${half ? `micro-batch ${half}` : 'a smaller micro-batch'} or on another backend`,
    ...(half ? { tryMicroBatch: half } : {}),
    tryBackends: otherBackends,
  };
}
