// pytorch_model.bin (torch.save of a state dict) → the same {tensors, metadata} readSafetensors gives, from a Uint8Array.
// Two layouts:
//  - zip (PyTorch ≥ 1.6): `<folder>/data.pkl` (the pickled dict; storages are persistent ids
//    ('storage', torch.XStorage, key, location, numel)) + one stored entry `<folder>/data/<key>` per storage;
//  - legacy (pre-1.6): five pickles in a row (magic number, protocol version, sys info, the dict with persistent ids
//    ('storage', torch.XStorage, root_key, location, numel, view_metadata), the list of storage keys), then each
//    storage in key order as an int64 LE element count followed by its raw bytes.
// Float32 tensors are zero-copy views of the file where the data is 4-byte aligned (so they alias the file's bytes);
// otherwise each tensor is copied/converted on its own. Only contiguous tensors are accepted.
import { PickledTensor, PyGlobal, STORAGE_TYPES, unpickle, type PyValue } from './pickle';
import { convert, type SafeTensor, type SafetensorsFile } from './safetensors';
import { looksLikeZip, readZipDirectory, zipEntryData, type ZipEntry } from './zipDirectory';

export class PytorchBinError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PytorchBinError';
  }
}

export interface PytorchBinFile extends SafetensorsFile {
  /** which of the two torch.save layouts the file has */
  format: 'zip' | 'legacy';
}

interface StorageRef {
  key: string;
  dtype: string;
  elementBytes: number;
  /** elements the persistent id declares */
  numel: number;
  /** legacy storage views: the root storage's key and this view's element offset into it */
  root: string;
  base: number;
  /** the root storage's raw bytes (set when read) */
  bytes?: Uint8Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/**
 * Parses a `pytorch_model.bin` in either torch.save layout. `fileName` names the file in every error.
 * Throws PytorchBinError (or PickleError / ZipError, all with the file name) for damaged, truncated or unsafe files.
 */
export function readPytorchBin(bytes: Uint8Array, fileName = 'pytorch_model.bin'): PytorchBinFile {
  const fail = (msg: string): never => {
    throw new PytorchBinError(`${fileName}: ${msg}`);
  };
  if (bytes.byteLength < 4) fail(`file too short (${bytes.byteLength} bytes) to be a PyTorch checkpoint`);
  if (looksLikeZip(bytes)) return { format: 'zip', metadata: {}, tensors: readZip(bytes, fileName, fail) };
  if (bytes[0] === 0x80 && bytes[1]! <= 5) return { format: 'legacy', metadata: {}, tensors: readLegacy(bytes, fileName, fail) };
  if (bytes.byteLength > 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar')
    fail('the tar layout of PyTorch < 1.0 is not supported; re-save it with a newer torch');
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return fail(`not a PyTorch checkpoint: starts with bytes ${head} (expected a zip archive 'PK..' or a pickle 0x80)`);
}

type Fail = (msg: string) => never;

function storageFromPid(pid: PyValue, fail: Fail, legacy: boolean): StorageRef {
  const want = legacy ? 6 : 5;
  if (!Array.isArray(pid) || pid.length !== want || pid[0] !== 'storage')
    return fail(`unexpected persistent id (expected a ${want}-tuple starting with 'storage')`);
  const [, type, key, , numel, view] = pid as PyValue[];
  if (!(type instanceof PyGlobal) || type.module !== 'torch' || !Object.hasOwn(STORAGE_TYPES, type.name))
    return fail(`persistent id names ${type instanceof PyGlobal ? `'${type.qualifiedName}'` : 'no type'}, not a torch storage type`);
  if (typeof key !== 'string' || !Number.isInteger(numel) || (numel as number) < 0)
    return fail(`persistent id of storage ${String(key)} is damaged`);
  const { dtype, bytes: elementBytes } = STORAGE_TYPES[type.name]!;
  const ref: StorageRef = { key, dtype, elementBytes, numel: numel as number, root: key, base: 0 };
  if (legacy && view !== null && view !== undefined) {
    // (view_key, offset, view_size): a view of the root storage `key`
    if (!Array.isArray(view) || view.length !== 3 || !Number.isInteger(view[1]) || !Number.isInteger(view[2]))
      return fail(`storage ${key}: damaged view metadata`);
    return { ...ref, key: String(view[0]), base: view[1] as number, numel: view[2] as number };
  }
  return ref;
}

function readZip(bytes: Uint8Array, file: string, fail: Fail): Map<string, SafeTensor> {
  const entries = readZipDirectory(bytes, file);
  const pkls = entries.filter((e) => e.name === 'data.pkl' || e.name.endsWith('/data.pkl'));
  if (pkls.length === 0) fail(`zip archive without a data.pkl (not a torch.save checkpoint); it holds ${entries.slice(0, 5).map((e) => `'${e.name}'`).join(', ')}${entries.length > 5 ? ', ...' : ''}`);
  pkls.sort((a, b) => a.name.length - b.name.length);
  const prefix = pkls[0]!.name.slice(0, -'data.pkl'.length);
  const byName = new Map<string, ZipEntry>(entries.map((e) => [e.name, e]));
  const order = byName.get(`${prefix}byteorder`);
  if (order) {
    const o = new TextDecoder().decode(zipEntryData(bytes, order, file)).trim();
    if (o !== 'little') fail(`byte order '${o}' is not supported (only little-endian checkpoints)`);
  }
  const storages = new Map<string, StorageRef>();
  const { value } = unpickle(zipEntryData(bytes, pkls[0]!, file), 0, {
    fileName: file,
    persistentLoad: (pid) => {
      const ref = storageFromPid(pid, fail, false);
      const known = storages.get(ref.key);
      if (known) return known;
      const entry = byName.get(`${prefix}data/${ref.key}`);
      if (!entry) return fail(`storage '${ref.key}' is missing (no zip entry '${prefix}data/${ref.key}')`);
      if (entry.size < ref.numel * ref.elementBytes)
        fail(`storage '${ref.key}' has ${entry.size} bytes but holds ${ref.numel} ${ref.dtype} elements (${ref.numel * ref.elementBytes} bytes): truncated?`);
      ref.bytes = zipEntryData(bytes, entry, file);
      storages.set(ref.key, ref);
      return ref;
    },
  });
  return materialize(value, file, fail);
}

function readLegacy(bytes: Uint8Array, file: string, fail: Fail): Map<string, SafeTensor> {
  const opts = { fileName: file };
  const magic = unpickle(bytes, 0, opts);
  if (magic.value !== LEGACY_MAGIC) fail('not a PyTorch checkpoint: a pickle, but without the legacy torch.save magic number');
  const protocol = unpickle(bytes, magic.end, opts);
  if (protocol.value !== LEGACY_PROTOCOL) fail(`legacy protocol version ${String(protocol.value)} is not supported (expected ${LEGACY_PROTOCOL})`);
  const sys = unpickle(bytes, protocol.end, opts);
  if (!(sys.value instanceof Map)) fail('damaged legacy header: the system info is not a dict');
  if ((sys.value as Map<PyValue, PyValue>).get('little_endian') !== true) fail('saved on a big-endian machine: not supported');
  const roots = new Map<string, StorageRef>();
  const views: StorageRef[] = [];
  const dict = unpickle(bytes, sys.end, {
    fileName: file,
    persistentLoad: (pid) => {
      const ref = storageFromPid(pid, fail, true);
      if (!roots.has(ref.root)) roots.set(ref.root, { ...ref, key: ref.root, base: 0, numel: (pid as PyValue[])[4] as number });
      if (ref.key === ref.root) return roots.get(ref.root)!;
      views.push(ref);
      return ref;
    },
  });
  const keys = unpickle(bytes, dict.end, opts);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) fail('damaged legacy file: the storage key list is not a list of strings');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keys.end;
  for (const key of keys.value as string[]) {
    const ref = roots.get(key);
    if (!ref) fail(`storage key '${key}' is listed but no tensor uses it (damaged file)`);
    if (pos + 8 > bytes.byteLength) fail(`truncated: storage '${key}' should start at byte ${pos} but the file ends at ${bytes.byteLength}`);
    const count = dv.getBigInt64(pos, true);
    if (count !== BigInt(ref!.numel)) fail(`storage '${key}' at byte ${pos} has element count ${count}, but the pickle says ${ref!.numel} (damaged file)`);
    const n = ref!.numel * ref!.elementBytes;
    if (pos + 8 + n > bytes.byteLength) fail(`truncated: storage '${key}' needs bytes ${pos + 8}–${pos + 8 + n} but the file has ${bytes.byteLength}`);
    ref!.bytes = bytes.subarray(pos + 8, pos + 8 + n);
    pos += 8 + n;
  }
  for (const [key, ref] of roots) if (!ref.bytes) fail(`storage '${key}' is used by a tensor but its data is not in the file`);
  for (const v of views) {
    const root = roots.get(v.root)!;
    if (v.base + v.numel > root.numel) fail(`storage view '${v.key}' exceeds its root storage '${v.root}'`);
    v.bytes = root.bytes;
  }
  return materialize(dict.value, file, fail);
}

function materialize(value: PyValue, file: string, fail: Fail): Map<string, SafeTensor> {
  if (!(value instanceof Map)) return fail('the pickled object is not a dict (a state dict was expected)');
  let dict = value as Map<PyValue, PyValue>;
  // checkpoints that wrap the state dict: {'state_dict': {...}} or {'model': {...}}
  const hasTensor = [...dict.values()].some((v) => v instanceof PickledTensor);
  if (!hasTensor)
    for (const k of ['state_dict', 'model'])
      if (dict.get(k) instanceof Map) {
        dict = dict.get(k) as Map<PyValue, PyValue>;
        break;
      }
  const out = new Map<string, SafeTensor>();
  const shared = new Map<string, Float32Array>();
  for (const [name, t] of dict) {
    if (typeof name !== 'string') fail(`state dict key ${String(name)} is not a string`);
    if (!(t instanceof PickledTensor)) fail(`'${name}' is not a tensor`);
    const tensor = t as PickledTensor;
    const s = tensor.storage as StorageRef;
    if (!s || typeof s !== 'object' || !('elementBytes' in s) || !s.bytes) fail(`tensor '${name}' has no storage`);
    const shape = tensor.shape;
    const n = shape.reduce((a, b) => a * b, 1);
    let expected = 1;
    for (let d = shape.length - 1; d >= 0 && n > 0; d--) {
      if (shape[d] !== 1 && tensor.stride[d] !== expected)
        fail(
          `tensor '${name}' is not contiguous (size [${shape.join(', ')}], stride [${tensor.stride.join(', ')}]); save it with .contiguous() first`,
        );
      expected *= shape[d]!;
    }
    const first = s.base + tensor.storageOffset;
    if (n > 0 && tensor.storageOffset + n > s.numel)
      fail(`tensor '${name}' needs elements ${tensor.storageOffset}–${tensor.storageOffset + n} of storage '${s.key}', which has ${s.numel}`);
    const cacheKey = `${s.root}|${first}|${n}`;
    let data = shared.get(cacheKey);
    if (!data) {
      const raw = s.bytes!.subarray(first * s.elementBytes, (first + n) * s.elementBytes);
      data = toFloat32(s.dtype, raw, n);
      shared.set(cacheKey, data);
    }
    out.set(name, { dtype: s.dtype, shape: [...shape], data });
  }
  return out;
}

/** Float32 storages: a view when aligned (zero-copy), else one copy of this tensor; other dtypes are converted. */
function toFloat32(dtype: string, raw: Uint8Array, n: number): Float32Array {
  if (dtype !== 'F32' || !LITTLE_ENDIAN) return convert(dtype, raw, n);
  if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, n);
  const out = new Float32Array(n);
  new Uint8Array(out.buffer).set(raw);
  return out;
}
