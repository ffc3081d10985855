// LabEvent: the stream the runner emits; the UI charts it and the CLI logs it (docs/ARCHITECTURE.md).
import type { EvaluationResult } from './evaluate';
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
  | { type: 'eval'; nodeId: string; result: EvaluationResult }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };
