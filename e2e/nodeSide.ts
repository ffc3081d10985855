// The Node side of the browser suite: input files it writes to a temp folder (a DRCD slice, small valid and
// malformed SQuAD files) and the check that regenerates, in Node, the questions of a model the lab exported.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseDrcd, toQgItems } from '../src/core/data/drcd';
import { DEFAULT_SQG_LIMITS, type SqgLimits } from '../src/core/data/sqgExamples';
import { evaluate } from '../src/core/experiment/evaluate';
import type { RecipeDataOptions, RecipeEvalOptions } from '../src/core/experiment/recipe';
import { loadHfModel } from '../src/core/model/hfFolder';
import { BertTokenizer } from '../src/core/tokenizer/bertTokenizer';
import { labSplit } from '../src/core/data/sampleDataset';
import { sharedPath } from '../src/testing/sharedDir';
import { assert } from './suite';

/** In ../shared beside the repo, or QGLAB_SHARED=DIR (src/testing/sharedDir.ts). */
export const DRCD = sharedPath('drcd/DRCD_dev.json');
export const VOCAB = sharedPath('vocab/bert-base-chinese-vocab.txt');
export const HF_TINY = sharedPath('fixtures/hf-bert-tiny');

interface Qa { id: string; question: string; answers: { text: string; answer_start: number }[] }
interface Para { context: string; qas: Qa[] }
interface Art { title: string; paragraphs: Para[] }

/**
 * A slice of DRCD_dev (written to a temp file, never into the repo): short questions with short answers, each
 * context cut to a window around its answer so every sequence fits 64 tokens.
 */
export function writeDrcdSlice(dir: string, n = 24): { file: string; questions: number } {
  const ds = JSON.parse(readFileSync(DRCD, 'utf8')) as { version: string; data: Art[] };
  const articles: Art[] = [];
  let count = 0;
  outer: for (const art of ds.data) {
    const paragraphs: Para[] = [];
    for (const p of art.paragraphs) {
      for (const qa of p.qas) {
        const a = qa.answers[0];
        if (!a || a.text.length > 8 || qa.question.length > 18 || qa.question.length < 6) continue;
        if (p.context.slice(a.answer_start, a.answer_start + a.text.length) !== a.text) continue;
        const start = Math.max(0, a.answer_start - 14);
        const end = Math.min(p.context.length, a.answer_start + a.text.length + 14);
        paragraphs.push({
          context: p.context.slice(start, end),
          qas: [{ id: qa.id, question: qa.question, answers: [{ text: a.text, answer_start: a.answer_start - start }] }],
        });
        if (++count >= n) {
          articles.push({ title: art.title, paragraphs });
          break outer;
        }
        break; // one question per paragraph keeps the slice varied
      }
    }
    if (paragraphs.length) articles.push({ title: art.title, paragraphs });
  }
  const file = path.join(dir, 'drcd_dev_slice.json');
  writeFileSync(file, JSON.stringify({ version: ds.version, data: articles }));
  return { file, questions: count };
}

/** Tensor names of a safetensors file (header only). */
export function safetensorsNames(bytes: Uint8Array): string[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  return Object.keys(header).filter((k) => k !== '__metadata__');
}

/**
 * Regenerates, in Node on TF.js's 'cpu' backend, the questions the lab generated for an exported node: the zip's
 * model.safetensors + config.json (loadHfModel) and vocab.txt, the lab's test split of the uploaded file, and the
 * recipe options the node ran with (recorded in the zip's qg_distill_lab.json) — through the engine's own evaluate()
 * (prediction contexts, beam search), as the runner calls it.
 */
export async function regenerateInNode(files: Record<string, Uint8Array>, datasetFile: string) {
  const text = (suffix: string) => {
    const name = Object.keys(files).find((n) => n.endsWith(suffix));
    if (!name) throw new Error(`zip lacks ${suffix}`);
    return new TextDecoder().decode(files[name]);
  };
  const st = Object.keys(files).find((n) => n.endsWith('/model.safetensors'))!;
  const meta = JSON.parse(text('/qg_distill_lab.json')) as { recipe?: { data?: RecipeDataOptions; eval?: RecipeEvalOptions } };
  assert(meta.recipe, 'qg_distill_lab.json does not record the recipe options the node ran with');
  // the runner's limits: the defaults overridden by recipe.data's sequence limits (runner.ts)
  const { policy: _policy, maxTrainItems: _max, ...limitOverrides } = meta.recipe.data ?? {};
  const limits: SqgLimits = { ...DEFAULT_SQG_LIMITS, ...limitOverrides };
  await tf.setBackend('cpu');
  await tf.ready();
  const tok = BertTokenizer.fromVocab(text('/vocab.txt'));
  const model = loadHfModel({ configJson: text('/config.json'), safetensors: files[st] });
  try {
    const { test } = labSplit(toQgItems(parseDrcd(readFileSync(datasetFile, 'utf8'), path.basename(datasetFile))));
    return await evaluate(model, tok, test, { ...meta.recipe.eval, limits });
  } finally {
    model.dispose();
  }
}


/** A valid SQuAD-format file of `n` made-up paragraphs (no ../shared needed). */
export function writeSmallSquad(dir: string, n = 6): string {
  const places = ['台北', '台中', '高雄', '花蓮', '台南', '嘉義', '新竹', '宜蘭'];
  const paragraphs = Array.from({ length: n }, (_, i) => {
    const a = places[i % places.length];
    const context = `${a}是台灣的一個城市，有很多人住在${a}。`;
    return { context, qas: [{ id: `s${i}`, question: `哪一個城市有很多人住？${i}`, answers: [{ text: a, answer_start: 0 }] }] };
  });
  const file = path.join(dir, 'small_valid.json');
  writeFileSync(file, JSON.stringify({ version: '1.3', data: [{ title: 'small', paragraphs }] }));
  return file;
}

/** A SQuAD file whose one answer has answer_start "zero": the error must name data[0].paragraphs[0].qas[0].answers[0]. */
export function writeMalformed(dir: string): string {
  const bad = path.join(dir, 'broken.json');
  writeFileSync(
    bad,
    JSON.stringify({ version: '1.3', data: [{ title: 'x', paragraphs: [{ context: '台北是首都', qas: [{ id: 'q1', question: '首都是哪裡？', answers: [{ text: '台北', answer_start: 'zero' }] }] }] }] }),
  );
  return bad;
}
