// Parameter count as Hugging Face reports it for BertForMaskedLM (num_parameters(): tied weights once, no pooler).
import type { BertConfig } from './bertConfig';
import { numel, parameterSpecs } from './parameterSpecs';

export function countParameters(c: BertConfig): number {
  let n = 0;
  for (const p of parameterSpecs(c)) n += numel(p.hfShape);
  return n;
}
