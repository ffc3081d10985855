import { describe, expect, it } from 'vitest';
import { intFlag, parseArgs } from './args';

describe('parseArgs', () => {
  it('reads positionals, valued flags, --k=v and switches', () => {
    const a = parseArgs(['recipe.json', '--out', 'dir', '--beam=3', '--per-question']);
    expect(a.positional).toEqual(['recipe.json']);
    expect(a.flags).toEqual({ out: 'dir', beam: '3', 'per-question': true });
    expect(intFlag(a, 'beam', 1)).toBe(3);
    expect(intFlag(a, 'limit', 7)).toBe(7);
  });
  it('rejects a non-integer where an integer is needed', () => {
    expect(() => intFlag(parseArgs(['--beam', 'x']), 'beam', 3)).toThrow(/--beam must be an integer/);
  });
});
