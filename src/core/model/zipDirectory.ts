// The central directory of a zip archive (with zip64), read from a Uint8Array, and entry data as zero-copy views.
// PyTorch's writer stores entries uncompressed and pads each local header so data starts on a 64-byte boundary;
// a deflated entry (an archive re-zipped by another tool) is inflated with fflate, one entry at a time.
import { inflateSync } from 'fflate';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** True when the bytes start like a zip archive. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** The entries of the archive, in central-directory order. `file` names the archive in errors. */
export function readZipDirectory(bytes: Uint8Array, file: string): ZipEntry[] {
  const fail = (msg: string): never => {
    throw new ZipError(`${file}: ${msg}`);
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.byteLength;
  const u64 = (at: number) => {
    const v = dv.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`zip field at byte ${at} is implausibly large (${v})`);
    return Number(v);
  };
  let eocd = -1;
  for (let i = len - 22; i >= Math.max(0, len - 22 - 0xffff); i--)
    if (dv.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) fail('no zip end-of-central-directory record (the file is truncated or damaged)');
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== ZIP64_LOCATOR) fail('zip64 archive without its zip64 locator (damaged file)');
    const z = u64(loc + 8);
    if (z + 56 > len || dv.getUint32(z, true) !== ZIP64_EOCD) fail('zip64 end-of-central-directory record missing (damaged file)');
    count = u64(z + 32);
    cdSize = u64(z + 40);
    cdOffset = u64(z + 48);
  }
  if (cdOffset + cdSize > len) fail(`central directory (bytes ${cdOffset}–${cdOffset + cdSize}) lies past the end of the file (${len} bytes): truncated?`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  const names = new TextDecoder('utf-8');
  for (let i = 0; i < count; i++) {
    if (p + 46 > len || dv.getUint32(p, true) !== CENTRAL) fail(`central directory entry ${i} at byte ${p} is damaged`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen > len) fail(`central directory entry ${i} at byte ${p} is truncated`);
    const name = names.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    if (flags & 1) fail(`zip entry '${name}' is encrypted`);
    // zip64 extended information: the 64-bit values of the fields saturated at 0xffffffff, in this order
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = dv.getUint16(x, true);
      const sz = dv.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        if (size === 0xffffffff) {
          size = u64(q);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(q);
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(q);
      }
      x += 4 + sz;
    }
    entries.push({ name, method, compressedSize, size, localHeaderOffset });
    p = xEnd + commentLen;
  }
  return entries;
}

/** An entry's bytes: a view into `bytes` when stored, a fresh array when deflated. */
export function zipEntryData(bytes: Uint8Array, entry: ZipEntry, file: string): Uint8Array {
  const fail = (msg: string): never => {
    throw new ZipError(`${file}: zip entry '${entry.name}': ${msg}`);
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = entry.localHeaderOffset;
  if (h + 30 > bytes.byteLength || dv.getUint32(h, true) !== LOCAL) fail(`no local header at byte ${h} (damaged or truncated file)`);
  const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.byteLength) fail(`data ends at byte ${end} but the file has only ${bytes.byteLength} (truncated)`);
  const raw = bytes.subarray(start, end);
  if (entry.method === 0) {
    if (entry.size !== entry.compressedSize) fail(`stored entry with sizes ${entry.compressedSize} and ${entry.size} (damaged)`);
    return raw;
  }
  if (entry.method === 8) {
    let out: Uint8Array;
    try {
      out = inflateSync(raw, { out: new Uint8Array(entry.size) });
    } catch (e) {
      return fail(`cannot inflate (${(e as Error).message})`);
    }
    if (out.byteLength !== entry.size) fail(`inflated to ${out.byteLength} bytes, expected ${entry.size}`);
    return out;
  }
  return fail(`compression method ${entry.method} is not supported (only stored and deflate)`);
}
