// Benchmark of batched question generation (src/core/generation) on the current TF.js backend: greedy decoding with
// a tiny random BertForMaskedLM, 32 items per scorer call vs one item at a time
// (run directly: `npx tsx scripts/bench/generation.ts [backend] [--small]`, default wasm).
import * as tf from '@tensorflow/tfjs';
import type { BenchRow } from './types';
import type { EncodedItem } from '../../src/core/data/sqgExamples';
import { generateQuestions } from '../../src/core/generation/generateQuestions';
import { bertPresets } from '../../src/core/model/bertConfig';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import { BertTokenizer, SPECIAL_ORDER, SPECIAL_TOKENS } from '../../src/core/tokenizer/bertTokenizer';
import { runIfMain } from './standalone';

export async function benchGeneration(opts: { small?: boolean } = {}): Promise<BenchRow[]> {
  await tf.ready();
  const backend = tf.getBackend();
  // bert-base-chinese's vocabulary size (the MLM head is the model's widest matmul), a 2-layer hidden-64 model
  const vocabChars = opts.small ? 1995 : 21128 - SPECIAL_ORDER.length;
  const [contextLen, maxLen, batchSize, nBatched, nSingle] = opts.small ? [40, 12, 32, 32, 4] : [120, 42, 32, 32, 4];

  const chars = Array.from({ length: vocabChars }, (_, i) => String.fromCodePoint(0x4e00 + i));
  const tok = BertTokenizer.fromVocab([...SPECIAL_ORDER.map((n) => SPECIAL_TOKENS[n]), ...chars].join('\n'));
  const model = BertForMaskedLM.create(bertPresets.tiny(tok.vocabSize, 512), 1);
  let seed = 12345;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  const ids = (n: number) => Array.from({ length: n }, () => SPECIAL_ORDER.length + rand(vocabChars));
  const items: EncodedItem[] = Array.from({ length: nBatched }, (_, i) => ({
    id: `b${i}`,
    contextIds: ids(contextLen - 10 + rand(20)),
    answerIds: ids(2 + rand(4)),
    questionIds: [],
  }));

  const run = async (list: EncodedItem[], bs: number, len = maxLen) => {
    const t0 = performance.now();
    const out = await generateQuestions(model, tok, list, { strategy: 'greedy', maxLen: len, batchSize: bs });
    return { seconds: (performance.now() - t0) / 1000, tokens: out.reduce((s, q) => s + q.ids.length, 0) };
  };
  try {
    await run(items.slice(0, 2), 2, 2); // warm-up: kernels, shapes
    const batched = await run(items, batchSize);
    const single = { seconds: 0, tokens: 0 };
    for (const it of items.slice(0, nSingle)) {
      const r = await run([it], 1);
      single.seconds += r.seconds;
      single.tokens += r.tokens;
    }
    const qpsBatched = nBatched / batched.seconds;
    const qpsSingle = nSingle / single.seconds;
    const tag = `${backend} generation greedy (2 layers, hidden 64, vocab ${tok.vocabSize}, maxLen ${maxLen})`;
    return [
      { name: `${tag} batch ${batchSize} questions/s`, value: +qpsBatched.toFixed(2), unit: 'questions/s' },
      { name: `${tag} one-at-a-time questions/s`, value: +qpsSingle.toFixed(2), unit: 'questions/s' },
      { name: `${tag} batch ${batchSize} tokens/s`, value: +(batched.tokens / batched.seconds).toFixed(1), unit: 'tokens/s' },
      { name: `${tag} one-at-a-time tokens/s`, value: +(single.tokens / single.seconds).toFixed(1), unit: 'tokens/s' },
      { name: `${tag} batched / one-at-a-time`, value: +(qpsBatched / qpsSingle).toFixed(2), unit: '×' },
    ];
  } finally {
    model.dispose();
  }
}

await runIfMain(import.meta.url, benchGeneration);
