// The inputs of the full-size rehearsal (e2e/scale.ts), written to a temp folder, never into the repo:
// - a bert-base-chinese-shaped BertForMaskedLM with random weights (config, 409 MB model.safetensors, the real vocab);
// - a ~28,000-question DRCD-format file: DRCD dev repeated with new ids, headed by one item whose BERT-SQG examples
//   are exactly 8 (a 7-token question) of up to 512 tokens, so `maxTrainItems: 1` gives one step of batch 8 at 512;
// - the rehearsal's recipe (teacher 1 step → drop the top 6 layers → distill 1 step, no evaluation).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDrcd, toQgItems, type QgItem } from '../src/core/data/drcd';
import { labSplit } from '../src/core/data/sampleDataset';
import { prepareExampleSet } from '../src/core/data/sqgExampleStore';
import { DEFAULT_SQG_LIMITS } from '../src/core/data/sqgExamples';
import { bertPresets, configToHf, type BertConfig } from '../src/core/model/bertConfig';
import { parameterSpecs } from '../src/core/model/parameterSpecs';
import { writeSafetensors } from '../src/core/model/safetensors';
import { BertTokenizer } from '../src/core/tokenizer/bertTokenizer';

/** bert-base-chinese's config.json values (the presets' defaults: GELU, dropout 0.1, 512 positions, eps 1e-12). */
export const BERT_BASE_CHINESE: BertConfig = { ...bertPresets.small(21128), hiddenSize: 768, numHiddenLayers: 12, numAttentionHeads: 12, intermediateSize: 3072 };

/** Writes config.json, vocab.txt and a seeded random model.safetensors (N(0, 0.02) weights, unit norms, zero biases). */
export function writeBertBaseFolder(dir: string, vocabFile: string, seed = 1, config: BertConfig = BERT_BASE_CHINESE): { dir: string; bytes: number; parameters: number } {
  mkdirSync(dir, { recursive: true });
  const rand = normal(seed);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  let parameters = 0;
  for (const spec of parameterSpecs(config)) {
    const n = spec.hfShape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (spec.kind === 'norm') data.fill(1);
    else if (spec.kind !== 'bias') for (let i = 0; i < n; i++) data[i] = 0.02 * rand();
    tensors.set(spec.name, { shape: spec.hfShape, data });
    parameters += n;
  }
  const st = writeSafetensors(tensors, { format: 'pt' });
  writeFileSync(path.join(dir, 'model.safetensors'), st);
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(configToHf(config), null, 2));
  copyFileSync(vocabFile, path.join(dir, 'vocab.txt'));
  return { dir, bytes: st.byteLength, parameters };
}

/** A seeded standard normal generator (xorshift32 + Box-Muller): 102 M draws in a few seconds. */
function normal(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

interface Qa { id: string; question: string; answers: { text: string; answer_start: number }[] }
interface Para { context: string; qas: Qa[] }
interface Art { title: string; paragraphs: Para[] }

/**
 * The rehearsal's data file: an item cut so that its 8 BERT-SQG examples reach exactly `maxSeqLen` tokens (copied 4
 * times, so the seeded test split leaves at least one first in the training split), then DRCD dev `repeats` times with
 * new ids. Returns the file, its question count and the longest row of the first training item's examples.
 */
export function writeScaleDataset(dir: string, drcdFile: string, vocabText: string, repeats = 8): { file: string; questions: number; trainItems: number; firstRowTokens: number; firstExamples: number } {
  const ds = JSON.parse(readFileSync(drcdFile, 'utf8')) as { version: string; data: Art[] };
  const tok = BertTokenizer.fromVocab(vocabText);
  const lead = leadItem(ds.data, tok);
  const copies: Para[] = [0, 1, 2, 3].map((k) => ({
    context: lead.context,
    qas: [{ id: `scale-lead-${k}`, question: lead.question, answers: [{ text: lead.answer, answer_start: lead.answerStart }] }],
  }));
  const data: Art[] = [{ title: 'scale lead', paragraphs: copies }];
  let questions = copies.length;
  for (let r = 0; r < repeats; r++) {
    for (const art of ds.data) {
      const paragraphs = art.paragraphs.map((p) => ({ context: p.context, qas: p.qas.map((q) => ({ ...q, id: `r${r}-${q.id}` })) }));
      questions += paragraphs.reduce((a, p) => a + p.qas.length, 0);
      data.push({ title: art.title, paragraphs });
    }
  }
  const file = path.join(dir, 'drcd_28k.json');
  const text = JSON.stringify({ version: ds.version, data });
  writeFileSync(file, text);
  // check, through the lab's own split and example code, what one training item gives
  const { train } = labSplit(toQgItems(parseDrcd(text, 'drcd_28k.json')));
  if (!train[0]!.id.startsWith('scale-lead-')) throw new Error(`the first training item is ${train[0]!.id}, not a lead copy`);
  const { set } = prepareExampleSet(tok, train.slice(0, 1), DEFAULT_SQG_LIMITS, 'skip');
  let longest = 0;
  for (let i = 0; i < set.size; i++) longest = Math.max(longest, set.example(i).inputIds.length);
  return { file, questions, trainItems: train.length, firstRowTokens: longest, firstExamples: set.size };
}

/** A DRCD item with a 7-token question whose context is cut (keeping the answer) so its longest example is 512 tokens. */
function leadItem(arts: Art[], tok: BertTokenizer): QgItem {
  const max = DEFAULT_SQG_LIMITS.maxSeqLen;
  for (const art of arts)
    for (const p of art.paragraphs)
      for (const qa of p.qas) {
        const a = qa.answers[0];
        if (!a || tok.tokenize(qa.question).length !== 7 || tok.tokenize(a.text).length > 10) continue;
        const ctx = tok.tokenize(p.context).length;
        if (ctx < max) continue;
        // longest example: [CLS] context [SEP] answer [SEP] question [MASK]
        const budget = max - 4 - tok.tokenize(a.text).length - 7;
        for (let end = Math.min(p.context.length, budget + 40); end > a.answer_start + a.text.length; end--) {
          const context = p.context.slice(0, end);
          const n = tok.tokenize(context).length;
          if (n === budget) return { id: qa.id, context, answer: a.text, answerStart: a.answer_start, question: qa.question };
          if (n < budget) break;
        }
      }
  throw new Error('no DRCD item fits the rehearsal lead (a 7-token question, a context of 512+ tokens)');
}

/** The rehearsal's recipe: the study's limits and skip rule, one step of batch 8 per trained stage, no evaluation. */
export function scaleRecipe(): Record<string, unknown> {
  const step = { epochs: 1, batchSize: 8, learningRate: 5e-5, recomputeLayers: true, checkpointEverySteps: 1, seed: 1 };
  return {
    version: 1,
    name: 'full-size rehearsal: bert-base teacher step, 12→6 distill step',
    nodes: [
      { id: 'teacher', parent: null, stage: 'teacher', config: { init: 'pretrained', ...step, microBatchSize: 2 } },
      { id: 'student', parent: 'teacher', stage: 'student', config: { strategy: 'drop-top', k: 6 } },
      {
        id: 'distill',
        parent: 'student',
        stage: 'distill',
        config: { ...step, microBatchSize: 1, trainFraction: 1, hiddenDropout: 0.3, attentionDropout: 0.3, distill: { schedule: 'all', layerMap: 'study' } },
      },
    ],
    // no validation hold-out: it would draw 16 training items (possibly the lead item whose examples reach 512
    // tokens) and, after a one-step stage, cost a pass over ~200 examples of up to 512 tokens — many steps' time;
    // the rehearsal measures steps, checkpoints, resume and export
    data: { maxTrainItems: 1, validationItems: 0 },
    eval: { limit: 0, samples: 0, sampleEverySteps: 0 },
  };
}
