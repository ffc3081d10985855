import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BertConfig } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { modelHead, softCrossEntropyStudyChunked } from './chunkedSoftCrossEntropy';
import { softCrossEntropyStudy } from './distillLosses';

const CONFIG: BertConfig = {
  vocabSize: 50, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 32, hiddenAct: 'gelu',
  hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, maxPositionEmbeddings: 32, typeVocabSize: 2, layerNormEps: 1e-12,
  padTokenId: 0, initializerRange: 0.3,
};

async function flat(ts: tf.Tensor[]): Promise<number[][]> {
  return Promise.all(ts.map(async (t) => Array.from(await t.data())));
}

for (const backend of ['cpu', 'wasm'] as const)
  describe(`softCrossEntropyStudyChunked (${backend})`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it('has the value and gradients of the unchunked form (7 rows of 5 positions, chunks of 4 rows)', async () => {
      const teacher = BertForMaskedLM.create(CONFIG, 1);
      const student = BertForMaskedLM.create({ ...CONFIG, numHiddenLayers: 1 }, 2);
      const ids = tf.tensor2d(Array.from({ length: 7 * 5 }, (_, i) => 1 + ((i * 7) % 49)), [7, 5], 'int32');
      const vars = student.trainableVariables();
      const run = (chunked: boolean) =>
        tf.tidy(() => {
          const t = teacher.forward({ inputIds: ids }, chunked ? { headPositions: 'none', outputLastHidden: true } : {});
          const eT = tf.transpose(student.getVariable('bert.embeddings.word_embeddings.weight')) as tf.Tensor2D;
          const tT = tf.transpose(teacher.getVariable('bert.embeddings.word_embeddings.weight')) as tf.Tensor2D;
          const { value, grads } = tf.variableGrads(() => {
            if (!chunked) return softCrossEntropyStudy(student.forward({ inputIds: ids }).logits!, t.logits!);
            const s = student.forward({ inputIds: ids }, { headPositions: 'none', outputLastHidden: true });
            return softCrossEntropyStudyChunked(s.lastHidden!, t.lastHidden!, modelHead(student, eT), modelHead(teacher, tT), 4);
          }, vars);
          return [value, ...vars.map((v) => grads[v.name]!)];
        });
      // on WASM an eval-mode forward keeps the model's decoder transpose (one tensor per model, made on first use)
      tf.dispose(run(false));
      const before = tf.memory().numTensors;
      const a = run(false);
      const b = run(true);
      const [va, ...ga] = await flat(a);
      const [vb, ...gb] = await flat(b);
      expect(Math.abs(va[0] - vb[0])).toBeLessThan(1e-6);
      let maxDiff = 0;
      ga.forEach((g, i) => g.forEach((x, j) => (maxDiff = Math.max(maxDiff, Math.abs(x - gb[i][j])))));
      expect(maxDiff).toBeLessThan(1e-6);
      expect(ga.some((g) => g.some((x) => x !== 0))).toBe(true);
      tf.dispose([...a, ...b]);
      expect(tf.memory().numTensors).toBe(before);
      ids.dispose();
      teacher.dispose();
      student.dispose();
    });
  });
