import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../core/experiment/events';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import type { BackendInfo } from '../../../workers/labApi';
import type { StagePlan } from './labExtras';
import {
  alternativeBackends,
  checkpointNodes,
  dataOptionsOf,
  hintActions,
  persistenceText,
  planStorageText,
  shareText,
  smallerMicroBatch,
  stagePlanLine,
  storageTouched,
  WORKER_DIED_MESSAGE,
  workerDiedOutcome,
} from './plan';
import { testRecord } from './testing/nodeRecords';

const record = testRecord;

const stage = (over: Partial<StagePlan>): StagePlan => ({
  nodeId: 'teacher-new',
  stage: 'teacher',
  label: 'Teacher · pretrained',
  examples: 352_000,
  batchSize: 8,
  microBatchSize: 8,
  stepsPerEpoch: 44_000,
  epochs: 5,
  totalSteps: 220_000,
  ...over,
});

const backend = (b: BackendInfo['backend'], unavailable: BackendInfo['backend'][] = []): BackendInfo => ({
  backend: b,
  reasons: unavailable.map((backend) => ({ backend, reason: 'not here' })),
  notes: [],
  initMs: 1,
});

describe('data options', () => {
  it("fills the study's defaults: 512 / 15 / 42, skip", () => {
    expect(dataOptionsOf({})).toEqual({ limits: { maxSeqLen: 512, maxAnswerLen: 15, maxQuestionLen: 42 }, policy: 'skip' });
    expect(dataOptionsOf(undefined).policy).toBe('skip');
  });
  it("keeps the draft's limits and ignores a half-typed value", () => {
    expect(dataOptionsOf({ maxSeqLen: 384, maxQuestionLen: 30, policy: 'window' })).toEqual({
      limits: { maxSeqLen: 384, maxAnswerLen: 15, maxQuestionLen: 30 },
      policy: 'window',
    });
    expect(dataOptionsOf({ maxSeqLen: Number.NaN, maxAnswerLen: 0 }).limits).toMatchObject({ maxSeqLen: 512, maxAnswerLen: 15 });
  });
  it('shares', () => {
    expect(shareText(1282, 3524)).toBe('1,282 of 3,524 (36.4%)');
    expect(shareText(0, 0)).toBe('0 of 0');
  });
});

describe('plan sentences', () => {
  it('a timed stage: epochs × steps per epoch ≈ time on this backend', () => {
    const ms = 220_000 * 1.004 * 1000;
    expect(stagePlanLine(stage({ secondsPerStep: 1.004, projectedMs: ms }))).toBe('teacher: 5 epochs × 44,000 steps ≈ 61 h 21 min on this backend');
    expect(stagePlanLine(stage({ stage: 'distill', epochs: 1, stepsPerEpoch: 1, projectedMs: 3 * 3600_000 + 10 * 60_000 }))).toBe(
      'distill: 1 epoch × 1 step ≈ 3 h 10 min on this backend',
    );
  });
  it('an untimed stage and the student cut', () => {
    expect(stagePlanLine(stage({ note: 'timing failed' }))).toBe('teacher: 5 epochs × 44,000 steps (not timed)');
    expect(stagePlanLine(stage({ stage: 'student', totalSteps: 0, epochs: 0, stepsPerEpoch: 0 }))).toBe('student: cut from its teacher (no training)');
  });
  it('storage against the quota: red when it does not fit', () => {
    const GB = 1024 ** 3;
    expect(planStorageText({ bytes: 4.1 * GB, perNode: {}, usage: 8 * GB, quota: 10 * GB, fits: false })).toEqual({
      text: 'this tree needs 4.10 GB but the browser grants 2.00 GB more',
      bad: true,
    });
    expect(planStorageText({ bytes: 1 * GB, perNode: {}, usage: 8 * GB, quota: 10 * GB, fits: true }).bad).toBe(false);
    expect(planStorageText({ bytes: 1024, perNode: {} }).text).toBe('this tree needs 1.0 KB (the browser does not say how much it grants)');
  });
});

describe('failure hints → buttons', () => {
  it('one "Resume on" per backend worth trying (not the one in use), then the micro-batch', () => {
    const hint = { kind: 'out-of-memory' as const, message: 'oom', tryBackends: ['wasm', 'webgpu', 'wasm'], tryMicroBatch: 4 };
    expect(hintActions(hint, 'webgpu')).toEqual([
      { kind: 'backend', backend: 'wasm', label: 'Resume on wasm' },
      { kind: 'micro-batch', microBatch: 4, label: 'Resume with micro-batch 4' },
    ]);
  });
  it('no hint, no buttons; a device-lost hint without a micro-batch offers only backends', () => {
    expect(hintActions(undefined)).toEqual([]);
    expect(hintActions({ kind: 'device-lost', message: 'lost', tryBackends: ['webgl'] }, 'webgpu').map((a) => a.label)).toEqual(['Resume on webgl']);
    expect(hintActions({ kind: 'out-of-memory', message: 'x', tryMicroBatch: 0 })).toEqual([]);
  });
  it('backends worth trying: those this browser has, never the one in use, never cpu', () => {
    expect(alternativeBackends(backend('webgpu'))).toEqual(['webgl', 'wasm']);
    expect(alternativeBackends(backend('wasm', ['webgpu', 'webgl']))).toEqual([]);
    expect(alternativeBackends(null)).toEqual([]);
  });
  it("half the node's micro-batch (else its batch, else the default 8)", () => {
    expect(smallerMicroBatch(record('t', { config: { batchSize: 16, microBatchSize: 4 } }))).toBe(2);
    expect(smallerMicroBatch(record('t', { config: { batchSize: 16 } }))).toBe(8);
    expect(smallerMicroBatch(record('t', { config: { microBatchSize: 0 } }))).toBe(4);
    expect(smallerMicroBatch(record('t', { config: { batchSize: 1 } }))).toBeUndefined();
    expect(smallerMicroBatch(record('s', { stage: 'student' }))).toBeUndefined();
  });
  it('a worker that died fails the run with the worker-died hint', () => {
    const o = workerDiedOutcome('boom', record('d', { stage: 'distill', config: { batchSize: 8 } }), backend('webgpu'));
    expect(o).toEqual({
      status: 'failed',
      error: `${WORKER_DIED_MESSAGE} (boom)`,
      hint: { kind: 'worker-died', message: WORKER_DIED_MESSAGE, tryBackends: ['webgl', 'wasm'], tryMicroBatch: 4 },
    });
    expect(workerDiedOutcome('', undefined, null).hint).toEqual({ kind: 'worker-died', message: WORKER_DIED_MESSAGE });
  });
});

describe('storage', () => {
  it('resume checkpoints: stopped nodes with steps, not running, not in the run in progress', () => {
    const nodes = {
      a: record('a', { status: 'cancelled', steps: 10, createdAt: 2 }),
      b: record('b', { status: 'failed', steps: 3, createdAt: 1 }),
      c: record('c', { status: 'failed', steps: 0 }),
      d: record('d', { status: 'running', steps: 5 }),
      e: record('e', { status: 'done', steps: 50 }),
      f: record('f', { status: 'cancelled', steps: 4 }),
    };
    expect(checkpointNodes(nodes)).toEqual(['f', 'b', 'a']);
    expect(checkpointNodes(nodes, ['f'])).toEqual(['b', 'a']);
  });
  it('a record event touches storage when the node is new or its status or steps changed', () => {
    const before = { a: record('a', { status: 'running', steps: 2 }) };
    const rec = (r: NodeRecord): LabEvent => ({ type: 'record', record: r });
    expect(storageTouched(before, [rec(record('a', { status: 'running', steps: 2, lastLoss: 1 }))])).toBe(false);
    expect(storageTouched(before, [rec(record('a', { status: 'running', steps: 3 }))])).toBe(true);
    expect(storageTouched(before, [rec(record('a', { status: 'done', steps: 2 }))])).toBe(true);
    expect(storageTouched(before, [rec(record('z'))])).toBe(true);
    expect(storageTouched(before, [{ type: 'log', level: 'info', message: 'x' }])).toBe(false);
  });
  it('persistence', () => {
    expect(persistenceText(true)).toBe('persistent');
    expect(persistenceText(false)).toBe('the browser may evict this data under storage pressure');
    expect(persistenceText(null)).toBeNull();
  });
});
