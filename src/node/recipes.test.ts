// The example recipes in recipes/ must stay valid as the stage configs evolve.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { orderNodes, validateRecipe } from '../core/experiment/recipe';
import { stageConfigOf } from '../core/experiment/trainingOptions';

const dir = path.resolve(__dirname, '..', '..', 'recipes');

describe('recipes/*.json', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('has the study and the tiny recipes', () => {
    expect(files).toEqual(expect.arrayContaining(['study.json', 'study-tiny.json', 'alternatives-tiny.json']));
  });
  for (const f of files) {
    it(`${f} is valid`, () => {
      const r = validateRecipe(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      expect(orderNodes(r)[0]!.stage).toBe('teacher');
    });
  }
  it('study.json has the study hyper-parameters', () => {
    const r = validateRecipe(JSON.parse(readFileSync(path.join(dir, 'study.json'), 'utf8')));
    const by = Object.fromEntries(r.nodes.map((n) => [n.id, n]));
    expect(by.teacher!.config).toMatchObject({ init: 'pretrained' });
    expect(by.student!.config).toEqual({ strategy: 'drop-top', k: 6 });
    const d = stageConfigOf('distill', by.distill!.config);
    expect(d).toMatchObject({ learningRate: 5e-5, batchSize: 8, epochs: 5, trainFraction: 0.5, hiddenDropout: 0.3, attentionDropout: 0.3 });
    expect(d.distill).toMatchObject({ schedule: 'all', layerMap: 'study' });
    const s = stageConfigOf('selftrain', by.selftrain!.config);
    expect(s).toMatchObject({ learningRate: 5e-5, batchSize: 8, epochs: 5, trainFraction: 1, hiddenDropout: 0.3 });
    expect(by.selftrain!.parent).toBe('distill');
  });
});
