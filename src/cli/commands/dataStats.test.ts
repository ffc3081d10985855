import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../args';
import { buildVocabFromTexts } from '../../core/tokenizer/bertTokenizer';
import { run } from './dataStats';
import { cliJson } from '../testing/cliJson';

// A small DRCD file: paragraph 1 has three questions (one with a 7-token answer), paragraph 2 a long context.
const p1 = '台北市位於台灣北部。';
const p2 = '高雄市位於台灣南部，' + '是一個港口城市'.repeat(8) + '。';
const file = {
  version: 't',
  data: [
    {
      title: 'x',
      paragraphs: [
        {
          context: p1,
          qas: [
            { id: 'q1', question: '台北市位於哪裡？', answers: [{ text: '台灣北部', answer_start: 5 }] },
            { id: 'q2', question: '哪裡？', answers: [{ text: '台灣北部', answer_start: 5 }] },
            { id: 'q3', question: '什麼位於台灣北部？', answers: [{ text: '台北市位於台灣', answer_start: 0 }] },
          ],
        },
        { context: p2, qas: [{ id: 'q4', question: '高雄市在哪？', answers: [{ text: '台灣南部', answer_start: 5 }] }] },
      ],
    },
  ],
};
const dir = mkdtempSync(path.join(tmpdir(), 'qglab-data-stats-'));
const dataPath = path.join(dir, 'data.json');
const vocabPath = path.join(dir, 'vocab.txt');
writeFileSync(dataPath, JSON.stringify(file));
writeFileSync(vocabPath, buildVocabFromTexts([p1, p2, '台北市位於哪裡？什麼高雄市在哪？']).join('\n'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dataStats = (argv: string[]) => cliJson(run, argv);

describe('qglab data-stats', () => {
  it('without --vocab: the file statistics, as before', async () => {
    const s = await dataStats(['--data', dataPath]);
    expect(s).toMatchObject({ articles: 1, paragraphs: 2, questions: 4, answers: 4 });
    expect(s.sqg).toBeUndefined();
  });

  it('with --vocab: items kept, skipped by reason, windowed, and examples under the limits', async () => {
    // p2 has 67 tokens; with maxSeqLen 64 its budget is 64 − 4 − 6 − 4 = 50
    const common = ['--data', dataPath, '--vocab', vocabPath, '--max-seq-len', '64', '--max-answer-len', '6'];
    const skip = await dataStats(common);
    expect(skip).toMatchObject({ questions: 4 });
    expect(skip.sqg).toEqual({
      limits: { maxSeqLen: 64, maxAnswerLen: 6, maxQuestionLen: 42 },
      policy: 'skip',
      items: 4,
      kept: 2,
      skipped: { total: 2, byReason: { 'answer-too-long': 1, 'question-too-long': 0, 'context-too-long': 1, 'empty-answer': 0, 'empty-question': 0 } },
      windowed: { total: 0, byReason: { 'context-too-long': 0 } },
      examples: 9 + 4,
    });
    // as a test set: room for context and answer 64 − 42 − 4 = 18 tokens; p2 (67 tokens) is cut to 14, its answer at
    // tokens 5..9 stays in the head, and a window of 14 centred on it starts at 0 too: the two cuts give one prompt
    const cut = (mode: string) => ({ mode, prompts: 4, cut: 1, answerDropped: 0, answerPartlyCut: 0 });
    expect(skip.prompts).toEqual({ head: cut('head'), 'answer-window': cut('answer-window'), contextsDiffer: 0, normalizedReferences: 0 });
    const win = await dataStats([...common, '--policy', 'window', '--max-question-len=7']);
    expect(win.sqg).toMatchObject({
      limits: { maxSeqLen: 64, maxAnswerLen: 6, maxQuestionLen: 7 },
      policy: 'window',
      kept: 2,
      skipped: { total: 2, byReason: { 'answer-too-long': 1, 'question-too-long': 1, 'context-too-long': 0 } },
      windowed: { total: 1, byReason: { 'context-too-long': 1 } },
      examples: 4 + 7,
    });
    // the defaults are the study's (512 / 15 / 42): everything fits
    expect((await dataStats(['--data', dataPath, '--vocab', vocabPath])).sqg).toMatchObject({ kept: 4, examples: 9 + 4 + 10 + 7 });
  });

  it('bad flag values get clear errors', async () => {
    const v = ['--data', dataPath, '--vocab', vocabPath];
    await expect(run(parseArgs([...v, '--max-seq-len', 'x']))).rejects.toThrow("option --max-seq-len must be an integer, got 'x'");
    await expect(run(parseArgs([...v, '--max-seq-len', '4']))).rejects.toThrow('option --max-seq-len must be an integer >= 8, got 4');
    await expect(run(parseArgs([...v, '--max-answer-len', '0']))).rejects.toThrow('--max-answer-len must be an integer >= 1');
    await expect(run(parseArgs([...v, '--policy', 'crop']))).rejects.toThrow("option --policy must be 'skip' or 'window', got 'crop'");
    await expect(run(parseArgs([...v, '--policy']))).rejects.toThrow('option --policy needs a value');
    await expect(run(parseArgs(['--data', dataPath, '--policy', 'window']))).rejects.toThrow('--policy needs --vocab');
    await expect(run(parseArgs(['--data', dataPath, '--vocab', path.join(dir, 'none.txt')]))).rejects.toThrow(/cannot read vocabulary .*none\.txt: ENOENT/);
    await expect(run(parseArgs(['--data', path.join(dir, 'none.json')]))).rejects.toThrow(/cannot read data file .*none\.json: ENOENT/);
  });
});
