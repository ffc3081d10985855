import { BertForMaskedLM } from '../model/bertForMaskedLM';
import type { StateDictTensors } from './trainState';

/** Replace every weight of `student` by a checkpoint's (resume). The stage's dropout rates are not the model's
 *  business: the study sets them on the student's config (distil.py `stu_config.hidden_dropout_prob = args.dropout`);
 *  here trainStage passes them to each training forward (`ForwardOptions.dropout`), so no copy of the model is made. */
export function loadWeightsInto(student: BertForMaskedLM, weights: StateDictTensors): void {
  const from = BertForMaskedLM.fromStateDict(student.config, weights);
  try {
    const src = from.namedVariables();
    for (const [name, v] of student.namedVariables()) {
      const s = src.get(name);
      if (!s) throw new Error(`weights have no parameter '${name}'`);
      v.assign(s);
    }
  } finally {
    from.dispose();
  }
}
