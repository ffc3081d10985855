import { describe, expect, it } from 'vitest';
import { defaultStageConfig, resolveStageConfig, StageConfigError } from './stageConfig';

describe('StageConfig', () => {
  it("has the study's defaults", () => {
    const d = resolveStageConfig('distill');
    expect(d).toMatchObject({ epochs: 5, batchSize: 8, learningRate: 5e-5, warmupRatio: 0, weightDecay: 0, maxGradNorm: 1, seed: 42, shuffle: true });
    expect(d.hiddenDropout).toBe(0.3);
    expect(d.attentionDropout).toBe(0.3);
    expect(d.trainFraction).toBe(0.5);
    expect(d.distill).toMatchObject({ schedule: 'all', softForm: 'study', temperature: 1, layerMap: 'study' });
    const s = resolveStageConfig('selftrain');
    expect([s.trainFraction, s.hiddenDropout]).toEqual([1, 0.3]);
    expect(defaultStageConfig('teacher').hiddenDropout).toBe(0.1);
    expect(defaultStageConfig('teacher').recomputeLayers).toBe(false);
  });

  it('microBatchSize: 0 (the whole batch) by default, an integer in [0, batchSize]', () => {
    expect(resolveStageConfig('teacher').microBatchSize).toBe(0);
    expect(resolveStageConfig('teacher', { batchSize: 8, microBatchSize: 2 }).microBatchSize).toBe(2);
    expect(resolveStageConfig('teacher', { batchSize: 8, microBatchSize: 8 }).microBatchSize).toBe(8);
    for (const bad of [9, -1, 1.5, '2', null]) {
      expect(() => resolveStageConfig('teacher', { batchSize: 8, microBatchSize: bad })).toThrow(/microBatchSize must be an integer in \[0, batchSize = 8\]/);
    }
    expect(() => resolveStageConfig('teacher', { microBatchsize: 2 })).toThrow(/unknown field microBatchsize/);
  });

  it('merges partial input, nested fields included', () => {
    const c = resolveStageConfig('distill', { epochs: 2, distill: { schedule: 'all', weights: { attn: 0 } } });
    expect(c.epochs).toBe(2);
    expect(c.distill.schedule).toBe('all');
    expect(c.distill.weights).toEqual({ hard: 1, soft: 1, hidden: 1, attn: 0 });
    expect(c.distill.layerMap).toBe('study');
  });

  it('lists every problem with its field', () => {
    let err: StageConfigError | undefined;
    try {
      resolveStageConfig('distill', {
        epochs: 0,
        batchSize: 2.5,
        learningRate: -1,
        trainFraction: 0,
        hiddenDropout: 1,
        recomputeLayers: 'yes',
        lr: 1e-4,
        distill: { softForm: 'study', temperature: 2, schedule: 'zigzag', phaseLength: { epochs: 1, steps: 3 }, layerMap: 7 },
      });
    } catch (e) {
      err = e as StageConfigError;
    }
    expect(err).toBeInstanceOf(StageConfigError);
    const text = err!.problems.join('\n');
    for (const want of [
      /epochs must be a positive integer, got 0/,
      /batchSize must be a positive integer, got 2.5/,
      /learningRate must be a number > 0/,
      /trainFraction must be a fraction in \(0, 1\]/,
      /hiddenDropout must be a probability/,
      /recomputeLayers must be true or false, got "yes"/,
      /unknown field lr/,
      /temperature must be 1 with softForm 'study'/,
      /distill.schedule must be one of/,
      /phaseLength needs exactly one/,
      /distill.layerMap must be one of/,
    ]) {
      expect(text).toMatch(want);
    }
  });

  it('checks that a schedule has something to train', () => {
    expect(() => resolveStageConfig('distill', { distill: { schedule: 'layerwise', weights: { hidden: 0, attn: 0 } } })).toThrow(
      /'layerwise' needs weights.hidden or weights.attn > 0/,
    );
    expect(() => resolveStageConfig('distill', { distill: { schedule: 'logits-only', weights: { hard: 0, soft: 0 } } })).toThrow(/'logits-only' needs/);
    expect(() => resolveStageConfig('teacher', null)).toThrow(/must be an object/);
  });
});
