import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleItems } from '../data/sampleDataset';
import type { LabEvent } from './events';
import { loadTrainState, readState, readEval, readHistory } from './checkpoints';
import type { Recipe } from './recipe';
import { ExperimentRunner } from './runner';
import { MemoryStorage, type RunStorage } from './storage';
import { summaryTable } from './summary';
import { scoreQuestions } from '../metrics/score';
import { tokenizerFor } from '../data/testing/itemsTokenizer';

const items = sampleItems();
const train = items.slice(0, 6);
const test = items.slice(200, 203);
const tok = tokenizerFor(items);

// A very small model so the whole tree trains in seconds on the cpu backend.
const TEACHER = { init: { preset: 'tiny', layers: 2, hidden: 16, heads: 2, intermediate: 32 }, epochs: 1, batchSize: 16, learningRate: 1e-3 };
const TRAIN = { epochs: 1, batchSize: 16, learningRate: 1e-3, checkpointEverySteps: 1 };

function recipe(extra: Recipe['nodes'] = []): Recipe {
  return {
    version: 1,
    name: 'tiny study',
    data: { maxSeqLen: 48, policy: 'window' },
    eval: { beamSize: 2, limit: 3, batchSize: 3, samples: 2 },
    nodes: [
      { id: 'teacher', parent: null, stage: 'teacher', config: TEACHER },
      { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
      {
        id: 'distill',
        parent: 'student',
        stage: 'distill',
        config: { ...TRAIN, trainFraction: 0.5, hiddenDropout: 0.3, attentionDropout: 0.3, distill: { schedule: 'all', layerMap: 'study' } },
      },
      { id: 'selftrain', parent: 'distill', stage: 'selftrain', config: { ...TRAIN, hiddenDropout: 0.3, attentionDropout: 0.3 } },
      ...extra,
    ],
  };
}

function runner(storage: RunStorage, events: LabEvent[], onEvent?: (e: LabEvent) => void) {
  return new ExperimentRunner({
    storage,
    train,
    test,
    tokenizer: tok,
    onEvent: (e) => {
      events.push(e);
      onEvent?.(e);
    },
  });
}

const stepsOf = (events: LabEvent[], id: string) =>
  events.filter((e): e is Extract<LabEvent, { type: 'step' }> => e.type === 'step' && e.nodeId === id).map((e) => e.step);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ExperimentRunner', () => {
  it('runs the tiny study tree end to end: every node done and evaluated', async () => {
    const storage = new MemoryStorage();
    const events: LabEvent[] = [];
    const summary = await runner(storage, events).run(recipe());
    expect(summary.cancelled).toBe(false);
    expect(summary.nodes.map((n) => [n.id, n.status])).toEqual([
      ['teacher', 'done'],
      ['student', 'done'],
      ['distill', 'done'],
      ['selftrain', 'done'],
    ]);
    for (const id of ['teacher', 'student', 'distill', 'selftrain']) {
      const ev = await readEval(storage, id);
      expect(ev, id).toBeDefined();
      expect(ev!.n).toBe(3);
      expect(ev!.questions).toHaveLength(3);
      // the stored scores are those of the stored questions against the references as scored
      const again = scoreQuestions(
        Object.fromEntries(ev!.questions.map((q) => [q.id, q.generated])),
        Object.fromEntries(ev!.questions.map((q) => [q.id, [q.scoredReference ?? q.reference]])),
      );
      expect(ev!.metrics).toEqual({ ...again });
      // how it scored: the defaults (nothing set, no older evaluation in the tree), in eval.json and the record
      expect(ev!.normalize).toBe('bert');
      expect(ev!.contextCut).toMatchObject({ mode: 'answer-window', prompts: 3 });
      expect((await readState(storage, id))!.evalSetup).toEqual({ normalize: 'bert', normalizedReferences: ev!.normalizedReferences, contextCut: ev!.contextCut });
      expect(await storage.list(`nodes/${id}/model/`)).toEqual([
        `nodes/${id}/model/config.json`,
        `nodes/${id}/model/model.safetensors`,
        `nodes/${id}/model/vocab.txt`,
      ]);
      expect(await storage.list(`nodes/${id}/train-state/`)).toEqual([]); // removed once done
    }
    // the student is the teacher minus its top layer, with its origin recorded
    const st = await readState(storage, 'student');
    expect(st!.layerOrigin).toEqual([0]);
    expect((await readEval(storage, 'student'))!.params).toBeLessThan((await readEval(storage, 'teacher'))!.params);
    expect((await readState(storage, 'distill'))!.teacher).toBe('teacher');
    // events: node lifecycle, steps with loss terms, evals, samples
    expect(events.filter((e) => e.type === 'node' && e.status === 'done').map((e) => (e as { nodeId: string }).nodeId)).toEqual([
      'teacher',
      'student',
      'distill',
      'selftrain',
    ]);
    const distillStep = events.find((e) => e.type === 'step' && e.nodeId === 'distill') as Extract<LabEvent, { type: 'step' }>;
    expect(Object.keys(distillStep.terms)).toEqual(expect.arrayContaining(['logits', 'soft', 'hidden/0', 'attn/1']));
    expect(events.filter((e) => e.type === 'eval')).toHaveLength(4);
    // each evaluation says in the log how many prompts were cut, and how the references were scored
    const evalLogs = events.filter((e): e is Extract<LabEvent, { type: 'log' }> => e.type === 'log' && / prompts cut /.test(e.message));
    expect(evalLogs.map((e) => e.message.split(':')[0])).toEqual(["node 'teacher'", "node 'student'", "node 'distill'", "node 'selftrain'"]);
    expect(evalLogs[0]!.message).toMatch(/^node 'teacher': context answer-window: \d+ of 3 prompts cut to a window around the answer.*; references scored through the tokenizer \('bert': \d+ of 3 changed\)$/);
    expect(events.find((e) => e.type === 'samples')).toMatchObject({ samples: [expect.any(Object), expect.any(Object)] });
    expect((await readHistory(storage, 'teacher')).length).toBe(stepsOf(events, 'teacher').length);

    const table = summaryTable(summary.nodes);
    expect(table.split('\n')[0]).toMatch(/node\s+stage\s+status\s+params\s+params %\s+gen time\s+time %\s+BLEU-1.*avg_score\s+score %/);
    expect(table).toMatch(/teacher\s+teacher\s+done.*100\.0%/);

    // a second run finds everything done: nothing is trained or evaluated again
    const again: LabEvent[] = [];
    const s2 = await runner(storage, again).run(recipe());
    expect(s2.nodes.every((n) => n.status === 'done')).toBe(true);
    expect(again.filter((e) => e.type === 'step' || e.type === 'eval' || e.type === 'node')).toEqual([]);
  });

  it("a node's training time counts each moment once, however many checkpoints it wrote", async () => {
    const storage = new MemoryStorage();
    const t0 = Date.now();
    // TRAIN checkpoints after every step: each one used to add the time since the stage started again
    await runner(storage, []).run(recipe());
    const wall = Date.now() - t0;
    for (const id of ['teacher', 'distill', 'selftrain']) {
      const st = (await readState(storage, id))!;
      expect(st.steps, id).toBeGreaterThan(1);
      expect(st.trainMs, id).toBeGreaterThan(0);
      expect(st.trainMs!, id).toBeLessThanOrEqual(wall);
    }
  });

  it('sends samples from the model being trained every eval.sampleEverySteps steps, before the node is done', async () => {
    const events: LabEvent[] = [];
    const r: Recipe = {
      version: 1,
      data: { maxSeqLen: 48, policy: 'window' },
      eval: { beamSize: 1, limit: 3, batchSize: 3, samples: 2, sampleEverySteps: 2 },
      nodes: [{ id: 'teacher', parent: null, stage: 'teacher', config: { ...TEACHER, hiddenDropout: 0.3, attentionDropout: 0.3 } }],
    };
    const summary = await runner(new MemoryStorage(), events).run(r);
    expect(summary.nodes[0]!.status).toBe('done');
    const steps = stepsOf(events, 'teacher');
    const total = steps[steps.length - 1]!;
    expect(total).toBeGreaterThanOrEqual(5);
    const done = events.findIndex((e) => e.type === 'node' && e.nodeId === 'teacher' && e.status === 'done');
    const during = events
      .map((e, i) => ({ e, i }))
      .filter((x): x is { e: Extract<LabEvent, { type: 'samples' }>; i: number } => x.e.type === 'samples' && x.i < done);
    // every 2nd step except the last (the evaluation sends the final samples)
    const want = steps.filter((s) => s % 2 === 0 && s < total);
    expect(want.length).toBeGreaterThanOrEqual(2);
    expect(during.map((x) => x.e.step)).toEqual(want);
    for (const { e, i } of during) {
      expect(e.nodeId).toBe('teacher');
      // sent right after that step's event, before the next step's
      expect(events[i - 1]).toMatchObject({ type: 'step', nodeId: 'teacher', step: e.step });
      expect(e.samples.map((x) => [x.id, x.reference])).toEqual(test.slice(0, 2).map((t) => [t.id, t.question]));
      for (const x of e.samples) expect(typeof x.generated).toBe('string');
    }
    // the evaluation's samples still follow the node's 'done', at its final step
    expect(events.slice(done).find((e) => e.type === 'samples')).toMatchObject({ nodeId: 'teacher', step: total });
    expect(events.some((e) => e.type === 'log' && e.level !== 'info')).toBe(false);

    // 0 turns it off
    const off: LabEvent[] = [];
    await runner(new MemoryStorage(), off).run({ ...r, eval: { ...r.eval, sampleEverySteps: 0 } });
    const doneOff = off.findIndex((e) => e.type === 'node' && e.status === 'done');
    expect(off.slice(0, doneOff).some((e) => e.type === 'samples')).toBe(false);
  });

  it('resumes after an abort: finished nodes are not retrained, an interrupted stage continues from its checkpoint', async () => {
    const storage = new MemoryStorage();
    // 1) abort once the teacher is evaluated
    const ac = new AbortController();
    const ev1: LabEvent[] = [];
    const s1 = await runner(storage, ev1, (e) => {
      if (e.type === 'eval' && e.nodeId === 'teacher') ac.abort();
    }).run(recipe(), ac.signal);
    expect(s1.cancelled).toBe(true);
    expect(s1.nodes.find((n) => n.id === 'teacher')!.status).toBe('done');
    expect(s1.nodes.find((n) => n.id === 'student')!.status).toBe('queued');
    const teacherWeights = await storage.getBytes('nodes/teacher/model/model.safetensors');
    const teacherState = await readState(storage, 'teacher');

    // 2) abort the distill stage after its second step (a checkpoint is written every step)
    const ac2 = new AbortController();
    const ev2: LabEvent[] = [];
    const s2 = await runner(storage, ev2, (e) => {
      if (e.type === 'step' && e.nodeId === 'distill' && e.step === 2) ac2.abort();
    }).run(recipe(), ac2.signal);
    expect(s2.cancelled).toBe(true);
    expect(stepsOf(ev2, 'teacher')).toEqual([]); // not retrained
    expect(ev2.some((e) => e.type === 'eval' && e.nodeId === 'teacher')).toBe(false); // nor re-evaluated
    expect(stepsOf(ev2, 'distill')).toEqual([1, 2]);
    expect((await readState(storage, 'distill'))!.status).toBe('cancelled');
    expect(ev2).toContainEqual({ type: 'node', nodeId: 'distill', status: 'cancelled' });
    // one complete checkpoint: the index and the chunks of the one tag it names (train-state schema 2)
    expect(new Set((await storage.list('nodes/distill/train-state/')).map((k) => k.split('/')[3]!.replace(/^(t-[^/]+)$/, '$1')))).toEqual(new Set(['state.json', (await storage.getJson<{ tensors: string }>('nodes/distill/train-state/state.json'))!.tensors]));

    // 3) run to the end
    const ev3: LabEvent[] = [];
    const s3 = await runner(storage, ev3).run(recipe());
    expect(s3.cancelled).toBe(false);
    expect(s3.nodes.every((n) => n.status === 'done')).toBe(true);
    expect(stepsOf(ev3, 'teacher')).toEqual([]);
    const distillSteps = stepsOf(ev3, 'distill');
    expect(distillSteps[0]).toBe(3); // continues after the checkpoint of step 2
    expect(ev3).toContainEqual({ type: 'log', level: 'info', message: expect.stringMatching(/distill.*resuming distill from step 2/) });
    expect((await readState(storage, 'distill'))!.resumes).toBe(1);
    expect((await readHistory(storage, 'distill')).map((p) => p.step)).toEqual([1, 2, ...distillSteps]);
    expect(await storage.getBytes('nodes/teacher/model/model.safetensors')).toEqual(teacherWeights);
    expect(await readState(storage, 'teacher')).toEqual(teacherState);
  });

  it('a cancel after the last step keeps the final checkpoint; the resume only loads it and saves the model', async () => {
    const storage = new MemoryStorage();
    const single: Recipe = { ...recipe(), nodes: recipe().nodes.slice(0, 1), eval: { limit: 0 } };
    const ac = new AbortController();
    const ev1: LabEvent[] = [];
    let total = 0;
    const s1 = await runner(storage, ev1, (e) => {
      if (e.type === 'step' && e.nodeId === 'teacher' && e.step === e.totalSteps) {
        total = e.totalSteps;
        ac.abort(); // during the step's final checkpoint
      }
    }).run(single, ac.signal);
    expect(total).toBeGreaterThan(0);
    expect(s1.cancelled).toBe(true);
    expect((await readState(storage, 'teacher'))!.status).toBe('cancelled');
    expect(await storage.list('nodes/teacher/model/')).toEqual([]);
    expect((await loadTrainState<{ step: number }>(storage, 'teacher'))!.step).toBe(total);

    const ev2: LabEvent[] = [];
    const s2 = await runner(storage, ev2).run(single);
    expect(s2.nodes.map((n) => n.status)).toEqual(['done']);
    expect(stepsOf(ev2, 'teacher')).toEqual([]); // nothing trained again
    expect(ev2).toContainEqual({ type: 'log', level: 'info', message: expect.stringMatching(new RegExp(`resuming teacher from step ${total} of ${total}`)) });
    expect(await storage.list('nodes/teacher/model/')).toContain('nodes/teacher/model/model.safetensors');
  });

  it('a checkpoint that cannot be written fails the node, even with a cancel pending (not a silent cancel)', async () => {
    const storage = new MemoryStorage();
    const putBytes = storage.putBytes.bind(storage);
    storage.putBytes = async (k, b) => {
      if (k.includes('/train-state/')) throw new Error('QuotaExceededError: the disk is full');
      return putBytes(k, b);
    };
    const single: Recipe = { ...recipe(), nodes: recipe().nodes.slice(0, 1), eval: { limit: 0 } };
    const ac = new AbortController();
    const events: LabEvent[] = [];
    await runner(storage, events, (e) => {
      if (e.type === 'step' && e.step === e.totalSteps) ac.abort();
    }).run(single, ac.signal);
    const st = (await readState(storage, 'teacher'))!;
    expect(st.status).toBe('failed');
    expect(st.error).toMatch(/QuotaExceededError: the disk is full/);
  });

  it('eval.limit 0: nodes are done without evaluation (no eval.json, no scores)', async () => {
    const storage = new MemoryStorage();
    const events: LabEvent[] = [];
    const r = { ...recipe(), nodes: recipe().nodes.slice(0, 2), eval: { limit: 0 } };
    const summary = await runner(storage, events).run(r);
    expect(summary.nodes.map((n) => n.status)).toEqual(['done', 'done']);
    for (const id of ['teacher', 'student']) {
      expect(await readEval(storage, id)).toBeUndefined();
      expect((await readState(storage, id))!.scores).toBeUndefined();
    }
    expect(events.some((e) => e.type === 'eval')).toBe(false);
    expect(events).toContainEqual({ type: 'log', level: 'info', message: "node 'teacher': not evaluated (eval.limit is 0)" });
  });

  it('a failing node keeps its last good checkpoint; its children are skipped, other branches finish', async () => {
    const storage = new MemoryStorage();
    const events: LabEvent[] = [];
    const r = recipe([
      // a learning rate this large sends the weights to Inf after one update: the next loss is NaN
      { id: 'bad', parent: 'student', stage: 'selftrain', config: { ...TRAIN, learningRate: 1e38 } },
      { id: 'bad-child', parent: 'bad', stage: 'selftrain', config: TRAIN },
    ]);
    const summary = await runner(storage, events).run(r);
    const status = Object.fromEntries(summary.nodes.map((n) => [n.id, n.status]));
    expect(status).toEqual({ teacher: 'done', student: 'done', distill: 'done', selftrain: 'done', bad: 'failed', 'bad-child': 'skipped' });
    const bad = summary.nodes.find((n) => n.id === 'bad')!;
    expect(bad.error).toMatch(/node 'bad' \(selftrain\) failed: loss is NaN at step 2/);
    expect(events).toContainEqual({ type: 'node', nodeId: 'bad', status: 'failed', error: bad.error });
    expect(events).toContainEqual({ type: 'node', nodeId: 'bad-child', status: 'skipped', error: "skipped: parent 'bad' is failed" });
    // the record event carries the same status: the UI shows what the runner stored
    expect(events.some((e) => e.type === 'record' && e.record.id === 'bad-child' && e.record.status === 'skipped')).toBe(true);
    // the last good checkpoint (step 1) is still there; no model was written for the failed node
    expect(await storage.list('nodes/bad/train-state/')).toContain('nodes/bad/train-state/state.json');
    expect(await loadTrainState(storage, 'bad')).toMatchObject({ step: 1 });
    expect(await storage.list('nodes/bad/model/')).toEqual([]);
    expect(await readEval(storage, 'bad')).toBeUndefined();
    expect(await readEval(storage, 'selftrain')).toBeDefined();
    expect(summaryTable(summary.nodes)).toMatch(/bad-child\s+selftrain\s+skipped/);
  });

  it('redoes a node (and its subtree) whose config changed, keeping the rest', async () => {
    const storage = new MemoryStorage();
    const base: Recipe = { ...recipe(), nodes: recipe().nodes.slice(0, 2) };
    await runner(storage, []).run(base);
    const before = await storage.getBytes('nodes/teacher/model/model.safetensors');
    const changed: Recipe = {
      ...base,
      nodes: [base.nodes[0]!, { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-bottom', k: 1 } }],
    };
    const events: LabEvent[] = [];
    await runner(storage, events).run(changed);
    expect(stepsOf(events, 'teacher')).toEqual([]);
    expect(await storage.getBytes('nodes/teacher/model/model.safetensors')).toEqual(before);
    expect((await readState(storage, 'student'))!.layerOrigin).toEqual([1]);
  });

  it('a model saved just before a crash is not trained again; changed data options redo the tree', async () => {
    const storage = new MemoryStorage();
    const base: Recipe = { ...recipe(), nodes: recipe().nodes.slice(0, 1) };
    await runner(storage, []).run(base);
    // simulate a crash between saving the model and writing 'done'
    const st = (await readState(storage, 'teacher'))!;
    await storage.putJson('nodes/teacher/state.json', { ...st, status: 'running' });
    const events: LabEvent[] = [];
    await runner(storage, events).run(base);
    expect(stepsOf(events, 'teacher')).toEqual([]);
    expect(events).toContainEqual({ type: 'log', level: 'info', message: expect.stringMatching(/saved before the run stopped/) });
    expect((await readState(storage, 'teacher'))!.status).toBe('done');
    // other data options → the teacher is trained again
    const ev2: LabEvent[] = [];
    await runner(storage, ev2).run({ ...base, data: { maxSeqLen: 40, maxQuestionLen: 20, policy: 'window' } });
    expect(stepsOf(ev2, 'teacher').length).toBeGreaterThan(0);
  });
});
