import { describe, expect, it } from 'vitest';
import { parseHypsJson, parseRefsJson, scoreJsonTexts } from './scoreInput';
import { METRIC_KEYS, scoreQuestions } from './score';

// The logic behind `qglab score` (src/cli/commands/score.ts only reads the two files and prints the result).
describe('score command logic', () => {
  const hyps = JSON.stringify({ q1: '誰發明了電話?', q2: '凡爾賽條約在哪一年簽訂？' });
  const refs = JSON.stringify({ q1: ['電話是誰發明的?', '誰發明了電話？'], q2: '凡爾賽條約在哪一年簽署？' });

  it('prints the six metrics and avg_score, in order; a plain string is one reference', () => {
    const r = scoreJsonTexts(hyps, refs);
    expect(Object.keys(r)).toEqual([...METRIC_KEYS, 'avg_score']);
    expect(r).toEqual(
      scoreQuestions(
        { q1: '誰發明了電話?', q2: '凡爾賽條約在哪一年簽訂？' },
        { q1: ['電話是誰發明的?', '誰發明了電話？'], q2: ['凡爾賽條約在哪一年簽署？'] },
      ),
    );
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // one JSON line, all finite numbers
  });

  it('--per-question adds perQuestion', () => {
    const r = scoreJsonTexts(hyps, refs, { perQuestion: true });
    expect(Object.keys(r.perQuestion!)).toEqual(['q1', 'q2']);
  });

  it('ids missing on either side: an error listing them', () => {
    expect(() => scoreJsonTexts(JSON.stringify({ q1: 'a', q3: 'b' }), refs)).toThrow(
      /have a hypothesis but no references: q3.*have references but no hypothesis: q2/,
    );
  });

  it('malformed JSON or wrong shapes: a clear error naming the file', () => {
    expect(() => scoreJsonTexts('{"q1": ', refs, { hypsName: 'out/hyps.json' })).toThrow(/^out\/hyps\.json: malformed JSON/);
    expect(() => scoreJsonTexts(hyps, 'nope', { refsName: 'refs.json' })).toThrow(/^refs\.json: malformed JSON/);
    expect(() => parseHypsJson('["a"]', 'h.json')).toThrow(/h\.json: expected a JSON object/);
    expect(() => parseHypsJson('{"q1": ["a"]}', 'h.json')).toThrow(/h\.json: hypothesis for id 'q1' must be a string/);
    expect(() => parseRefsJson('{"q1": [1]}', 'r.json')).toThrow(/r\.json: references for id 'q1' must be a string or an array/);
    expect(() => parseRefsJson('{"q1": []}', 'r.json')).toThrow(/r\.json: id 'q1' has an empty reference list/);
  });
});
