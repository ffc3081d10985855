import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from './safetensors';
import { withShared } from '../../testing/withShared';

const shared = withShared('safetensors.test', 'fixtures/hf-bert-tiny/model.safetensors');
const fixture = shared.path('fixtures/hf-bert-tiny');

function rawFile(header: object, data: Uint8Array): Uint8Array {
  const hb = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + hb.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  out.set(data, 8 + hb.length);
  return out;
}

describe('safetensors', () => {
  shared.it('reads the Hugging Face fixture', () => {
    const { tensors, metadata } = readSafetensors(new Uint8Array(readFileSync(resolve(fixture, 'model.safetensors'))));
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.size).toBe(74);
    const w = tensors.get('bert.embeddings.word_embeddings.weight')!;
    expect(w.dtype).toBe('F32');
    expect(w.shape).toEqual([21128, 32]);
    expect(w.data.length).toBe(21128 * 32);
  });

  it('round-trips float32 tensors with metadata, 8-byte aligned', () => {
    const a = { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 1e-30, -0, 7]) };
    const b = { shape: [0], data: new Float32Array(0) };
    const c = { shape: [], data: new Float32Array([42]) };
    const bytes = writeSafetensors(new Map([['z.a', a], ['b', b], ['c', c]]), { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.keys()].sort()).toEqual(['b', 'c', 'z.a']);
    expect(back.tensors.get('z.a')).toEqual({ dtype: 'F32', ...a });
    expect(back.tensors.get('b')!.shape).toEqual([0]);
    expect(back.tensors.get('c')!.data[0]).toBe(42);
    // an unaligned view of the same bytes reads the same
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(readSafetensors(shifted.subarray(1)).tensors.get('z.a')!.data).toEqual(a.data);
  });

  it('converts F16, BF16, I64 and I32', () => {
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001]).buffer); // 1, -2, ~0.3333, 2^-24
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc040]).buffer); // 1, -3
    const i64 = new Uint8Array(new BigInt64Array([5n, -7n]).buffer);
    const i32 = new Uint8Array(new Int32Array([9, -1]).buffer);
    const data = new Uint8Array([...f16, ...bf16, ...i64, ...i32]);
    const file = rawFile(
      {
        h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
        bf: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
        l: { dtype: 'I64', shape: [2], data_offsets: [12, 28] },
        i: { dtype: 'I32', shape: [1, 2], data_offsets: [28, 36] },
      },
      data,
    );
    const t = readSafetensors(file).tensors;
    expect(Array.from(t.get('h')!.data)).toEqual([1, -2, expect.closeTo(0.33325, 4), 2 ** -24]);
    expect(Array.from(t.get('bf')!.data)).toEqual([1, -3]);
    expect(Array.from(t.get('l')!.data)).toEqual([5, -7]);
    expect(t.get('i')).toMatchObject({ dtype: 'I32', shape: [1, 2] });
  });

  it('rejects truncated and corrupt files with clear errors', () => {
    const good = writeSafetensors({ a: { shape: [4], data: new Float32Array(4) } });
    expect(() => readSafetensors(good.subarray(0, 5))).toThrow(/too short/);
    expect(() => readSafetensors(good.subarray(0, 20))).toThrow(/truncated: header/);
    expect(() => readSafetensors(good.subarray(0, good.length - 1))).toThrow(/truncated: tensor 'a'/);
    const bad = new Uint8Array(good);
    bad[8] = 0x7b + 1; // break the JSON
    expect(() => readSafetensors(bad)).toThrow(/not valid UTF-8 JSON/);
    expect(() => readSafetensors(rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(8)))).toThrow(/needs 8/);
    expect(() => readSafetensors(rawFile({ a: { dtype: 'Q4', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(8)))).toThrow(/unsupported dtype/);
    expect(() =>
      readSafetensors(
        rawFile(
          { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
          new Uint8Array(12),
        ),
      ),
    ).toThrow(/overlap/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(() => readSafetensors(huge)).toThrow(/implausible/);
    expect(() => writeSafetensors({ a: { shape: [3], data: new Float32Array(2) } })).toThrow(/has 3 values/);
  });
});
