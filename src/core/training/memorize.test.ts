// Proof that the engine learns: a tiny teacher trained from scratch on 20 sample questions reproduces them
// (greedy decoding, corpus BLEU-4 > 0.9 on those same questions). Runs on WASM (the fast Node backend).
import * as tf from '@tensorflow/tfjs';
import { arrayExampleSet } from '../data/sqgExampleSet';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleItems } from '../data/sampleDataset';
import { prepareExamples } from '../data/sqgExamples';
import { generateQuestions } from '../generation/generateQuestions';
import { scoreQuestions } from '../metrics/score';
import { bertPresets } from '../model/bertConfig';
import { BertForMaskedLM } from '../model/bertForMaskedLM';
import { useBackend } from '../kernels/useBackend';
import { BertTokenizer, buildVocabFromTexts } from '../tokenizer/bertTokenizer';
import { resolveStageConfig } from './stageConfig';
import { trainStage } from './trainStage';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('a tiny teacher trained from scratch', () => {
  it('reproduces the 20 questions it was trained on (greedy BLEU-4 > 0.9)', async () => {
    // one question per paragraph, so the context tells the model which question is meant
    const seen = new Set<string>();
    const items = sampleItems().filter((it) => !seen.has(it.context) && seen.add(it.context)).slice(0, 20);
    const tok = BertTokenizer.fromVocab(buildVocabFromTexts(items.flatMap((it) => [it.context, it.answer, it.question])).join('\n'));
    const { examples, encoded } = prepareExamples(tok, items, { maxSeqLen: 96, maxAnswerLen: 15, maxQuestionLen: 42 }, 'window');
    expect(encoded).toHaveLength(20);

    const model = BertForMaskedLM.create(bertPresets.tiny(tok.vocabSize, 128), 7);
    try {
      const config = resolveStageConfig('teacher', {
        epochs: 60, batchSize: 16, learningRate: 3e-3, warmupRatio: 0.1, hiddenDropout: 0, attentionDropout: 0, seed: 1,
      });
      const losses: number[] = [];
      await trainStage({ kind: 'teacher', student: model, examples: arrayExampleSet(examples), config, onStep: (e) => losses.push(e.loss) });
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 10);

      const generated = await generateQuestions(model, tok, encoded, { strategy: 'greedy' });
      const hyps = Object.fromEntries(generated.map((g) => [g.id, g.text]));
      const refs = Object.fromEntries(items.map((it) => [it.id, [tok.decode(tok.encodeText(it.question))]]));
      const scores = scoreQuestions(hyps, refs);
      if (scores.Bleu_4 <= 0.9) console.log(losses.filter((_, i) => i % 10 === 0), generated.slice(0, 5), Object.values(refs).slice(0, 5), scores);
      expect(scores.Bleu_4).toBeGreaterThan(0.9);
    } finally {
      model.dispose();
    }
  });
});
