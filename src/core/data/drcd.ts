// DRCD (SQuAD v1 format) parsing, validation, statistics and the flat question-generation items built from it.
//
//   { "version": "...", "data": [ { "title": "...", "paragraphs": [ { "context": "...",
//       "qas": [ { "id": "...", "question": "...", "answers": [ { "text": "...", "answer_start": 12 } ] } ] } ] } ] }
//
// parseDrcd collects every problem (up to MAX_PROBLEMS) and throws one DatasetError naming each JSON path.
import { DatasetError, MAX_PROBLEMS, type DatasetProblem } from './datasetError';

export { DatasetError, type DatasetProblem } from './datasetError';

export interface DrcdAnswer {
  text: string;
  /** Character offset of `text` in the paragraph's context. */
  answer_start: number;
  id?: string;
}
export interface DrcdQa {
  id: string;
  question: string;
  answers: DrcdAnswer[];
}
export interface DrcdParagraph {
  context: string;
  id?: string;
  qas: DrcdQa[];
}
export interface DrcdArticle {
  title?: string;
  id?: string;
  paragraphs: DrcdParagraph[];
}
export interface DrcdDataset {
  version?: string;
  data: DrcdArticle[];
  /** Other top-level fields (e.g. the sample's `synthetic`, `note`) are kept as they are. */
  [extra: string]: unknown;
}

/** One question with its first answer: the unit of question generation. */
export interface QgItem {
  id: string;
  context: string;
  answer: string;
  /** Offset of `answer` in `context` in JavaScript string (UTF-16) units: context.startsWith(answer, answerStart). */
  answerStart: number;
  question: string;
}

export interface DatasetStats {
  articles: number;
  paragraphs: number;
  questions: number;
  answers: number;
  /** Lengths in characters (Unicode code points); context over paragraphs, question over questions. */
  meanContextChars: number;
  maxContextChars: number;
  meanQuestionChars: number;
  maxQuestionChars: number;
  /** Over the first answer of each question (the one toQgItems uses). */
  meanAnswerChars: number;
  maxAnswerChars: number;
}

/** How many answer_start mismatches the summary problem names. */
const MISMATCH_EXAMPLES = 5;

class TooManyProblems extends Error {}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Parse and validate a DRCD / SQuAD v1 JSON text. Throws DatasetError naming the JSON path of each problem. */
export function parseDrcd(text: string, source?: string): DrcdDataset {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DatasetError([{ path: '', message: jsonErrorMessage(text, e) }], source);
  }
  return validateDrcd(json, source);
}

function jsonErrorMessage(text: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (text.trim().length === 0) return 'not JSON: the file is empty';
  const m = /position (\d+)/.exec(msg);
  if (m && !/line \d+ column \d+/.test(msg)) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    return `not JSON: ${msg} (line ${line} column ${col})`;
  }
  return `not JSON: ${msg}`;
}

/** Validate an already parsed value (see parseDrcd). */
export function validateDrcd(json: unknown, source?: string): DrcdDataset {
  const problems: DatasetProblem[] = [];
  const mismatches: string[] = [];
  const seenIds = new Map<string, string>();
  const add = (path: string, message: string) => {
    problems.push({ path, message });
    if (problems.length >= MAX_PROBLEMS) throw new TooManyProblems();
  };
  const expect = (v: unknown, kind: 'string' | 'number' | 'array' | 'object', path: string): boolean => {
    const actual = typeName(v);
    if (actual === kind) return true;
    add(path, v === undefined ? `missing (expected ${article(kind)})` : `expected ${article(kind)}, got ${actual}`);
    return false;
  };
  const nonEmptyString = (v: unknown, path: string, what: string): boolean => {
    if (!expect(v, 'string', path)) return false;
    if ((v as string).trim().length === 0) {
      add(path, `empty ${what}`);
      return false;
    }
    return true;
  };

  let truncated = false;
  try {
    if (expect(json, 'object', '')) {
      const root = json as Record<string, unknown>;
      if (root.version !== undefined && typeof root.version !== 'string' && typeof root.version !== 'number') {
        add('version', `expected a string, got ${typeName(root.version)}`);
      }
      if (expect(root.data, 'array', 'data')) {
        const data = root.data as unknown[];
        if (data.length === 0) add('data', 'no articles');
        data.forEach((art, ai) => {
          const ap = `data[${ai}]`;
          if (!expect(art, 'object', ap)) return;
          const a = art as Record<string, unknown>;
          if (a.title !== undefined && typeof a.title !== 'string') add(`${ap}.title`, `expected a string, got ${typeName(a.title)}`);
          if (!expect(a.paragraphs, 'array', `${ap}.paragraphs`)) return;
          (a.paragraphs as unknown[]).forEach((par, pi) => {
            const pp = `${ap}.paragraphs[${pi}]`;
            if (!expect(par, 'object', pp)) return;
            const p = par as Record<string, unknown>;
            const contextOk = nonEmptyString(p.context, `${pp}.context`, 'context');
            const context = contextOk ? (p.context as string) : '';
            if (!expect(p.qas, 'array', `${pp}.qas`)) return;
            (p.qas as unknown[]).forEach((qaValue, qi) => {
              const qp = `${pp}.qas[${qi}]`;
              if (!expect(qaValue, 'object', qp)) return;
              const qa = qaValue as Record<string, unknown>;
              if (nonEmptyString(qa.id, `${qp}.id`, 'id')) {
                const first = seenIds.get(qa.id as string);
                if (first !== undefined) add(`${qp}.id`, `duplicate id ${JSON.stringify(qa.id)} (first at ${first})`);
                else seenIds.set(qa.id as string, `${qp}.id`);
              }
              nonEmptyString(qa.question, `${qp}.question`, 'question');
              if (!expect(qa.answers, 'array', `${qp}.answers`)) return;
              const answers = qa.answers as unknown[];
              if (answers.length === 0) add(`${qp}.answers`, 'no answers (each question needs at least one)');
              answers.forEach((ansValue, ni) => {
                const np = `${qp}.answers[${ni}]`;
                if (!expect(ansValue, 'object', np)) return;
                const ans = ansValue as Record<string, unknown>;
                const textOk = nonEmptyString(ans.text, `${np}.text`, 'answer text');
                let startOk = expect(ans.answer_start, 'number', `${np}.answer_start`);
                if (startOk && (!Number.isInteger(ans.answer_start) || (ans.answer_start as number) < 0)) {
                  add(`${np}.answer_start`, `expected a non-negative integer, got ${ans.answer_start}`);
                  startOk = false;
                }
                if (textOk && startOk && contextOk) {
                  const start = ans.answer_start as number;
                  const t = ans.text as string;
                  if (resolveAnswerStart(context, t, start) < 0) {
                    if (mismatches.length < MISMATCH_EXAMPLES) {
                      const found = context.indexOf(t);
                      const there = JSON.stringify(context.slice(start, start + t.length));
                      mismatches.push(
                        `${np} (answer_start ${start}: context has ${there} there, text is ${JSON.stringify(t)}` +
                          (found >= 0 ? `, which occurs at ${found})` : ', which does not occur in the context)'),
                      );
                    } else mismatches.push('');
                  }
                }
              });
            });
          });
        });
      }
    }
  } catch (e) {
    if (!(e instanceof TooManyProblems)) throw e;
    truncated = true;
  }
  if (mismatches.length > 0 && problems.length < MAX_PROBLEMS) {
    const named = mismatches.filter((m) => m.length > 0);
    problems.push({
      path: '',
      message:
        `answer_start does not point at the answer text in the context for ${mismatches.length} ` +
        `answer${mismatches.length > 1 ? 's' : ''}: ${named.join('; ')}${mismatches.length > named.length ? '; ...' : ''}`,
    });
  }
  if (problems.length > 0) throw new DatasetError(problems, source, truncated);
  return json as DrcdDataset;
}

function article(kind: string): string {
  return kind === 'array' || kind === 'object' ? `an ${kind}` : `a ${kind}`;
}

/**
 * Where `text` starts in `context`, in UTF-16 units, or -1. `start` is taken as a UTF-16 offset, or else as a
 * code-point offset (what Python writes when the context has characters outside the BMP).
 */
export function resolveAnswerStart(context: string, text: string, start: number): number {
  if (context.startsWith(text, start)) return start;
  if (/[\uD800-\uDBFF]/.test(context)) {
    const cps = Array.from(context);
    if (start <= cps.length) {
      const u16 = cps.slice(0, start).join('').length;
      if (context.startsWith(text, u16)) return u16;
    }
  }
  return -1;
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

export function datasetStats(ds: DrcdDataset): DatasetStats {
  let paragraphs = 0,
    questions = 0,
    answers = 0;
  let ctxSum = 0,
    ctxMax = 0,
    qSum = 0,
    qMax = 0,
    aSum = 0,
    aMax = 0;
  for (const art of ds.data) {
    for (const p of art.paragraphs) {
      paragraphs++;
      const c = codePoints(p.context);
      ctxSum += c;
      ctxMax = Math.max(ctxMax, c);
      for (const qa of p.qas) {
        questions++;
        answers += qa.answers.length;
        const q = codePoints(qa.question);
        qSum += q;
        qMax = Math.max(qMax, q);
        const a = qa.answers[0] ? codePoints(qa.answers[0].text) : 0;
        aSum += a;
        aMax = Math.max(aMax, a);
      }
    }
  }
  return {
    articles: ds.data.length,
    paragraphs,
    questions,
    answers,
    meanContextChars: paragraphs ? ctxSum / paragraphs : 0,
    maxContextChars: ctxMax,
    meanQuestionChars: questions ? qSum / questions : 0,
    maxQuestionChars: qMax,
    meanAnswerChars: questions ? aSum / questions : 0,
    maxAnswerChars: aMax,
  };
}

/** One item per question with its first answer, in file order. */
export function toQgItems(ds: DrcdDataset): QgItem[] {
  const items: QgItem[] = [];
  for (const art of ds.data) {
    for (const p of art.paragraphs) {
      for (const qa of p.qas) {
        const a = qa.answers[0];
        if (!a) continue;
        const start = resolveAnswerStart(p.context, a.text, a.answer_start);
        items.push({
          id: qa.id,
          context: p.context,
          answer: a.text,
          answerStart: start >= 0 ? start : a.answer_start,
          question: qa.question,
        });
      }
    }
  }
  return items;
}

/** The first ⌊n·f⌋ items (the study's "training fraction": a prefix in file order, not a random sample). */
export function firstFraction<T>(items: readonly T[], f: number): T[] {
  if (!(f >= 0 && f <= 1)) throw new RangeError(`fraction must be between 0 and 1, got ${f}`);
  return items.slice(0, Math.floor(items.length * f));
}
