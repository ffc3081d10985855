import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../core/experiment/events';
import { appendHistory, type HistoryPoint } from '../../core/lab/history';
import { MAX_LOG_LINES, phaseText, reduceEvents, runFinished, runStarted, type LiveState } from './reduceEvents';
import { testRecord } from './testing/nodeRecords';

const empty = (): LiveState => ({ nodes: {}, series: {}, validation: {}, liveSamples: {}, logs: [], run: null });

const record = testRecord;

const step = (nodeId: string, i: number, over: Partial<Extract<LabEvent, { type: 'step' }>> = {}): LabEvent => ({
  type: 'step',
  nodeId,
  stage: 'teacher',
  step: i,
  totalSteps: 100,
  epoch: 0,
  loss: 10 - i / 10,
  terms: { logits: i },
  lr: 1e-3,
  examplesPerSec: 50,
  elapsedMs: i * 10,
  etaMs: (100 - i) * 10,
  ...over,
});

const running = (): LiveState => ({
  ...empty(),
  run: runStarted({ version: 1, name: 'r', nodes: [{ id: 'a', parent: null, stage: 'teacher', config: {} }] }, 5),
});

describe('reduceEvents', () => {
  it('an empty batch changes nothing', () => {
    const s = empty();
    expect(reduceEvents(s, [], 0)).toBe(s);
  });

  it('step events build the live series with the stored history rule (appendHistory, same thinning)', () => {
    const events = Array.from({ length: 37 }, (_, i) => step('a', i + 1));
    // applied in three batches, thinned at 8 points
    let s = empty();
    s = reduceEvents(s, events.slice(0, 10), 0, 8);
    s = reduceEvents(s, events.slice(10, 11), 0, 8);
    s = reduceEvents(s, events.slice(11), 0, 8);
    const expected: HistoryPoint[] = [];
    for (const e of events) if (e.type === 'step') appendHistory(expected, { step: e.step, epoch: e.epoch, loss: e.loss, lr: e.lr, terms: e.terms }, 8);
    expect(s.series.a).toEqual(expected);
    expect(s.series.a!.length).toBeLessThan(8);
    expect(s.series.a!.reduce((n, p) => n + p.n, 0)).toBe(37);
  });

  it('never mutates the previous state (series arrays are copied before appending)', () => {
    const s1 = reduceEvents(empty(), [step('a', 1)], 0);
    const before = structuredClone(s1);
    const s2 = reduceEvents(s1, [step('a', 2), step('b', 1)], 0);
    expect(s1).toEqual(before);
    expect(s2.series.a).toHaveLength(2);
    expect(s2.series.b).toHaveLength(1);
  });

  it('a record event replaces the node with the record; node and step events do not patch nodes', () => {
    const s0: LiveState = { ...running(), nodes: { a: record('a', { status: 'queued', lastLoss: 9, steps: 3 }) } };
    const rec = record('a', { status: 'running', steps: 0, totalSteps: 100 });
    const s1 = reduceEvents(s0, [{ type: 'record', record: rec }], 0);
    expect(s1.nodes.a).toBe(rec);
    expect(s1.nodes.a!.lastLoss).toBeUndefined(); // replaced, not merged
    const s2 = reduceEvents(s1, [{ type: 'node', nodeId: 'a', status: 'failed', error: 'x' }, step('a', 7)], 0);
    expect(s2.nodes).toBe(s1.nodes);
    expect(s2.nodes.a!.status).toBe('running');
  });

  it('a record for a node the state does not have yet adds it', () => {
    const s = reduceEvents(empty(), [{ type: 'record', record: record('new', { status: 'running' }) }], 0);
    expect(Object.keys(s.nodes)).toEqual(['new']);
  });

  it('samples events keep the latest questions per node', () => {
    const q = (g: string) => [{ id: 'q1', reference: 'r', generated: g }];
    const s = reduceEvents(empty(), [
      { type: 'samples', nodeId: 'a', step: 10, samples: q('first') },
      { type: 'samples', nodeId: 'a', step: 20, samples: q('second') },
      { type: 'samples', nodeId: 'b', step: 5, samples: q('other') },
    ], 0);
    expect(s.liveSamples.a![0]!.generated).toBe('second');
    expect(s.liveSamples.b![0]!.generated).toBe('other');
  });

  it('logs are stamped with the time given and bounded to the last lines', () => {
    const log = (i: number): LabEvent => ({ type: 'log', level: 'info', message: `line ${i}` });
    let s = reduceEvents(empty(), [log(0)], 42);
    expect(s.logs).toEqual([{ t: 42, level: 'info', message: 'line 0' }]);
    s = reduceEvents(s, Array.from({ length: MAX_LOG_LINES + 10 }, (_, i) => log(i + 1)), 43);
    expect(s.logs).toHaveLength(MAX_LOG_LINES);
    expect(s.logs.at(-1)!.message).toBe(`line ${MAX_LOG_LINES + 10}`);
    expect(s.logs[0]!.message).toBe('line 11');
  });

  it('run progress follows node running events and step events', () => {
    let s = running();
    s = reduceEvents(s, [{ type: 'node', nodeId: 'a', status: 'running' }], 0);
    expect(s.run).toMatchObject({ active: true, currentNodeId: 'a', step: 0, totalSteps: undefined });
    s = reduceEvents(s, [step('a', 1), step('a', 2, { totalSteps: 40, etaMs: 1234, examplesPerSec: 9 })], 0);
    expect(s.run).toMatchObject({ currentNodeId: 'a', step: 2, totalSteps: 40, etaMs: 1234, examplesPerSec: 9 });
    s = reduceEvents(s, [{ type: 'node', nodeId: 'b', status: 'running' }], 0);
    expect(s.run).toMatchObject({ currentNodeId: 'b', step: 0, totalSteps: undefined });
    // a done / failed node event leaves the progress where it is
    const before = s.run!;
    s = reduceEvents(s, [{ type: 'node', nodeId: 'b', status: 'done' }], 0);
    expect(s.run).toMatchObject({ currentNodeId: before.currentNodeId, step: before.step, totalSteps: before.totalSteps });
  });

  it('without a run, step events still feed the series', () => {
    const s = reduceEvents(empty(), [step('a', 1)], 0);
    expect(s.run).toBeNull();
    expect(s.series.a).toHaveLength(1);
  });

  it('a run starts with its recipe nodes and ends with the outcome', () => {
    const r = runStarted({ version: 1, nodes: [{ id: 'a', parent: null, stage: 'teacher', config: {} }, { id: 'b', parent: 'a', stage: 'student', config: {} }] }, 7);
    expect(r).toEqual({ active: true, name: 'run', nodeIds: ['a', 'b'], startedAt: 7 });
    expect(runFinished(r, { status: 'cancelled' })).toEqual({ ...r, active: false, outcome: { status: 'cancelled' } });
    expect(runFinished(null, { status: 'done' })).toBeNull();
  });

  it('parts no event touched keep their identity', () => {
    const s0 = { ...running(), nodes: { a: record('a') } };
    const s1 = reduceEvents(s0, [{ type: 'log', level: 'warn', message: 'w' }], 0);
    expect(s1.nodes).toBe(s0.nodes);
    expect(s1.series).toBe(s0.series);
    expect(s1.liveSamples).toBe(s0.liveSamples);
    expect(s1.run).toBe(s0.run);
  });

  it('a training node shows running from its running record on, through its steps (as the lab sends them, one status per batch)', () => {
    let s = running();
    const seen: string[] = [];
    const batches: LabEvent[][] = [
      [{ type: 'record', record: record('a', { status: 'queued' }) }],
      [{ type: 'node', nodeId: 'a', status: 'queued' }],
      [{ type: 'record', record: record('a', { status: 'running', startedAt: 1 }) }],
      [{ type: 'node', nodeId: 'a', status: 'running' }],
      [{ type: 'log', level: 'info', message: '30 of 30 training items → 30 examples [limits 512/15/42, policy skip]' }],
      [step('a', 1), step('a', 2)],
      // a checkpoint rewrites the record: still running
      [{ type: 'record', record: record('a', { status: 'running', steps: 2, totalSteps: 100 }) }],
      [step('a', 3)],
    ];
    for (const b of batches) {
      s = reduceEvents(s, b, 0);
      seen.push(s.nodes.a!.status);
    }
    expect(seen).toEqual(['queued', 'queued', 'running', 'running', 'running', 'running', 'running', 'running']);
  });
});

describe('the run phase (what the Live screen says while no step arrives)', () => {
  const log = (message: string): LabEvent => ({ type: 'log', level: 'info', message });
  const tree = (): LiveState => ({
    ...empty(),
    nodes: { t: record('t'), s: record('s', { stage: 'student' }), d: record('d', { stage: 'distill' }) },
    run: runStarted({ version: 1, nodes: [{ id: 't', parent: null, stage: 'teacher', config: {} }] }, 0),
  });

  it('starting → preparing → first step → training → evaluating, with the time each began', () => {
    let s = tree();
    expect(phaseText(s.run!)).toMatch(/^Starting: reading the dataset/);
    s = reduceEvents(s, [{ type: 'node', nodeId: 't', status: 'running' }], 10);
    expect(s.run!.phase).toEqual({ kind: 'preparing', nodeId: 't', since: 10 });
    expect(phaseText(s.run!, 'teacher')).toMatch(/^Preparing the teacher: building the model and the training examples/);
    s = reduceEvents(s, [log('12 of 14 training items → 12 examples; 2 skipped (answer-too-long: 2) [limits 64/15/42, policy skip]')], 20);
    expect(s.run!.phase).toEqual({ kind: 'first-step', nodeId: 't', since: 20 });
    expect(phaseText(s.run!, 'teacher')).toMatch(/compiles the kernels/);
    s = reduceEvents(s, [step('t', 1)], 30);
    s = reduceEvents(s, [step('t', 2)], 40);
    expect(s.run!.phase).toEqual({ kind: 'training', nodeId: 't', since: 30 });
    expect(phaseText(s.run!, 'teacher')).toBeUndefined();
    s = reduceEvents(s, [{ type: 'node', nodeId: 't', status: 'done' }], 50);
    expect(phaseText(s.run!, 'teacher')).toMatch(/^Evaluating the teacher: generating questions/);
    s = reduceEvents(s, [{ type: 'eval', nodeId: 't', result: {} as never }], 60);
    expect(s.run!.phase).toBeUndefined();
  });

  it('the examples are built once per run: a later training node goes straight to its first step; a student is cut', () => {
    let s = tree();
    s = reduceEvents(s, [{ type: 'node', nodeId: 't', status: 'running' }, log('3 of 3 training items → 3 examples [limits 64/15/42, policy skip]')], 0);
    s = reduceEvents(s, [{ type: 'node', nodeId: 's', status: 'running' }], 1);
    expect(s.run!.phase?.kind).toBe('cutting');
    s = reduceEvents(s, [{ type: 'node', nodeId: 'd', status: 'running' }], 2);
    expect(s.run!.phase?.kind).toBe('first-step');
    expect(phaseText(s.run!, 'distill')).toMatch(/^Preparing the distillation: loading the model/);
  });

  it('a resumed node says from which step; a failed one clears the phase; a finished run has none', () => {
    let s = tree();
    s = reduceEvents(s, [{ type: 'node', nodeId: 't', status: 'running' }, log("node 't': resuming teacher from step 12 of 40")], 0);
    expect(s.run!.phase).toMatchObject({ kind: 'resuming', fromStep: 12 });
    expect(phaseText(s.run!, 'teacher')).toBe('Resuming the teacher from step 12: loading its checkpoint and compiling the kernels for the next step…');
    // another node's resume line does not move this one
    expect(reduceEvents(s, [log("node 'x': resuming teacher from step 3 of 40")], 1).run!.phase).toMatchObject({ nodeId: 't', fromStep: 12 });
    s = reduceEvents(s, [{ type: 'node', nodeId: 't', status: 'failed', error: 'x' }], 1);
    expect(s.run!.phase).toBeUndefined();
    expect(phaseText(runFinished(s.run, { status: 'failed' })!)).toBeUndefined();
  });

  it('evaluation progress: "12 of 30 test questions generated · ETA 20 s", then the timing runs; the eval event ends it', () => {
    let s = tree();
    s = reduceEvents(s, [{ type: 'node', nodeId: 't', status: 'running' }, step('t', 1), { type: 'node', nodeId: 't', status: 'done' }], 0);
    const since = s.run!.phase!.since;
    const prog = (part: 'generating' | 'timing', done: number, total: number, etaMs: number): LabEvent => ({
      type: 'evalProgress', nodeId: 't', part, done, total, elapsedMs: 1000, etaMs,
    });
    s = reduceEvents(s, [prog('generating', 4, 30, 40_000), prog('generating', 12, 30, 20_000)], 5);
    expect(s.run!.phase).toEqual({ kind: 'evaluating', nodeId: 't', since, progress: { part: 'generating', done: 12, total: 30, etaMs: 20_000 } });
    expect(phaseText(s.run!, 'teacher')).toBe('Evaluating the teacher: 12 of 30 test questions generated (beam search) · ETA 20 s');
    s = reduceEvents(s, [prog('generating', 30, 30, 0)], 6);
    expect(phaseText(s.run!, 'teacher')).toBe('Evaluating the teacher: 30 of 30 test questions generated (beam search)');
    s = reduceEvents(s, [prog('timing', 1, 3, 125_000)], 7);
    expect(phaseText(s.run!, 'teacher')).toBe('Evaluating the teacher: timing generation, run 1 of 3 · ETA 2 min 5 s; then scoring…');
    s = reduceEvents(s, [{ type: 'eval', nodeId: 't', result: {} as never }], 8);
    expect(s.run!.phase).toBeUndefined();
  });

  it('progress of a node evaluated without a done event first (a node found trained) starts the evaluating phase', () => {
    let s = tree();
    s = reduceEvents(s, [{ type: 'evalProgress', nodeId: 't', part: 'generating', done: 0, total: 30, elapsedMs: 0, etaMs: 0 }], 3);
    expect(s.run!.phase).toEqual({ kind: 'evaluating', nodeId: 't', since: 3, progress: { part: 'generating', done: 0, total: 30, etaMs: 0 } });
  });
});

describe('validation events', () => {
  const v = (nodeId: string, step: number, loss: number): LabEvent => ({
    type: 'validation', nodeId, stage: 'teacher', step, totalSteps: 30, loss, examples: 120, items: 16,
  });

  it('build each node\'s live curve; untouched parts keep their identity', () => {
    const s0 = empty();
    const s1 = reduceEvents(s0, [v('a', 3, 5), v('b', 3, 6), v('a', 6, 4)], 0);
    expect(s1.validation.a!.map((p) => [p.step, p.loss])).toEqual([[3, 5], [6, 4]]);
    expect(s1.validation.b).toEqual([{ step: 3, totalSteps: 30, loss: 6, examples: 120, items: 16 }]);
    expect(s1.series).toBe(s0.series);
    const s2 = reduceEvents(s1, [step('a', 7)], 1);
    expect(s2.validation).toBe(s1.validation);
    // the earlier batch's arrays are not changed by a later one
    const s3 = reduceEvents(s2, [v('a', 9, 3)], 2);
    expect(s1.validation.a).toHaveLength(2);
    expect(s3.validation.a).toHaveLength(3);
  });

  it('a resumed stage sending its points again from the checkpoint on keeps one point per step', () => {
    let s = reduceEvents(empty(), [v('a', 3, 5), v('a', 6, 4), v('a', 9, 3.5)], 0);
    s = reduceEvents(s, [v('a', 6, 4.2)], 1);
    expect(s.validation.a!.map((p) => [p.step, p.loss])).toEqual([[3, 5], [6, 4.2]]);
  });
});
