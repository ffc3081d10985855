// LabEvent: the stream the runner emits; the UI charts it and the CLI logs it (docs/ARCHITECTURE.md).
import type { EvalProgress, EvaluationResult } from './evaluate';
import type { ValidationPoint } from '../lab/history';
import type { NodeRecord, NodeStatus } from '../lab/nodeRecord';

export type LabEvent =
  | { type: 'node'; nodeId: string; status: NodeStatus; error?: string }
  /** the node's whole record, each time the runner writes it (the UI replaces its copy with it) */
  | { type: 'record'; record: NodeRecord }
  | {
      type: 'step';
      nodeId: string;
      stage: string;
      step: number;
      totalSteps: number;
      epoch: number;
      loss: number;
      /** 'logits', 'soft', 'hidden/3', 'attn/3', ... */
      terms: Record<string, number>;
      lr: number;
      examplesPerSec: number;
      elapsedMs: number;
      etaMs: number;
    }
  | { type: 'samples'; nodeId: string; step: number; samples: { id: string; reference: string; generated: string }[] }
  /** a point of the node's validation curve (src/core/lab/history.ts ValidationPoint), also kept in history.json */
  | ({ type: 'validation'; nodeId: string; stage: string } & ValidationPoint)
  /**
   * Evaluation progress: 'generating' = beam search over the test questions (`done` of `total` generated so far),
   * 'timing' = the timed repeats (`done` of `total` runs). Sent at most every 500 ms, and when a part completes.
   */
  | { type: 'evalProgress'; nodeId: string; part: EvalProgress['part']; done: number; total: number; elapsedMs: number; etaMs: number }
  | { type: 'eval'; nodeId: string; result: EvaluationResult }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
