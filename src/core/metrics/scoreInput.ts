// Parsing of the `score` command's inputs (kept here, pure, so it runs in Node, a worker and tests alike):
// hyps.json `{"<id>": "question"}`, refs.json `{"<id>": ["ref", ...]}` or `{"<id>": "ref"}` for a single reference.
import { scoreQuestions, validateScoreInput, type ScoreResult } from './score';

function parseObject(text: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: malformed JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${name}: expected a JSON object {"<id>": ...}, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** hyps.json: every value must be a string (the generated question). */
export function parseHypsJson(text: string, name = 'hyps'): Record<string, string> {
  const obj = parseObject(text, name);
  for (const [id, v] of Object.entries(obj)) {
    if (typeof v !== 'string') throw new Error(`${name}: hypothesis for id '${id}' must be a string, got ${Array.isArray(v) ? 'an array' : typeof v}`);
  }
  return obj as Record<string, string>;
}

/** refs.json: every value is a list of strings, or one string taken as a single reference. */
export function parseRefsJson(text: string, name = 'refs'): Record<string, string[]> {
  const obj = parseObject(text, name);
  const out: Record<string, string[]> = {};
  for (const [id, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[id] = [v];
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      if (v.length === 0) throw new Error(`${name}: id '${id}' has an empty reference list (at least one reference is needed)`);
      out[id] = v as string[];
    } else throw new Error(`${name}: references for id '${id}' must be a string or an array of strings`);
  }
  return out;
}

/** What `qglab score` prints: parses both files' text, checks the ids match, scores. */
export function scoreJsonTexts(
  hypsText: string,
  refsText: string,
  opts: { hypsName?: string; refsName?: string; perQuestion?: boolean } = {},
): ScoreResult {
  const hyps = parseHypsJson(hypsText, opts.hypsName ?? 'hyps');
  const refs = parseRefsJson(refsText, opts.refsName ?? 'refs');
  validateScoreInput(hyps, refs);
  return scoreQuestions(hyps, refs, { perQuestion: opts.perQuestion });
}
