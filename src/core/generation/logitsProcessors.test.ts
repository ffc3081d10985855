import { describe, expect, it } from 'vitest';
import { LogitsProcessorList, NoImmediateRepeatProcessor } from './logitsProcessors';

describe('logits processors', () => {
  it('NoImmediateRepeat rules out only the previous token', () => {
    const row = Float32Array.from([-1, -2, -3, -4]);
    new NoImmediateRepeatProcessor().process([], row);
    expect(Array.from(row)).toEqual([-1, -2, -3, -4]);
    new NoImmediateRepeatProcessor().process([2, 0], row);
    expect(Array.from(row)).toEqual([-Infinity, -2, -3, -4]);
  });

  it('a list applies its processors in order', () => {
    const seen: number[] = [];
    const list = new LogitsProcessorList([{ process: () => void seen.push(1) }]).push({ process: () => void seen.push(2) });
    list.process([], new Float32Array(1));
    expect(seen).toEqual([1, 2]);
  });
});
