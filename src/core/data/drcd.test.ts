import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './datasetError';
import { withShared } from '../../testing/withShared';
import { datasetStats, firstFraction, parseDrcd, resolveAnswerStart, toQgItems, validateDrcd } from './drcd';

const shared = withShared('drcd.test', 'drcd/DRCD_dev.json');

function good() {
  return {
    version: '1.3',
    data: [
      {
        title: 't',
        paragraphs: [
          {
            context: '台北市位於台灣北部，人口約二百六十萬。',
            qas: [
              { id: 'a', question: '台北市位於哪裡？', answers: [{ text: '台灣北部', answer_start: 5 }] },
              { id: 'b', question: '台北市人口約多少？', answers: [{ text: '二百六十萬', answer_start: 13 }, { text: '二百', answer_start: 13 }] },
            ],
          },
        ],
      },
    ],
  };
}

function problemsOf(value: unknown): DatasetError {
  try {
    validateDrcd(value, 'test.json');
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('parseDrcd: validation', () => {
  it('accepts a valid file', () => {
    const ds = parseDrcd(JSON.stringify(good()));
    expect(toQgItems(ds)).toEqual([
      { id: 'a', context: '台北市位於台灣北部，人口約二百六十萬。', answer: '台灣北部', answerStart: 5, question: '台北市位於哪裡？' },
      { id: 'b', context: '台北市位於台灣北部，人口約二百六十萬。', answer: '二百六十萬', answerStart: 13, question: '台北市人口約多少？' },
    ]);
  });

  it('reports text that is not JSON with line and column', () => {
    expect(() => parseDrcd('{"data": [\n  {"x": 1,,}\n]}', 'bad.json')).toThrow(/^bad\.json: not JSON: .*line 2 column \d+/);
    expect(() => parseDrcd('   ')).toThrow(/not JSON: the file is empty/);
  });

  it('names the path of a missing or ill-typed field', () => {
    const d = good() as any;
    d.data[0].paragraphs[0].qas[1].answers[0].answer_start = '13';
    expect(problemsOf(d).message).toBe(
      'test.json: data[0].paragraphs[0].qas[1].answers[0].answer_start: expected a number, got string',
    );
    expect(problemsOf({ version: '1' }).problems).toEqual([{ path: 'data', message: 'missing (expected an array)' }]);
    expect(problemsOf([]).problems[0]!.message).toBe('expected an object, got array');
    const e = good() as any;
    delete e.data[0].paragraphs[0].context;
    expect(problemsOf(e).message).toContain('data[0].paragraphs[0].context: missing (expected a string)');
  });

  it('collects every problem: empty question, no answers, bad answer_start, duplicate id', () => {
    const d = good() as any;
    d.data[0].paragraphs[0].qas[0].question = '  ';
    d.data[0].paragraphs[0].qas[1].id = 'a';
    d.data[0].paragraphs[0].qas.push({ id: 'c', question: 'q', answers: [] });
    d.data[0].paragraphs[0].qas.push({ id: 'd', question: 'q', answers: [{ text: '北部', answer_start: -1 }] });
    d.data.push({ title: 2, paragraphs: [null] });
    const err = problemsOf(d);
    expect(err.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'data[0].paragraphs[0].qas[0].question: empty question',
      'data[0].paragraphs[0].qas[1].id: duplicate id "a" (first at data[0].paragraphs[0].qas[0].id)',
      'data[0].paragraphs[0].qas[2].answers: no answers (each question needs at least one)',
      'data[0].paragraphs[0].qas[3].answers[0].answer_start: expected a non-negative integer, got -1',
      'data[1].title: expected a string, got number',
      'data[1].paragraphs[0]: expected an object, got null',
    ]);
    expect(err.message).toMatch(/^test\.json: 6 problems\n  - data\[0\]/);
  });

  it('counts answer_start mismatches and names the first few', () => {
    const d = good() as any;
    const qas = d.data[0].paragraphs[0].qas;
    for (let i = 0; i < 8; i++) qas.push({ id: `m${i}`, question: 'q', answers: [{ text: '台灣北部', answer_start: 4 }] });
    const err = problemsOf(d);
    expect(err.problems).toHaveLength(1);
    const msg = err.problems[0]!.message;
    expect(msg).toMatch(/^answer_start does not point at the answer text in the context for 8 answers: /);
    expect(msg).toContain('data[0].paragraphs[0].qas[2].answers[0] (answer_start 4: context has "於台灣北" there, text is "台灣北部", which occurs at 5)');
    expect(msg).toContain('qas[6].answers[0]');
    expect(msg).not.toContain('qas[7].answers[0]');
    expect(msg.endsWith('; ...')).toBe(true);
  });

  it('stops at a cap of problems and says so', () => {
    const qas = Array.from({ length: 500 }, (_, i) => ({ id: `q${i}`, question: '', answers: [{ text: 'a', answer_start: 0 }] }));
    const err = problemsOf({ data: [{ paragraphs: [{ context: 'a', qas }] }] });
    expect(err.problems).toHaveLength(100);
    expect(err.truncated).toBe(true);
    expect(err.message).toMatch(/^test\.json: 100\+ problems/);
    expect(err.message).toContain('... and 80+ more');
  });

  it('accepts Python (code point) offsets after characters outside the BMP', () => {
    const ctx = '𠀋字在前，答案在後';
    expect(resolveAnswerStart(ctx, '答案', 5)).toBe(6);
    expect(resolveAnswerStart(ctx, '答案', 6)).toBe(6);
    expect(resolveAnswerStart(ctx, '答案', 3)).toBe(-1);
  });
});

shared.describe('DRCD dev set', () => {
  const ds = parseDrcd(readFileSync(shared.path('drcd/DRCD_dev.json'), 'utf8'), 'DRCD_dev.json');

  it('has the published size and stats', () => {
    const s = datasetStats(ds);
    expect(s.questions).toBe(3524);
    expect(s.paragraphs).toBe(1000);
    expect(s.articles).toBe(383);
    expect(s.answers).toBe(7048);
    expect(s.maxContextChars).toBe(1036);
    expect(s.meanContextChars).toBeCloseTo(448.735, 3);
    expect(s.maxQuestionChars).toBe(73);
    expect(s.meanQuestionChars).toBeCloseTo(23.0806, 3);
  });

  it('gives one item per question, first answer, file order', () => {
    const items = toQgItems(ds);
    expect(items).toHaveLength(3524);
    expect(items[0]).toMatchObject({ id: '1147-5-1', answer: '歐洲', answerStart: 1, question: '陸特和漢斯雷頓開創了哪一地區對梵語的學術研究？' });
    for (const it of items) expect(it.context.startsWith(it.answer, it.answerStart)).toBe(true);
    expect(firstFraction(items, 0.1).map((i) => i.id)).toEqual(items.slice(0, 352).map((i) => i.id));
  });
});

describe('firstFraction', () => {
  it('takes the first floor(n·f) and rejects a bad fraction', () => {
    expect(firstFraction([1, 2, 3, 4, 5, 6, 7], 0.5)).toEqual([1, 2, 3]);
    expect(firstFraction([1, 2], 1)).toEqual([1, 2]);
    expect(firstFraction([1, 2], 0)).toEqual([]);
    expect(() => firstFraction([1], 1.5)).toThrow(RangeError);
    expect(() => firstFraction([1], NaN)).toThrow(RangeError);
  });
});
