// validationLoss: the mean teacher-forced CE of held-out examples, the same number at any micro-batch size, no
// tensors left behind, and lower after training on other items of a learnable toy (the sample's template questions).
// Runs on WASM (the fast Node backend).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdOutItems } from '../data/heldOut';
import { sampleItems } from '../data/sampleDataset';
import { arrayExampleSet } from '../data/sqgExampleSet';
import { prepareExamples } from '../data/sqgExamples';
import { bertPresets } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { useBackend } from '../kernels/useBackend';
import { BertTokenizer, buildVocabFromTexts } from '../tokenizer/bertTokenizer';
import { hardCrossEntropy } from './distillLosses';
import { batchTensors, padBatch } from './sqgBatch';
import { resolveStageConfig } from './stageConfig';
import { trainStage } from './trainStage';
import { ValidationAbortedError, validationLoss } from './validationLoss';

beforeAll(async () => {
  await useBackend('wasm');
});

const limits = { maxSeqLen: 64, maxAnswerLen: 15, maxQuestionLen: 42 };

describe('validationLoss', () => {
  const all = sampleItems().slice(0, 40);
  const tok = BertTokenizer.fromVocab(buildVocabFromTexts(all.flatMap((it) => [it.context, it.answer, it.question])).join('\n'));
  const { train, heldOut } = holdOutItems(all, 8);
  const trainSet = arrayExampleSet(prepareExamples(tok, train, limits, 'window').examples);
  const heldSet = arrayExampleSet(prepareExamples(tok, heldOut, limits, 'window').examples);

  it('is the mean CE over every example, whatever the micro-batch, and leaves no tensor behind', async () => {
    const model = BertForMaskedLM.create(bertPresets.tiny(tok.vocabSize, 128), 5);
    try {
      await validationLoss(model, heldSet, 1000); // a backend's first call may cache a constant for good
      const before = tf.memory().numTensors;
      const a = await validationLoss(model, heldSet, 3);
      const b = await validationLoss(model, heldSet, 1000);
      expect(tf.memory().numTensors).toBe(before);
      expect(a.examples).toBe(heldSet.size);
      expect(Number.isFinite(a.loss)).toBe(true);
      expect(a.loss).toBeCloseTo(b.loss, 5);
      // the reference: hard CE of all rows in one forward pass
      const rows = Array.from({ length: heldSet.size }, (_, i) => heldSet.example(i));
      const ref = tf.tidy(() => {
        const t = batchTensors(padBatch(rows));
        const { logits } = model.forward(t, { training: false, headPositions: t.maskPositions });
        return hardCrossEntropy(logits as tf.Tensor2D, t.labels).dataSync()[0]!;
      });
      expect(a.loss).toBeCloseTo(ref, 5);
      // an untrained model is near uniform: CE ≈ ln(vocab)
      expect(a.loss).toBeGreaterThan(Math.log(tok.vocabSize) / 2);
    } finally {
      model.dispose();
    }
  });

  it('stops between micro-batches when its signal aborts (a cancel does not wait for the pass), leaving no tensor', async () => {
    const model = BertForMaskedLM.create(bertPresets.tiny(tok.vocabSize, 128), 6);
    try {
      await validationLoss(model, heldSet, 1000);
      const before = tf.memory().numTensors;
      const ctl = new AbortController();
      ctl.abort();
      await expect(validationLoss(model, heldSet, 2, ctl.signal)).rejects.toBeInstanceOf(ValidationAbortedError);
      expect(tf.memory().numTensors).toBe(before);
      expect((await validationLoss(model, heldSet, 2, new AbortController().signal)).examples).toBe(heldSet.size);
    } finally {
      model.dispose();
    }
  });

  it('falls on held-out questions while the model trains on the others', async () => {
    const model = BertForMaskedLM.create(bertPresets.tiny(tok.vocabSize, 128), 7);
    try {
      const config = resolveStageConfig('teacher', { epochs: 4, batchSize: 16, learningRate: 3e-3, warmupRatio: 0.1, hiddenDropout: 0.1, attentionDropout: 0.1, seed: 1 });
      const curve: number[] = [(await validationLoss(model, heldSet, 16)).loss];
      const before = tf.memory().numTensors;
      await trainStage({
        kind: 'teacher',
        student: model,
        examples: trainSet,
        config,
        onStep: async (e) => {
          if (e.step % 10 === 0 || e.step === e.totalSteps) curve.push((await validationLoss(model, heldSet, 16)).loss);
        },
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(curve.every(Number.isFinite)).toBe(true);
      expect(curve.length).toBeGreaterThan(3);
      // 4.7 → 3.0 nats measured (WASM); a model that did not learn stays near ln(vocab)
      expect(curve.at(-1)!).toBeLessThan(curve[0]! * 0.8);
    } finally {
      model.dispose();
    }
  });

  it('refuses an empty set and a bad batch size', async () => {
    const model = BertForMaskedLM.create(bertPresets.tiny(tok.vocabSize, 128), 5);
    try {
      await expect(validationLoss(model, arrayExampleSet([]), 4)).rejects.toThrow(/no held-out examples/);
      await expect(validationLoss(model, heldSet, 0)).rejects.toThrow(/batchSize must be a positive integer/);
    } finally {
      model.dispose();
    }
  });
});
