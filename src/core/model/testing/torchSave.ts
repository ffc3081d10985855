// Test and benchmark helpers: a pickle emitter, and writers of pytorch_model.bin in both torch.save layouts
// (zip with 64-byte-aligned stored entries, as PyTorch writes it; and the legacy pre-1.6 stream). Not used by the app.
import { deflateSync } from 'fflate';

const enc = new TextEncoder();

/** Emits pickle opcodes (protocol 2) into a byte list. */
export class PickleWriter {
  private readonly out: number[] = [];
  raw(...bytes: number[]): this {
    for (const b of bytes) this.out.push(b);
    return this;
  }
  proto(p = 2): this {
    return this.raw(0x80, p);
  }
  mark(): this {
    return this.raw(0x28);
  }
  tuple(): this {
    return this.raw(0x74);
  }
  emptyTuple(): this {
    return this.raw(0x29);
  }
  emptyDict(): this {
    return this.raw(0x7d);
  }
  emptyList(): this {
    return this.raw(0x5d);
  }
  setItems(): this {
    return this.raw(0x75);
  }
  appends(): this {
    return this.raw(0x65);
  }
  reduce(): this {
    return this.raw(0x52);
  }
  build(): this {
    return this.raw(0x62);
  }
  persId(): this {
    return this.raw(0x51);
  }
  none(): this {
    return this.raw(0x4e);
  }
  bool(v: boolean): this {
    return this.raw(v ? 0x88 : 0x89);
  }
  stop(): this {
    return this.raw(0x2e);
  }
  put(i: number): this {
    return this.raw(0x71, i);
  }
  get(i: number): this {
    return this.raw(0x68, i);
  }
  int(v: number): this {
    if (v >= 0 && v < 256) return this.raw(0x4b, v);
    if (v >= 0 && v < 65536) return this.raw(0x4d, v & 0xff, v >> 8);
    if (v >= -(2 ** 31) && v < 2 ** 31) return this.raw(0x4a, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
    return this.long(BigInt(v));
  }
  long(v: bigint): this {
    const b: number[] = [];
    let x = v;
    do {
      b.push(Number(x & 0xffn));
      x >>= 8n;
    } while (!(x === 0n && !(b[b.length - 1]! & 0x80)) && !(x === -1n && b[b.length - 1]! & 0x80));
    return this.raw(0x8a, b.length, ...b);
  }
  str(s: string): this {
    const b = enc.encode(s);
    return this.raw(0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24, ...b);
  }
  global(module: string, name: string): this {
    return this.raw(0x63, ...enc.encode(`${module}\n${name}\n`));
  }
  ints(v: number[]): this {
    this.mark();
    for (const x of v) this.int(x);
    return this.tuple();
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export const STORAGE_CLASS: Record<string, string> = {
  F32: 'FloatStorage',
  F16: 'HalfStorage',
  BF16: 'BFloat16Storage',
  F64: 'DoubleStorage',
  I64: 'LongStorage',
  I32: 'IntStorage',
};
const ELEMENT_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4 };

export interface TorchTensorSpec {
  name: string;
  /** key of its storage in `storages` */
  storage: string;
  shape: number[];
  /** default: contiguous */
  stride?: number[];
  /** in elements; default 0 */
  offset?: number;
}

export interface TorchStorageSpec {
  dtype: keyof typeof STORAGE_CLASS | string;
  numel: number;
  /** raw little-endian bytes, or a function filling them in place (for large files) */
  data: Uint8Array | ((dst: Uint8Array) => void);
}

/** A float32 storage from values. */
export function f32Storage(values: ArrayLike<number>): TorchStorageSpec {
  const a = Float32Array.from(values);
  return { dtype: 'F32', numel: a.length, data: new Uint8Array(a.buffer) };
}

const contiguous = (shape: number[]) => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
};

/** The pickled state dict torch.save writes (dict of _rebuild_tensor_v2 calls with storage persistent ids). */
export function pickleStateDict(
  tensors: TorchTensorSpec[],
  storages: Map<string, TorchStorageSpec>,
  opts: { legacy?: boolean; orderedDict?: boolean } = {},
): Uint8Array {
  const w = new PickleWriter().proto();
  if (opts.orderedDict) w.global('collections', 'OrderedDict').emptyTuple().reduce();
  else w.emptyDict();
  w.mark();
  for (const t of tensors) {
    const s = storages.get(t.storage);
    if (!s) throw new Error(`no storage '${t.storage}'`);
    w.str(t.name).global('torch._utils', '_rebuild_tensor_v2').mark();
    w.mark().str('storage').global('torch', STORAGE_CLASS[s.dtype]!).str(t.storage).str('cpu').int(s.numel);
    if (opts.legacy) w.none();
    w.tuple().persId();
    w.int(t.offset ?? 0).ints(t.shape).ints(t.stride ?? contiguous(t.shape)).bool(false);
    w.global('collections', 'OrderedDict').emptyTuple().reduce();
    w.tuple().reduce();
  }
  if (opts.orderedDict) {
    // torch.save(module.state_dict()): items, then the `_metadata` attribute as BUILD state, as OrderedDict reduces
    w.setItems().emptyDict().mark().str('_metadata').global('collections', 'OrderedDict').emptyTuple().reduce();
    w.mark().str('').emptyDict().mark().str('version').int(1).setItems().setItems().setItems().build();
    return w.stop().bytes();
  }
  return w.setItems().stop().bytes();
}

let CRC_TABLE: Uint32Array | undefined;
function crc32(b: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A zip-layout pytorch_model.bin: `<folder>/data.pkl`, `<folder>/data/<key>` per storage (stored, data 64-byte
 * aligned via an 'FB' extra field like PyTorch's writer), `<folder>/version`. `deflate` compresses every entry.
 */
export function torchSaveZip(
  tensors: TorchTensorSpec[],
  storages: Map<string, TorchStorageSpec>,
  opts: { folder?: string; deflate?: boolean; orderedDict?: boolean; crc?: boolean; /** replaces data.pkl */ pickle?: Uint8Array } = {},
): Uint8Array {
  const folder = opts.folder ?? 'archive';
  const files: { name: string; size: number; data: Uint8Array | ((dst: Uint8Array) => void) }[] = [
    { name: `${folder}/data.pkl`, size: 0, data: opts.pickle ?? pickleStateDict(tensors, storages, { orderedDict: opts.orderedDict }) },
    ...[...storages].map(([key, s]) => ({ name: `${folder}/data/${key}`, size: s.numel * ELEMENT_BYTES[s.dtype]!, data: s.data })),
    { name: `${folder}/version`, size: 0, data: enc.encode('3\n') },
  ];
  for (const f of files) if (f.data instanceof Uint8Array) f.size = f.data.byteLength;
  const packed = files.map((f) => {
    let data = f.data;
    if (opts.deflate) {
      const raw = data instanceof Uint8Array ? data : new Uint8Array(f.size);
      if (!(data instanceof Uint8Array)) data(raw);
      data = deflateSync(raw);
      return { ...f, data, stored: false, compressed: data.byteLength, crc: crc32(raw) };
    }
    return { ...f, stored: true, compressed: f.size, crc: 0 };
  });
  // layout
  let pos = 0;
  const headers = packed.map((f) => {
    const name = enc.encode(f.name);
    const dataStart0 = pos + 30 + name.length + 4;
    const pad = f.stored ? (64 - (dataStart0 % 64)) % 64 : 0;
    const extra = f.stored ? 4 + pad : 0;
    const at = pos;
    pos += 30 + name.length + extra + f.compressed;
    return { at, name, extra, pad };
  });
  const cdStart = pos;
  const cdSize = headers.reduce((a, h) => a + 46 + h.name.length, 0);
  const out = new Uint8Array(cdStart + cdSize + 22);
  const dv = new DataView(out.buffer);
  packed.forEach((f, i) => {
    const h = headers[i]!;
    const start = h.at + 30 + h.name.length + h.extra;
    const dst = out.subarray(start, start + f.compressed);
    if (f.data instanceof Uint8Array) dst.set(f.data);
    else f.data(dst);
    if (f.stored && opts.crc !== false) f.crc = crc32(dst);
    dv.setUint32(h.at, 0x04034b50, true);
    dv.setUint16(h.at + 4, 20, true);
    dv.setUint16(h.at + 8, f.stored ? 0 : 8, true);
    dv.setUint32(h.at + 14, f.crc, true);
    dv.setUint32(h.at + 18, f.compressed, true);
    dv.setUint32(h.at + 22, f.size, true);
    dv.setUint16(h.at + 26, h.name.length, true);
    dv.setUint16(h.at + 28, h.extra, true);
    out.set(h.name, h.at + 30);
    if (h.extra) {
      dv.setUint16(h.at + 30 + h.name.length, 0x4246, true); // 'FB'
      dv.setUint16(h.at + 32 + h.name.length, h.pad, true);
      out.fill(0x5a, h.at + 34 + h.name.length, h.at + 34 + h.name.length + h.pad);
    }
  });
  let p = cdStart;
  packed.forEach((f, i) => {
    const h = headers[i]!;
    dv.setUint32(p, 0x02014b50, true);
    dv.setUint16(p + 4, 20, true);
    dv.setUint16(p + 6, 20, true);
    dv.setUint16(p + 10, f.stored ? 0 : 8, true);
    dv.setUint32(p + 16, f.crc, true);
    dv.setUint32(p + 20, f.compressed, true);
    dv.setUint32(p + 24, f.size, true);
    dv.setUint16(p + 28, h.name.length, true);
    dv.setUint32(p + 42, h.at, true);
    out.set(h.name, p + 46);
    p += 46 + h.name.length;
  });
  dv.setUint32(p, 0x06054b50, true);
  dv.setUint16(p + 8, packed.length, true);
  dv.setUint16(p + 10, packed.length, true);
  dv.setUint32(p + 12, cdSize, true);
  dv.setUint32(p + 16, cdStart, true);
  return out;
}

/** A legacy (pre-1.6) pytorch_model.bin: magic, protocol, sys info, state dict, storage keys, storages. */
export function torchSaveLegacy(tensors: TorchTensorSpec[], storages: Map<string, TorchStorageSpec>): Uint8Array {
  const parts: Uint8Array[] = [
    new PickleWriter().proto().long(0x1950a86a20f9469cfc6cn).stop().bytes(),
    new PickleWriter().proto().int(1001).stop().bytes(),
    new PickleWriter()
      .proto()
      .emptyDict()
      .mark()
      .str('protocol_version')
      .int(1001)
      .str('little_endian')
      .bool(true)
      .setItems()
      .stop()
      .bytes(),
    pickleStateDict(tensors, storages, { legacy: true }),
  ];
  const keys = new PickleWriter().proto().emptyList().mark();
  for (const k of storages.keys()) keys.str(k);
  parts.push(keys.appends().stop().bytes());
  const head = parts.reduce((a, p) => a + p.byteLength, 0);
  const body = [...storages.values()].reduce((a, s) => a + 8 + s.numel * ELEMENT_BYTES[s.dtype]!, 0);
  const out = new Uint8Array(head + body);
  const dv = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  for (const [, s] of storages) {
    dv.setBigInt64(at, BigInt(s.numel), true);
    const n = s.numel * ELEMENT_BYTES[s.dtype]!;
    const dst = out.subarray(at + 8, at + 8 + n);
    if (s.data instanceof Uint8Array) dst.set(s.data);
    else if ((at + 8) % 4 === 0) s.data(dst);
    else {
      const tmp = new Uint8Array(n); // fill functions may view their target as Float32Array: give them an aligned one
      s.data(tmp);
      dst.set(tmp);
    }
    at += 8 + n;
  }
  return out;
}
