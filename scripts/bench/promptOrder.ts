// Benchmark of the batch order of generation on real prompts: DRCD dev questions in file order, tokenized with
// bert-base-chinese's vocabulary and cut as the study's prediction code does; batch 32, items started longest prompt
// first (the decoder's default) vs in file order. Same questions either way; only the padding differs.
// Needs ../shared (skipped when absent). Run directly: `npx tsx scripts/bench/promptOrder.ts [backend]`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { BenchRow } from './types';
import { parseDrcd, toQgItems } from '../../src/core/data/drcd';
import { predictionContext } from '../../src/core/data/sqgExamples';
import { generateQuestions } from '../../src/core/generation/generateQuestions';
import { packPrompts } from '../../src/core/generation/nextTokenScorer';
import { promptFor } from '../../src/core/data/sqgExamples';
import { bertPresets } from '../../src/core/model/bertConfig';
import { BertForMaskedLM } from '../../src/core/model/bertForMaskedLM';
import { BertTokenizer } from '../../src/core/tokenizer/bertTokenizer';
import { runIfMain } from './standalone';

const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');

export async function benchPromptOrder(opts: { small?: boolean } = {}): Promise<BenchRow[]> {
  const drcd = resolve(shared, 'drcd/DRCD_dev.json');
  const vocab = resolve(shared, 'vocab/bert-base-chinese-vocab.txt');
  if (!existsSync(drcd) || !existsSync(vocab)) return [{ name: `prompt order: ${drcd} or ${vocab} missing, skipped`, value: NaN, unit: '' }];
  await tf.ready();
  const backend = tf.getBackend();
  const n = opts.small ? 32 : 96;
  const maxLen = opts.small ? 3 : 6;
  const tok = BertTokenizer.fromVocab(readFileSync(vocab, 'utf8'));
  const items = toQgItems(parseDrcd(readFileSync(drcd, 'utf8'), 'DRCD_dev.json')).slice(0, n).map((q) => predictionContext(tok, q));
  const model = BertForMaskedLM.create(bertPresets.tiny(tok.vocabSize, 512), 1);
  // padded tokens per first-step batch, as the decoder would pack them
  const padding = (order: number[]) => {
    let padded = 0;
    let real = 0;
    for (let i = 0; i < order.length; i += 32) {
      const b = packPrompts(order.slice(i, i + 32).map((j) => promptFor(tok, items[j]!.contextIds, items[j]!.answerIds, [])));
      padded += b.batch * b.seqLen;
      real += b.attentionMask.reduce((s, v) => s + v, 0);
    }
    return padded / real;
  };
  const fileOrder = [...items.keys()];
  const lengths = items.map((it) => it.contextIds.length + it.answerIds.length);
  const longest = [...fileOrder].sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  try {
    const time = async (longestFirst: boolean) => {
      const t0 = performance.now();
      await generateQuestions(model, tok, items, { strategy: 'greedy', maxLen, batchSize: 32, longestFirst });
      return (performance.now() - t0) / 1000;
    };
    await generateQuestions(model, tok, items.slice(0, 2), { strategy: 'greedy', maxLen: 1, batchSize: 2 }); // warm-up
    const inFile = await time(false);
    const sorted = await time(true);
    const tag = `${backend} generation on ${n} DRCD prompts (tiny model, vocab ${tok.vocabSize}, batch 32, maxLen ${maxLen})`;
    return [
      { name: `${tag} padded/real tokens, file order`, value: +padding(fileOrder).toFixed(3), unit: 'x' },
      { name: `${tag} padded/real tokens, longest first`, value: +padding(longest).toFixed(3), unit: 'x' },
      { name: `${tag} seconds, file order`, value: +inFile.toFixed(2), unit: 's' },
      { name: `${tag} seconds, longest first`, value: +sorted.toFixed(2), unit: 's' },
      { name: `${tag} speed-up of longest first`, value: +(inFile / sorted).toFixed(2), unit: 'x' },
    ];
  } finally {
    model.dispose();
  }
}

await runIfMain(import.meta.url, benchPromptOrder);
