// CI-time check on real data: a tiny from-scratch study tree (teacher → drop-top student → distill → self-train)
// trained on the first 30 questions of ../shared/drcd/DRCD_dev.json and evaluated on the next 10 (sized
// for ~1 minute on the 2-core cpu backend), then the
// study's table is printed. It checks that the whole pipeline runs on DRCD and produces sane numbers, not quality.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDrcd, toQgItems } from '../data/drcd';
import { BertTokenizer, buildVocabFromTexts } from '../tokenizer/bertTokenizer';
import type { LabEvent } from './events';
import type { Recipe } from './recipe';
import { ExperimentRunner } from './runner';
import { MemoryStorage } from './storage';
import { summaryTable } from './summary';
import { withShared } from '../../testing/withShared';

const shared = withShared('drcdSlice.test', 'drcd/DRCD_dev.json');
const drcdPath = shared.path('drcd/DRCD_dev.json');

const TRAIN = { epochs: 1, batchSize: 16, learningRate: 2e-3, seed: 42 };
const recipe: Recipe = {
  version: 1,
  name: 'DRCD slice (tiny)',
  data: { maxSeqLen: 48, policy: 'window' },
  eval: { beamSize: 3, batchSize: 10, samples: 3 },
  nodes: [
    { id: 'teacher', parent: null, stage: 'teacher', config: { init: { preset: 'tiny', hidden: 32, intermediate: 64 }, ...TRAIN } },
    { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 1 } },
    {
      id: 'distill',
      parent: 'student',
      stage: 'distill',
      config: { ...TRAIN, trainFraction: 0.5, hiddenDropout: 0.3, attentionDropout: 0.3, distill: { schedule: 'all', layerMap: 'study' } },
    },
    { id: 'selftrain', parent: 'distill', stage: 'selftrain', config: { ...TRAIN, hiddenDropout: 0.3, attentionDropout: 0.3 } },
  ],
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('DRCD slice', () => {
  shared.it('trains, distils and evaluates a tiny tree on 30 + 10 DRCD questions', { timeout: 240_000 }, async () => {
    const items = toQgItems(parseDrcd(readFileSync(drcdPath, 'utf8'), 'DRCD_dev.json'));
    const train = items.slice(0, 30);
    const test = items.slice(30, 40);
    const tok = BertTokenizer.fromVocab(buildVocabFromTexts([...train, ...test].flatMap((i) => [i.context, i.answer, i.question])).join('\n'));
    const events: LabEvent[] = [];
    const t0 = Date.now();
    const summary = await new ExperimentRunner({ storage: new MemoryStorage(), train, test, tokenizer: tok, onEvent: (e) => events.push(e) }).run(recipe);
    const seconds = (Date.now() - t0) / 1000;

    expect(summary.nodes.map((n) => n.status)).toEqual(['done', 'done', 'done', 'done']);
    const teacherSteps = events.filter((e) => e.type === 'step' && e.nodeId === 'teacher') as Extract<LabEvent, { type: 'step' }>[];
    expect(teacherSteps.length).toBeGreaterThan(0);
    expect(teacherSteps.at(-1)!.loss).toBeLessThan(teacherSteps[0]!.loss); // it learns something
    for (const n of summary.nodes) {
      expect(n.eval!.n).toBe(10);
      for (const v of Object.values(n.eval!.metrics)) expect(v).toBeGreaterThanOrEqual(0);
    }
    const t = summary.nodes[0]!.eval!;
    const s = summary.nodes[1]!.eval!;
    expect(s.params).toBeLessThan(t.params);

    const table = summaryTable(summary.nodes);
    console.log(`\nDRCD slice: 30 train / 10 test questions, ${seconds.toFixed(0)} s\n${table}\n`);
    for (const e of events) if (e.type === 'samples' && e.nodeId === 'selftrain') console.log(e.samples);
    expect(table).toContain('BLEU-4');
  });
});
