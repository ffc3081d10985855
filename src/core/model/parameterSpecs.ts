// The parameters of BertForMaskedLM, in Hugging Face's named_parameters() order, with HF names and layouts.
import type { BertConfig } from './bertConfig';

/**
 * - `linear`: nn.Linear weight; HF layout [out, in], stored here as [in, out].
 * - `embedding`: nn.Embedding table [num, hidden] (same layout in both).
 * - `norm`: LayerNorm weight (init 1). `bias`: any bias / LayerNorm bias (init 0).
 */
export type ParamKind = 'linear' | 'embedding' | 'norm' | 'bias';

export interface ParamSpec {
  name: string;
  /** Shape in Hugging Face layout (Linear weights are [out, in]). */
  hfShape: number[];
  kind: ParamKind;
}

/** Tied aliases Hugging Face drops when saving: alias -> parameter it shares storage with. */
export const TIED_PARAMETERS: Readonly<Record<string, string>> = {
  'cls.predictions.decoder.weight': 'bert.embeddings.word_embeddings.weight',
  'cls.predictions.decoder.bias': 'cls.predictions.bias',
};

export function layerPrefix(i: number): string {
  return `bert.encoder.layer.${i}.`;
}

function linear(specs: ParamSpec[], name: string, inF: number, outF: number): void {
  specs.push({ name: `${name}.weight`, hfShape: [outF, inF], kind: 'linear' });
  specs.push({ name: `${name}.bias`, hfShape: [outF], kind: 'bias' });
}

function layerNorm(specs: ParamSpec[], name: string, h: number): void {
  specs.push({ name: `${name}.weight`, hfShape: [h], kind: 'norm' });
  specs.push({ name: `${name}.bias`, hfShape: [h], kind: 'bias' });
}

/** Parameters of one encoder layer, with names relative to `bert.encoder.layer.<i>.`. */
export function encoderLayerSpecs(c: BertConfig): ParamSpec[] {
  const h = c.hiddenSize;
  const s: ParamSpec[] = [];
  linear(s, 'attention.self.query', h, h);
  linear(s, 'attention.self.key', h, h);
  linear(s, 'attention.self.value', h, h);
  linear(s, 'attention.output.dense', h, h);
  layerNorm(s, 'attention.output.LayerNorm', h);
  linear(s, 'intermediate.dense', h, c.intermediateSize);
  linear(s, 'output.dense', c.intermediateSize, h);
  layerNorm(s, 'output.LayerNorm', h);
  return s;
}

/** Every (untied) parameter of BertForMaskedLM in HF named_parameters() order (no pooler). */
export function parameterSpecs(c: BertConfig): ParamSpec[] {
  const h = c.hiddenSize;
  const s: ParamSpec[] = [
    { name: 'bert.embeddings.word_embeddings.weight', hfShape: [c.vocabSize, h], kind: 'embedding' },
    { name: 'bert.embeddings.position_embeddings.weight', hfShape: [c.maxPositionEmbeddings, h], kind: 'embedding' },
    { name: 'bert.embeddings.token_type_embeddings.weight', hfShape: [c.typeVocabSize, h], kind: 'embedding' },
  ];
  layerNorm(s, 'bert.embeddings.LayerNorm', h);
  const layer = encoderLayerSpecs(c);
  for (let i = 0; i < c.numHiddenLayers; i++)
    for (const p of layer) s.push({ ...p, name: layerPrefix(i) + p.name, hfShape: [...p.hfShape] });
  s.push({ name: 'cls.predictions.bias', hfShape: [c.vocabSize], kind: 'bias' });
  linear(s, 'cls.predictions.transform.dense', h, h);
  layerNorm(s, 'cls.predictions.transform.LayerNorm', h);
  return s;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Internal (TF.js) shape of a parameter: Linear weights transposed to [in, out]. */
export function internalShape(p: ParamSpec): number[] {
  return p.kind === 'linear' ? [p.hfShape[1]!, p.hfShape[0]!] : [...p.hfShape];
}
