import { describe, expect, it } from 'vitest';
import { decodeTextFile } from './textFile';

const enc = new TextEncoder();

describe('decodeTextFile', () => {
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeTextFile(enc.encode('{"a":"中"}'), 'x.json')).toBe('{"a":"中"}');
    expect(decodeTextFile(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{}')]), 'x.json')).toBe('{}');
  });
  it('refuses UTF-16 (with or without BOM) saying so', () => {
    const u16 = (s: string, bom: boolean) => {
      const out = bom ? [0xff, 0xfe] : [];
      for (const c of s) out.push(c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8);
      return new Uint8Array(out);
    };
    expect(() => decodeTextFile(u16('{"data": []}', true), 'd.json')).toThrow(/d\.json: this file is UTF-16; save it as UTF-8/);
    expect(() => decodeTextFile(u16('{"data": [], "version": "1"}', false), 'd.json')).toThrow(/UTF-16/);
  });
  it('refuses binary files naming what they look like', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(() => decodeTextFile(png, 'cat.png', 'dataset')).toThrow(/cat\.png: this dataset is binary, not text \(a PNG image\)/);
  });
  it('refuses invalid UTF-8', () => {
    expect(() => decodeTextFile(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), 'x.json')).toThrow(/not valid UTF-8/);
  });
});
