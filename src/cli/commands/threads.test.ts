// `qglab eval` and `qglab generate --data` with --threads 2 (a worker pool) give what --threads 1 (this thread) gives.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../args';
import { useBackend } from '../../core/kernels/useBackend';
import { bertPresets } from '../../core/model/bertConfig';
import { BertForMaskedLM } from '../../core/model/bertForMaskedLM';
import { buildVocabFromTexts } from '../../core/tokenizer/bertTokenizer';
import { saveHfModelToDir } from '../../node/hfFolderFs';
import { run as runEval } from './eval';
import { run as runGenerate } from './generate';
import { cliJson } from '../testing/cliJson';

const contexts = ['台北是台灣的首都，也是最大的城市', '玉山是台灣最高的山', '日月潭位於南投，是著名的湖泊', '淡水河流經台北'];
const qas = contexts.flatMap((context, c) =>
  [0, 1, 2].map((k) => {
    const answer = context.slice(k * 2, k * 2 + 2);
    return { id: `p${c}q${k}`, question: `${answer}是什麼`, answers: [{ text: answer, answer_start: k * 2 }] };
  }),
);
const drcd = { version: 't', data: [{ title: 't', paragraphs: contexts.map((context, c) => ({ context, qas: qas.slice(c * 3, c * 3 + 3) })) }] };
const dir = mkdtempSync(path.join(tmpdir(), 'qglab-threads-'));
const modelDir = path.join(dir, 'model');
const dataPath = path.join(dir, 'test.json');

beforeAll(async () => {
  await useBackend('wasm');
  const vocab = buildVocabFromTexts([...contexts, '是什麼']).join('\n');
  const model = BertForMaskedLM.create(bertPresets.tiny(vocab.split('\n').length, 64), 11);
  await saveHfModelToDir(modelDir, model, vocab);
  model.dispose();
  writeFileSync(dataPath, JSON.stringify(drcd));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = cliJson;
const liveThreads = () => (process.report.getReport() as { workers: unknown[] }).workers.length;
// wall times differ between runs; what was timed does not (3 runs of the first min(n, batch size) questions)
const timing = ({ genTimeMs, questionsPerSec, threads, genMsPerQuestion, genTiming, ...rest }: Record<string, any>) => ({
  ...rest,
  timed: { runs: genTiming.runs.length, questions: genTiming.questions, medianIsPerQuestion: genMsPerQuestion === genTiming.median },
});

describe('--threads', () => {
  it('qglab eval: the same metrics and questions on 2 threads as on 1', async () => {
    const common = ['--model', modelDir, '--data', dataPath, '--beam', '3', '--backend', 'wasm', '--batch-size', '4'];
    const q1 = path.join(dir, 'q1.json');
    const q2 = path.join(dir, 'q2.json');
    const one = await cli(runEval, [...common, '--threads', '1', '--questions', q1]);
    const two = await cli(runEval, [...common, '--threads', '2', '--questions', q2]);
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(one.n).toBe(12);
    expect(timing(two)).toEqual(timing(one));
    expect(readFileSync(q2, 'utf8')).toBe(readFileSync(q1, 'utf8'));
    expect(liveThreads()).toBe(0);
  });

  it('qglab generate --data: the same questions on 2 threads as on 1, in file order; never more threads than items', async () => {
    const common = ['--model', modelDir, '--data', dataPath, '--beam', '2', '--limit', '7', '--backend', 'wasm'];
    const one = await cli(runGenerate, [...common, '--threads', '1']);
    const two = await cli(runGenerate, [...common, '--threads', '2']);
    expect(two.threads).toBe(2);
    expect(one.questions.map((q: { id: string }) => q.id)).toEqual(qas.slice(0, 7).map((q) => q.id));
    expect(two.questions).toEqual(one.questions);
    expect(two.questions.some((q: { question: string }) => q.question.length > 0)).toBe(true);
    const single = await cli(runGenerate, [...common, '--limit', '1', '--threads', '4']);
    expect(single.threads).toBe(1);
    expect(single.questions).toEqual(one.questions.slice(0, 1));
    expect(liveThreads()).toBe(0);
  });

  it('--threads must be a positive integer', async () => {
    await expect(runEval(parseArgs(['--model', modelDir, '--data', dataPath, '--threads', '0']))).rejects.toThrow('--threads must be a positive integer');
    await expect(runGenerate(parseArgs(['--model', modelDir, '--data', dataPath, '--threads', 'x']))).rejects.toThrow('--threads must be an integer');
  });
});
