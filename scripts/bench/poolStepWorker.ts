// A worker of the pool benchmark (pool.ts): its own backend and its own random model of one of the fixed shapes
// (shapes.ts), timing generation steps as shapes.ts does (sequence 128, head at the last position, argmax).
import * as tf from '@tensorflow/tfjs';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import { initBackend } from '../../src/node/loadInputs';
import { serveTasks } from '../../src/node/pool/serveTasks';
import { BENCH_SHAPES } from './shapes';

export interface StepInit {
  backend: string;
  shape: string;
}

/** `reps` generation steps of `batch` rows; resolves to their seconds */
export interface StepTask {
  batch: number;
  reps: number;
}

const SEQ = 128;

serveTasks<StepInit, StepTask, number>(async ({ backend, shape }) => {
  await initBackend(backend);
  const config = BENCH_SHAPES[shape]!;
  const model = BertForMaskedLM.create(config, 1);
  return async ({ batch, reps }) => {
    // the inputs of shapes.ts: [CLS] then a fixed spread of ids, every row full length
    const ids = Array.from({ length: batch * SEQ }, (_, i) => (i % SEQ === 0 ? 101 : 104 + ((i * 7919) % (config.vocabSize - 104))));
    const inputs = {
      inputIds: tf.tensor2d(ids, [batch, SEQ], 'int32'),
      tokenTypeIds: tf.zeros([batch, SEQ], 'int32') as tf.Tensor2D,
      attentionMask: tf.ones([batch, SEQ], 'int32') as tf.Tensor2D,
    };
    const pos = tf.fill([batch], SEQ - 1, 'int32') as tf.Tensor1D;
    try {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) {
        const next = tf.tidy(() => tf.argMax(model.forward(inputs, { headPositions: pos }).logits!, -1));
        await next.data();
        next.dispose();
      }
      return (performance.now() - t0) / 1000;
    } finally {
      tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask, pos]);
    }
  };
});
