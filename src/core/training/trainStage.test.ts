import * as tf from '@tensorflow/tfjs';
import { arrayExampleSet } from '../data/sqgExampleSet';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqgExample } from '../data/sqgExamples';
import type { BertConfig } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { useBackend } from '../kernels/useBackend';
import type { EncodedItem } from '../data/sqgExamples';
import { generateQuestions } from '../generation/generateQuestions';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { computeLossTerms } from './distillLosses';
import { resolveLayerMap } from './layerMaps';
import { resolveStageConfig, type StageConfig } from './stageConfig';
import { NonFiniteLossError, type StepEvent } from './stepEvent';
import { trainStage } from './trainStage';
import type { TrainState } from './trainState';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONFIG: BertConfig = {
  vocabSize: 40,
  hiddenSize: 16,
  numHiddenLayers: 4,
  numAttentionHeads: 2,
  intermediateSize: 32,
  hiddenAct: 'gelu',
  hiddenDropoutProb: 0.1,
  attentionProbsDropoutProb: 0.1,
  maxPositionEmbeddings: 64,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  padTokenId: 0,
  initializerRange: 0.1,
};

/** BERT-SQG-shaped examples: [CLS] ctx [SEP] ans [SEP] q.. [MASK], varying lengths. */
function examples(n: number, seed = 1): SqgExample[] {
  let s = seed;
  const rnd = (k: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % k;
  };
  return Array.from({ length: n }, () => {
    const ctx = Array.from({ length: 4 + rnd(6) }, () => 5 + rnd(30));
    const ans = [5 + rnd(30)];
    const q = Array.from({ length: rnd(3) }, () => 5 + rnd(30));
    const inputIds = [1, ...ctx, 2, ...ans, 2, ...q, 3];
    const tokenTypeIds = inputIds.map((_, i) => (i > ctx.length + 1 && i <= ctx.length + ans.length + 2 ? 1 : 0));
    return { inputIds, tokenTypeIds, maskPos: inputIds.length - 1, label: 5 + rnd(30) };
  });
}

/** A tokenizer with CONFIG.vocabSize tokens (5 specials + 35 characters), to generate with the tiny models. */
const TOK = BertTokenizer.fromVocab(
  ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...'abcdefghijklmnopqrstuvwxyz012345678'].join('\n'),
);

/** Fixed generation items, as the runner samples during training. */
const SAMPLE_ITEMS: EncodedItem[] = [0, 1, 2].map((i) => ({
  id: `s${i}`,
  contextIds: Array.from({ length: 6 + i }, (_, j) => 5 + ((i * 7 + j * 3) % 35)),
  answerIds: [5 + i],
  questionIds: [],
}));

/** Greedy questions from `model` (eval mode inside generateQuestions), as an onStep between steps would make them. */
async function sampleQuestions(model: BertForMaskedLM): Promise<string[]> {
  const out = await generateQuestions(model, TOK, SAMPLE_ITEMS, { strategy: 'greedy', maxLen: 6 });
  return out.map((q) => q.ids.join(','));
}

function cfg(kind: 'teacher' | 'distill', over: Record<string, unknown> = {}): StageConfig {
  return resolveStageConfig(kind, { epochs: 2, batchSize: 2, learningRate: 1e-3, trainFraction: 1, ...over });
}

async function weightsOf(m: BertForMaskedLM): Promise<Float32Array[]> {
  return Promise.all(m.trainableVariables().map(async (v) => Float32Array.from(await v.data())));
}

describe('trainStage', () => {
  it('reduces the loss of a tiny teacher over a few steps', async () => {
    const student = BertForMaskedLM.create(CONFIG, 1);
    const losses: number[] = [];
    const res = await trainStage({
      kind: 'teacher',
      student,
      examples: arrayExampleSet(examples(4)),
      config: cfg('teacher', { epochs: 8, batchSize: 4, learningRate: 5e-3, hiddenDropout: 0, attentionDropout: 0, shuffle: false }),
      onStep: (e) => losses.push(e.loss),
    });
    expect(res).toMatchObject({ status: 'completed', step: 8, totalSteps: 8 });
    expect(losses[7]).toBeLessThan(losses[0] * 0.8);
    student.dispose();
  });

  for (const backend of ['cpu', 'wasm'] as const)
    it(`does not leak tensors: the count after step 10 equals the count after step 2 (distill, every term, sampling between steps; ${backend})`, async () => {
      await useBackend(backend); // with WASM's kernel patches, as the lab runs it
      const start = tf.memory().numTensors;
      // On WASM a model keeps its tied decoder's transpose for inference (one tensor each, freed with the model): the
      // frozen teacher from step 1 (the soft loss's all-position logits), the student from its first samples (step 2),
      // remade when training changed its weights.
      const wasm = backend === 'wasm';
      const teacher = BertForMaskedLM.create(CONFIG, 2);
      const student = teacher.withLayers([0, 2]);
      const counts = new Map<number, number>();
      const afterSampling = new Map<number, number>();
      const events: StepEvent[] = [];
      const before = tf.memory().numTensors;
      await trainStage({
        kind: 'distill',
        student,
        teacher,
        examples: arrayExampleSet(examples(12)),
        config: cfg('distill', { distill: { schedule: 'all', softForm: 'study' } }),
        onStep: async (e) => {
          counts.set(e.step, tf.memory().numTensors);
          events.push(e);
          if (e.step % 2 === 0) {
            // generation with the model being trained, between steps (as the runner's samples)
            expect(await sampleQuestions(student)).toHaveLength(3);
            afterSampling.set(e.step, tf.memory().numTensors);
          }
        },
      });
      expect(counts.get(10)).toBe(counts.get(2)! + (wasm ? 1 : 0)); // samples at steps 2, 4, 6, 8 in between
      expect(counts.get(10)).toBe(counts.get(4));
      expect(afterSampling.get(10)).toBe(counts.get(10));
      expect(afterSampling.get(2)).toBe(counts.get(2)! + (wasm ? 1 : 0));
      expect(tf.memory().numTensors).toBe(before + (wasm ? 2 : 0)); // optimizer moments and the dropout copy are freed
      expect(Object.keys(events[0].terms)).toEqual(['logits', 'soft', 'hidden/0', 'hidden/1', 'attn/1', 'attn/2']);
      const e = events[11];
      expect(e).toMatchObject({ step: 12, totalSteps: 12, epoch: 1, phase: 0 });
      expect(e.lr).toBeCloseTo(1e-3 / 12, 9); // update 11 of 12: 1e-3 * (12 - 11) / 12
      expect(e.examplesPerSec).toBeGreaterThan(0);
      expect(e.etaMs).toBe(0);
      const weighted = Object.values(events[0].terms).reduce((a, b) => a + b, 0);
      expect(events[0].loss).toBeCloseTo(weighted, 4);
      student.dispose();
      teacher.dispose();
      expect(tf.memory().numTensors).toBe(start);
      await tf.setBackend('cpu');
    });

  it('awaits a Promise from onStep before the next step; generating there leaves the training unchanged', async () => {
    const base = BertForMaskedLM.create(CONFIG, 12);
    // dropout on: generation must not draw from the stage's RNG stream nor change any weight
    const config = cfg('teacher', { epochs: 2, hiddenDropout: 0.3, attentionDropout: 0.3, checkpointEverySteps: 1 });
    const data = examples(6);
    const plain = base.clone();
    const plainLosses: number[] = [];
    await trainStage({ kind: 'teacher', student: plain, examples: arrayExampleSet(data), config, onStep: (e) => void plainLosses.push(e.loss) });

    const sampled = base.clone();
    const losses: number[] = [];
    const log: string[] = [];
    let busy = false;
    await trainStage({
      kind: 'teacher', student: sampled, examples: arrayExampleSet(data), config,
      onStep: async (e) => {
        expect(busy).toBe(false); // the previous step's Promise has settled
        losses.push(e.loss);
        log.push(`step ${e.step}`);
        busy = true;
        const weights = await weightsOf(sampled);
        const a = await sampleQuestions(sampled);
        await new Promise((r) => setTimeout(r, 5));
        // eval mode: no dropout, so the same weights give the same questions; nothing is written to the model
        expect(await sampleQuestions(sampled)).toEqual(a);
        expect(await weightsOf(sampled)).toEqual(weights);
        log.push(`sampled ${e.step}`);
        busy = false;
      },
      onCheckpoint: async (s) => void log.push(`checkpoint ${s.step}`),
    });
    expect(log.slice(0, 6)).toEqual(['step 1', 'sampled 1', 'checkpoint 1', 'step 2', 'sampled 2', 'checkpoint 2']);
    expect(losses).toEqual(plainLosses);
    expect(await weightsOf(sampled)).toEqual(await weightsOf(plain));
    base.dispose();
    plain.dispose();
    sampled.dispose();
  });

  it('checkpoints by wall time (checkpointEveryMinutes), never sooner than 20× the last checkpoint took', async () => {
    const model = BertForMaskedLM.create(CONFIG, 13);
    let clock = 0;
    const saved: number[] = [];
    // 12 examples, batch 1: 12 steps in one epoch; each step takes 30 s of the fake clock
    const run = (minutes: number, checkpointMs: number) =>
      trainStage({
        kind: 'teacher', student: model, examples: arrayExampleSet(examples(12)), config: cfg('teacher', { epochs: 1, batchSize: 1, checkpointEveryMinutes: minutes }),
        now: () => clock,
        onStep: () => void (clock += 30_000),
        onCheckpoint: async (s) => {
          saved.push(s.step);
          clock += checkpointMs;
        },
      });
    await run(1, 0);
    // every 2 steps (60 s), and the epoch end; none timed after the last step
    expect(saved).toEqual([2, 4, 6, 8, 10, 12]);
    saved.length = 0;
    // checkpoints of 10 s: the first timed one after 60 s (step 2), the next after 200 s (20 × 10 s) more (step 9)
    await run(1, 10_000);
    expect(saved).toEqual([2, 9, 12]);
    saved.length = 0;
    await run(0, 0);
    expect(saved).toEqual([12]);
    model.dispose();
  });

  it('with the same seed and config gives the same numbers; layerwise phases switch terms', async () => {
    const teacher = BertForMaskedLM.create(CONFIG, 3);
    const run = async () => {
      const student = teacher.withLayers([1, 3]);
      const ev: StepEvent[] = [];
      await trainStage({
        kind: 'distill',
        student,
        teacher,
        examples: arrayExampleSet(examples(8)),
        config: cfg('distill', { distill: { schedule: 'layerwise', softForm: 'mask', temperature: 2, phaseLength: { steps: 2 } } }),
        onStep: (e) => ev.push(e),
      });
      const w = await weightsOf(student);
      student.dispose();
      return { ev, w };
    };
    const a = await run();
    const b = await run();
    expect(b.ev.map((e) => e.loss)).toEqual(a.ev.map((e) => e.loss));
    expect(b.w).toEqual(a.w);
    expect(a.ev.map((e) => Object.keys(e.terms).join(','))).toEqual([
      'hidden/0', 'hidden/0', 'hidden/1,attn/1', 'hidden/1,attn/1', 'attn/2', 'attn/2', 'logits,soft', 'logits,soft',
    ]);
    teacher.dispose();
  });

  it('resuming from a mid-epoch checkpoint gives the same final weights as an uninterrupted run', async () => {
    const base = BertForMaskedLM.create(CONFIG, 4);
    const teacher = BertForMaskedLM.create(CONFIG, 5);
    // dropout 0.3 differs from the student's config (0.1): exercises the training copy too
    const config = cfg('distill', { epochs: 2, checkpointEverySteps: 2, distill: { schedule: 'progressive', softForm: 'mask', phaseLength: { steps: 2 } } });
    const data = examples(6); // 3 steps per epoch, 6 in all
    const full = base.clone();
    const states = new Map<number, TrainState>();
    const fullLosses: number[] = [];
    await trainStage({
      kind: 'distill', student: full, teacher, examples: arrayExampleSet(data), config,
      onStep: (e) => fullLosses.push(e.loss),
      onCheckpoint: async (s) => void states.set(s.step, s),
    });
    expect([...states.keys()]).toEqual([2, 3, 4, 6]);

    for (const at of [2, 3]) {
      const resumed = base.clone();
      const losses: number[] = [];
      const res = await trainStage({
        kind: 'distill', student: resumed, teacher, examples: arrayExampleSet(data), config, resume: states.get(at),
        onStep: (e) => losses.push(e.loss),
      });
      expect(res).toMatchObject({ status: 'completed', step: 6 });
      expect(losses).toEqual(fullLosses.slice(at));
      expect(await weightsOf(resumed)).toEqual(await weightsOf(full));
      resumed.dispose();
    }
    await expect(
      trainStage({ kind: 'distill', student: base, teacher, examples: arrayExampleSet(examples(8)), config, resume: states.get(2) }),
    ).rejects.toThrow(/trained on 6 examples, this run has 8/);
    base.dispose();
    full.dispose();
    teacher.dispose();
  });

  it('an abort within a step saves a checkpoint that resumes to the uninterrupted result', async () => {
    const base = BertForMaskedLM.create(CONFIG, 11);
    const config = cfg('teacher', { epochs: 2, hiddenDropout: 0.2, attentionDropout: 0.2 }); // 3 steps per epoch
    const data = examples(6);
    const full = base.clone();
    await trainStage({ kind: 'teacher', student: full, examples: arrayExampleSet(data), config });
    const want = await weightsOf(full);
    // trainStage reads signal.aborted at the start of each step and again before applying its update
    const abortOnRead = (n: number) => {
      let reads = 0;
      return { get aborted() { return ++reads >= n; } } as AbortSignal;
    };
    for (const [read, stepsDone] of [[6, 2], [9, 4]]) { // 6: inside step 3; 9: start of step 5
      const student = base.clone();
      const saved: TrainState[] = [];
      const res = await trainStage({ kind: 'teacher', student, examples: arrayExampleSet(data), config, signal: abortOnRead(read), onCheckpoint: async (s) => void saved.push(s) });
      expect(res).toMatchObject({ status: 'cancelled', step: stepsDone });
      const last = saved[saved.length - 1];
      expect(last.step).toBe(stepsDone);
      const resumed = base.clone();
      await trainStage({ kind: 'teacher', student: resumed, examples: arrayExampleSet(data), config, resume: last });
      expect(await weightsOf(resumed)).toEqual(want);
      student.dispose();
      resumed.dispose();
    }
    base.dispose();
    full.dispose();
  });

  it('stops when aborted and returns cancelled with the steps done', async () => {
    const student = BertForMaskedLM.create(CONFIG, 6);
    const ctl = new AbortController();
    const res = await trainStage({
      kind: 'teacher', student, examples: arrayExampleSet(examples(8)), config: cfg('teacher'),
      signal: ctl.signal,
      onStep: (e) => e.step === 2 && ctl.abort(),
    });
    expect(res).toMatchObject({ status: 'cancelled', step: 2, totalSteps: 8 });
    student.dispose();
  });

  it('stops on a non-finite loss, naming the step, without applying that update', async () => {
    const student = BertForMaskedLM.create(CONFIG, 7);
    const v = student.getVariable('cls.predictions.bias');
    v.assign(tf.fill(v.shape, NaN));
    const before = await weightsOf(student);
    const err = await trainStage({ kind: 'teacher', student, examples: arrayExampleSet(examples(4)), config: cfg('teacher') }).catch((e) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err.message).toMatch(/loss is NaN at step 1/);
    const after = await weightsOf(student);
    expect(after.length).toBe(before.length);
    after.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(before[i]))); // NaN-safe elementwise compare
    student.dispose();
  });

  it('rejects a distill stage without teacher or with mismatched shapes', async () => {
    const student = BertForMaskedLM.create({ ...CONFIG, numHiddenLayers: 2 }, 8);
    await expect(trainStage({ kind: 'distill', student, examples: arrayExampleSet(examples(2)), config: cfg('distill') })).rejects.toThrow(/needs a teacher/);
    const wide = BertForMaskedLM.create({ ...CONFIG, hiddenSize: 32 }, 9);
    await expect(
      trainStage({ kind: 'distill', student, teacher: wide, examples: arrayExampleSet(examples(2)), config: cfg('distill', { distill: { schedule: 'all' } }) }),
    ).rejects.toThrow(/equal hidden sizes \(student 16, teacher 32\)/);
    await expect(trainStage({ kind: 'teacher', student, examples: arrayExampleSet(examples(2)), config: cfg('teacher', { trainFraction: 0.1 }) })).rejects.toThrow(/no training examples/);
    student.dispose();
    wide.dispose();
  });
});

describe('layer losses with the real model', () => {
  it('hidden and attention MSE are zero when the student is an exact copy of its teacher', async () => {
    const teacher = BertForMaskedLM.create(CONFIG, 10);
    const student = teacher.withLayers([0, 1, 2, 3]);
    const map = resolveLayerMap('study', 4, 4); // ratio 1: hidden e <-> e, attention k <-> k
    const values = tf.tidy(() => {
      const ex = examples(3);
      const seq = Math.max(...ex.map((e) => e.inputIds.length));
      const pad = (xs: number[]) => [...xs, ...Array(seq - xs.length).fill(0)];
      const inputs = {
        inputIds: tf.tensor2d(ex.map((e) => pad(e.inputIds)), undefined, 'int32'),
        tokenTypeIds: tf.tensor2d(ex.map((e) => pad(e.tokenTypeIds)), undefined, 'int32'),
        attentionMask: tf.tensor2d(ex.map((e) => pad(e.inputIds.map(() => 1))), undefined, 'int32'),
      };
      const o = { outputHiddenStates: true, outputAttentions: true, headPositions: 'all' as const };
      const terms = computeLossTerms({
        terms: ['soft', 'hidden/0', 'hidden/3', 'attn/1', 'attn/4'],
        labels: tf.tensor1d(ex.map((e) => e.label), 'int32'),
        maskPositions: tf.tensor1d(ex.map((e) => e.maskPos), 'int32'),
        student: student.forward(inputs, o),
        teacher: teacher.forward(inputs, o),
        hiddenPairs: new Map(map.hidden.map((p) => [p.student, p.teacher])),
        attnPairs: new Map(map.attn.map((p) => [p.student, p.teacher])),
        softForm: 'mask',
      });
      return tf.stack([...terms.values()]);
    });
    const [soft, ...mse] = Array.from(await values.data());
    expect(soft).toBeGreaterThan(0); // soft CE of identical distributions = their entropy, not 0
    for (const x of mse) expect(x).toBe(0);
    values.dispose();
    student.dispose();
    teacher.dispose();
  });
});
