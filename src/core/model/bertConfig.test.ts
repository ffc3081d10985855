import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bertPresets, configFromHf, configToHf, type BertConfig } from './bertConfig';
import { countParameters } from './parameterCount';
import { withShared } from '../../testing/withShared';

const shared = withShared('bertConfig.test', 'fixtures/hf-bert-tiny/config.json', 'fixtures/hf-bert-tiny/golden.json');
const fixture = shared.path('fixtures/hf-bert-tiny');

const bertBaseChinese: BertConfig = {
  vocabSize: 21128,
  hiddenSize: 768,
  numHiddenLayers: 12,
  numAttentionHeads: 12,
  intermediateSize: 3072,
  hiddenAct: 'gelu',
  hiddenDropoutProb: 0.1,
  attentionProbsDropoutProb: 0.1,
  maxPositionEmbeddings: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  padTokenId: 0,
  initializerRange: 0.02,
};

describe('BertConfig', () => {
  shared.it('parses the fixture config and round-trips through configToHf', () => {
    const c = configFromHf(readFileSync(resolve(fixture, 'config.json'), 'utf8'));
    expect(c).toMatchObject({ vocabSize: 21128, hiddenSize: 32, numHiddenLayers: 4, numAttentionHeads: 4, intermediateSize: 64,
      maxPositionEmbeddings: 128, typeVocabSize: 2, layerNormEps: 1e-12, padTokenId: 0, initializerRange: 0.2, hiddenAct: 'gelu' });
    const hf = configToHf(c);
    expect(hf.architectures).toEqual(['BertForMaskedLM']);
    expect(hf.model_type).toBe('bert');
    expect(configFromHf(hf)).toEqual(c);
    expect(configFromHf(JSON.stringify(hf))).toEqual(c);
  });

  it('reports missing fields and unsupported activations clearly', () => {
    expect(() => configFromHf({ hidden_size: 8 })).toThrow(/missing field 'vocab_size'.*missing field 'num_hidden_layers'/);
    const hf = configToHf(bertBaseChinese);
    expect(() => configFromHf({ ...hf, hidden_act: 'gelu_new' })).toThrow(/unsupported hidden_act 'gelu_new'/);
    expect(() => configFromHf({ ...hf, hidden_act: 'relu' })).toThrow(/only 'gelu'/);
    expect(() => configFromHf({ ...hf, num_attention_heads: 5 })).toThrow(/multiple of numAttentionHeads/);
    expect(() => configFromHf({ ...hf, model_type: 'gpt2' })).toThrow(/model_type/);
    expect(() => configFromHf('{not json')).toThrow(/not valid JSON/);
    expect(() => configFromHf([])).toThrow(/JSON object/);
  });

  it('presets are functions of vocab size and max positions', () => {
    expect(bertPresets.tiny(500, 128)).toMatchObject({ numHiddenLayers: 2, hiddenSize: 64, numAttentionHeads: 2, intermediateSize: 128, vocabSize: 500, maxPositionEmbeddings: 128 });
    expect(bertPresets.mini(21128)).toMatchObject({ numHiddenLayers: 4, hiddenSize: 256, numAttentionHeads: 4, intermediateSize: 1024, maxPositionEmbeddings: 512 });
    expect(bertPresets.small(21128, 256)).toMatchObject({ numHiddenLayers: 4, hiddenSize: 512, numAttentionHeads: 8, intermediateSize: 2048 });
  });
});

describe('countParameters', () => {
  shared.it('matches Hugging Face for bert-base-chinese, with 6 layers dropped, and the fixture', () => {
    expect(countParameters(bertBaseChinese)).toBe(102_290_312);
    expect(countParameters({ ...bertBaseChinese, numHiddenLayers: 6 })).toBe(59_763_080);
    const golden = JSON.parse(readFileSync(resolve(fixture, 'golden.json'), 'utf8')) as { num_parameters: number };
    expect(countParameters(configFromHf(readFileSync(resolve(fixture, 'config.json'), 'utf8')))).toBe(golden.num_parameters);
  });
});
