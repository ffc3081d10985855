import { BertForMaskedLM } from '../model/bertForMaskedLM';
import type { StateDictTensors } from './trainState';

/**
 * The model a stage trains: the student with the stage's dropout rates.
 *
 * The study sets dropout on the student's config before loading it (distil.py:
 * `stu_config.attention_probs_dropout_prob = args.dropout; stu_config.hidden_dropout_prob = args.dropout`;
 * SQG_train.py does the same). BertForMaskedLM reads its rates from its (frozen) config, so when the rates differ
 * we train a copy built with the stage's rates and write its weights back into the student (`syncToStudent`).
 * With equal rates the student itself is trained. `initialWeights` (a checkpoint) replaces the start weights.
 */
export interface StageModel {
  model: BertForMaskedLM;
  /** copy the trained weights into the caller's student (no-op when training it in place) */
  syncToStudent(): void;
  /** free the copy, if any */
  dispose(): void;
}

export function studentWithDropout(
  student: BertForMaskedLM,
  hiddenDropout: number,
  attentionDropout: number,
  initialWeights?: StateDictTensors,
): StageModel {
  const c = student.config;
  const sameRates = c.hiddenDropoutProb === hiddenDropout && c.attentionProbsDropoutProb === attentionDropout;
  if (sameRates) {
    if (initialWeights) copyWeights(BertForMaskedLM.fromStateDict(c, initialWeights), student, true);
    return { model: student, syncToStudent: () => {}, dispose: () => {} };
  }
  const config = { ...c, hiddenDropoutProb: hiddenDropout, attentionProbsDropoutProb: attentionDropout };
  const model = BertForMaskedLM.fromStateDict(config, initialWeights ?? student.toStateDict());
  return {
    model,
    syncToStudent: () => copyWeights(model, student, false),
    dispose: () => model.dispose(),
  };
}

/** Assign every variable of `from` to the same-named variable of `to` (same config shapes). */
function copyWeights(from: BertForMaskedLM, to: BertForMaskedLM, disposeFrom: boolean): void {
  try {
    const src = from.namedVariables();
    for (const [name, v] of to.namedVariables()) {
      const s = src.get(name);
      if (!s) throw new Error(`weights have no parameter '${name}'`);
      v.assign(s);
    }
  } finally {
    if (disposeFrom) from.dispose();
  }
}
