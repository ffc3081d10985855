// BertConfig: the shape and regularisation of a BERT encoder + MLM head, and its Hugging Face config.json form.

export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  /** Only the exact erf GELU of Hugging Face's `hidden_act: "gelu"` is supported. */
  hiddenAct: 'gelu';
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  layerNormEps: number;
  padTokenId: number;
  initializerRange: number;
}

export class BertConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid BERT config: ${problems.join('; ')}`);
    this.name = 'BertConfigError';
  }
}

/** Problems with a config (empty when valid). */
export function validateConfig(c: BertConfig): string[] {
  const problems: string[] = [];
  const posInt = (name: keyof BertConfig, allowZero = false) => {
    const v = c[name] as unknown;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < (allowZero ? 0 : 1))
      problems.push(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer (got ${JSON.stringify(v)})`);
  };
  posInt('vocabSize');
  posInt('hiddenSize');
  posInt('numHiddenLayers', true);
  posInt('numAttentionHeads');
  posInt('intermediateSize');
  posInt('maxPositionEmbeddings');
  posInt('typeVocabSize');
  posInt('padTokenId', true);
  if (c.hiddenAct !== 'gelu') problems.push(`unsupported hiddenAct '${String(c.hiddenAct)}' (only 'gelu', the exact erf form)`);
  for (const name of ['hiddenDropoutProb', 'attentionProbsDropoutProb'] as const) {
    const v = c[name];
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) problems.push(`${name} must be in [0, 1) (got ${JSON.stringify(v)})`);
  }
  if (typeof c.layerNormEps !== 'number' || !(c.layerNormEps > 0)) problems.push(`layerNormEps must be > 0`);
  if (typeof c.initializerRange !== 'number' || !(c.initializerRange >= 0)) problems.push(`initializerRange must be >= 0`);
  if (Number.isInteger(c.hiddenSize) && Number.isInteger(c.numAttentionHeads) && c.numAttentionHeads > 0 && c.hiddenSize % c.numAttentionHeads !== 0)
    problems.push(`hiddenSize (${c.hiddenSize}) must be a multiple of numAttentionHeads (${c.numAttentionHeads})`);
  if (Number.isInteger(c.padTokenId) && Number.isInteger(c.vocabSize) && c.padTokenId >= c.vocabSize)
    problems.push(`padTokenId (${c.padTokenId}) must be < vocabSize (${c.vocabSize})`);
  return problems;
}

/** Throws a BertConfigError listing every problem. */
export function assertValidConfig(c: BertConfig): BertConfig {
  const problems = validateConfig(c);
  if (problems.length) throw new BertConfigError(problems);
  return c;
}

const REQUIRED_HF = [
  'vocab_size',
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'intermediate_size',
  'max_position_embeddings',
  'type_vocab_size',
] as const;

/** Parses a Hugging Face BERT config.json (object or its text). Missing optional fields take HF's defaults. */
export function configFromHf(json: unknown): BertConfig {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (e) {
      throw new BertConfigError([`config.json is not valid JSON (${(e as Error).message})`]);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new BertConfigError(['config.json must be a JSON object']);
  const j = json as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of REQUIRED_HF) if (j[k] === undefined || j[k] === null) problems.push(`missing field '${k}'`);
  if (j.model_type !== undefined && j.model_type !== 'bert')
    problems.push(`model_type '${String(j.model_type)}' is not 'bert'`);
  const act = j.hidden_act ?? 'gelu';
  if (act !== 'gelu')
    problems.push(`unsupported hidden_act '${String(act)}' (only 'gelu', the exact erf GELU, is supported)`);
  const pet = j.position_embedding_type ?? 'absolute';
  if (pet !== 'absolute') problems.push(`unsupported position_embedding_type '${String(pet)}' (only 'absolute')`);
  if (j.is_decoder === true) problems.push(`is_decoder=true is not supported`);
  if (problems.length) throw new BertConfigError(problems);
  const num = (k: string, fallback: number): number => {
    const v = j[k];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number') {
      problems.push(`field '${k}' must be a number (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return v;
  };
  const c: BertConfig = {
    vocabSize: num('vocab_size', 0),
    hiddenSize: num('hidden_size', 0),
    numHiddenLayers: num('num_hidden_layers', 0),
    numAttentionHeads: num('num_attention_heads', 0),
    intermediateSize: num('intermediate_size', 0),
    hiddenAct: 'gelu',
    hiddenDropoutProb: num('hidden_dropout_prob', 0.1),
    attentionProbsDropoutProb: num('attention_probs_dropout_prob', 0.1),
    maxPositionEmbeddings: num('max_position_embeddings', 512),
    typeVocabSize: num('type_vocab_size', 2),
    layerNormEps: num('layer_norm_eps', 1e-12),
    padTokenId: num('pad_token_id', 0),
    initializerRange: num('initializer_range', 0.02),
  };
  if (problems.length) throw new BertConfigError(problems);
  return assertValidConfig(c);
}

/** A config.json that Hugging Face transformers loads as BertForMaskedLM. */
export function configToHf(c: BertConfig): Record<string, unknown> {
  return {
    architectures: ['BertForMaskedLM'],
    model_type: 'bert',
    attention_probs_dropout_prob: c.attentionProbsDropoutProb,
    classifier_dropout: null,
    hidden_act: c.hiddenAct,
    hidden_dropout_prob: c.hiddenDropoutProb,
    hidden_size: c.hiddenSize,
    initializer_range: c.initializerRange,
    intermediate_size: c.intermediateSize,
    layer_norm_eps: c.layerNormEps,
    max_position_embeddings: c.maxPositionEmbeddings,
    num_attention_heads: c.numAttentionHeads,
    num_hidden_layers: c.numHiddenLayers,
    pad_token_id: c.padTokenId,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
    type_vocab_size: c.typeVocabSize,
    use_cache: true,
    vocab_size: c.vocabSize,
  };
}

function preset(
  numHiddenLayers: number,
  hiddenSize: number,
  numAttentionHeads: number,
  intermediateSize: number,
): (vocabSize: number, maxPositions?: number) => BertConfig {
  return (vocabSize, maxPositions = 512) =>
    assertValidConfig({
      vocabSize,
      hiddenSize,
      numHiddenLayers,
      numAttentionHeads,
      intermediateSize,
      hiddenAct: 'gelu',
      hiddenDropoutProb: 0.1,
      attentionProbsDropoutProb: 0.1,
      maxPositionEmbeddings: maxPositions,
      typeVocabSize: 2,
      layerNormEps: 1e-12,
      padTokenId: 0,
      initializerRange: 0.02,
    });
}

/** From-scratch model shapes, as functions of vocabulary size and maximum positions (default 512). */
export const bertPresets = {
  tiny: preset(2, 64, 2, 128),
  mini: preset(4, 256, 4, 1024),
  small: preset(4, 512, 8, 2048),
} as const;
export type BertPresetName = keyof typeof bertPresets;

/** A copy of `c` with `numHiddenLayers` set (e.g. after dropping layers). */
export function withNumLayers(c: BertConfig, numHiddenLayers: number): BertConfig {
  return assertValidConfig({ ...c, numHiddenLayers });
}
