// A training pool's worker thread (started by trainingPool.ts through tsWorkerBootstrap.mjs): its own TF.js backend,
// a student (and teacher) copy made at each setup task, and for each step task: the student's weights uploaded from
// the shared buffer, its share of the micro-batches run (accumulateMicroBatches), the gradient sum written to its
// own shared buffer.
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../../core/model/bertConfig';
import { BertForMaskedLM } from '../../core/model/bertForMaskedLM';
import { accumulateMicroBatches, type LossPlan } from '../../core/training/stepGradients';
import { initBackend } from '../loadInputs';
import { serveTasks } from './serveTasks';
import { copyInto, sharedView, type SharedVars, type TrainingInit, type TrainingResult, type TrainingTask } from './trainingPool';

interface Copy {
  model: BertForMaskedLM;
  vars: tf.Variable[];
}

/** A model of `config`; its weights are uploaded from the shared buffers (every variable, so the init is never used). */
const modelOf = (config: BertConfig) => BertForMaskedLM.create(config, 1);

function upload(vars: readonly tf.Variable[], s: SharedVars): void {
  vars.forEach((v, i) => {
    const t = tf.tensor(sharedView(s, i), v.shape, 'float32');
    v.assign(t);
    t.dispose();
  });
}

serveTasks<TrainingInit, TrainingTask, TrainingResult>(async (init) => {
  await initBackend(init.backend);
  let student: Copy | undefined;
  let teacher: BertForMaskedLM | undefined;
  let weights: SharedVars | undefined;
  let grads: SharedVars | undefined;
  const disposeModels = () => {
    student?.model.dispose();
    teacher?.dispose();
    student = undefined;
    teacher = undefined;
  };
  return async (task) => {
    if (task.kind === 'setup') {
      disposeModels();
      const model = modelOf(task.student);
      student = { model, vars: task.weights.vars.map((v) => model.getVariable(v.name)) };
      weights = task.weights;
      grads = task.grads;
      if (task.teacher) {
        teacher = modelOf(task.teacher.config);
        const t = teacher;
        upload(task.teacher.weights.vars.map((v) => t.getVariable(v.name)), task.teacher.weights);
      }
      return { value: 0, terms: [], nullGrads: [], numTensors: tf.memory().numTensors, ms: { upload: 0, compute: 0, write: 0 } };
    }
    if (!student || !weights || !grads) throw new Error('training worker: a step before its setup');
    const t0 = performance.now();
    upload(student.vars, weights);
    const t1 = performance.now();
    const weightOf = new Map(task.terms.map((t, i) => [t, task.termWeights[i]!]));
    const plan: LossPlan = {
      termsAt: () => ({ phase: 0, terms: task.terms }),
      weightOf: (t) => weightOf.get(t) ?? 0,
      hiddenPairs: task.hiddenPairs,
      attnPairs: task.attnPairs,
      softForm: task.softForm,
      temperature: task.temperature,
    };
    const r = accumulateMicroBatches(
      {
        model: student.model,
        teacher,
        vars: student.vars,
        rows: task.rows,
        terms: task.terms,
        plan,
        seed: task.seed,
        dropout: task.dropout,
        recompute: task.recompute,
        microBatchSize: task.microBatchSize,
        softChunkRows: task.softChunkRows,
      },
      task.ks,
    );
    let value: number;
    let terms: number[];
    let t2 = NaN;
    try {
      // the gradients' first read-back waits for the compute (ops run as they are called on WASM; this is where
      // a backend that queues work would finish it)
      await r.value.data();
      t2 = performance.now();
      const g = grads;
      for (let i = 0; i < r.grads.length; i++) if (r.grads[i]) await copyInto(r.grads[i]!, sharedView(g, i));
      value = (await r.value.data())[0]!;
      terms = Array.from(await r.terms.data());
    } finally {
      tf.dispose([r.value, r.terms, ...r.grads.filter((t): t is tf.Tensor => t !== null)]);
    }
    const t3 = performance.now();
    return { value, terms, nullGrads: r.grads.map((t) => t === null), numTensors: tf.memory().numTensors, ms: { upload: t1 - t0, compute: t2 - t1, write: t3 - t2 } };
  };
});
