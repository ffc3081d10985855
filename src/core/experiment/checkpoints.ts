// What a run keeps per node, under `nodes/<id>/` in a RunStorage:
//   model/config.json, model/vocab.txt, model/model.safetensors   a Hugging Face folder (the model's HF export)
//   state.json     the node's NodeRecord (src/core/lab/nodeRecord.ts; versioned, upgraded on read)
//   history.json   loss history (step events, compacted to a bounded number of points)
//   eval.json      the node's EvaluationResult
//   train-state/   mid-stage checkpoint for resume: state.json (step, RNG, optimizer scalars) + a tensors file
// Writes that belong together are ordered so that the file that makes them valid (state.json 'done', the
// train-state's state.json) is written last: an interrupted save leaves the previous valid state.
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import { modelFromHfFiles, modelToHfFiles } from './modelFiles';
import type { EvaluationResult } from './evaluate';
import type { RunStorage } from './storage';
import { isLazyArray } from '../training/trainState';
import type { HistoryPoint, ValidationPoint } from '../lab/history';
import type { NodeRecord } from '../lab/nodeRecord';
import { migrate, stamp } from '../lab/records/recordSchema';
import { EVAL_SCHEMA, HISTORY_SCHEMA, NODE_RECORD_SCHEMA, TRAIN_STATE_INDEX_SCHEMA, type TrainStateIndex } from '../lab/records/schemas';

export const nodeKey = (id: string, file: string) => `nodes/${id}/${file}`;

/** The node's record, upgraded from older schema versions (undefined when the node has none). */
export async function readState(storage: RunStorage, id: string): Promise<NodeRecord | undefined> {
  const raw = await storage.getJson<unknown>(nodeKey(id, 'state.json'));
  return raw === undefined ? undefined : migrate(NODE_RECORD_SCHEMA, raw, `nodes/${id}/state.json`);
}

export async function writeState(storage: RunStorage, record: NodeRecord): Promise<void> {
  await storage.putJson(nodeKey(record.id, 'state.json'), stamp(NODE_RECORD_SCHEMA, record));
}

export async function saveModel(storage: RunStorage, id: string, model: BertForMaskedLM, tok: BertTokenizer): Promise<void> {
  for (const [name, bytes] of await modelToHfFiles(model, tok)) await storage.putBytes(nodeKey(id, `model/${name}`), bytes);
}

export async function hasModel(storage: RunStorage, id: string): Promise<boolean> {
  return (await storage.list(nodeKey(id, 'model/'))).includes(nodeKey(id, 'model/model.safetensors'));
}

export async function loadModel(storage: RunStorage, id: string): Promise<BertForMaskedLM> {
  const files = new Map<string, Uint8Array>();
  for (const name of ['config.json', 'model.safetensors']) {
    const b = await storage.getBytes(nodeKey(id, `model/${name}`));
    if (!b) throw new Error(`node '${id}': its saved model has no ${name}`);
    files.set(name, b);
  }
  return modelFromHfFiles(files);
}

export async function saveEval(storage: RunStorage, id: string, result: EvaluationResult): Promise<void> {
  await storage.putJson(nodeKey(id, 'eval.json'), stamp(EVAL_SCHEMA, result));
}

export async function readEval(storage: RunStorage, id: string): Promise<EvaluationResult | undefined> {
  const raw = await storage.getJson<unknown>(nodeKey(id, 'eval.json'));
  return raw === undefined ? undefined : migrate(EVAL_SCHEMA, raw, `nodes/${id}/eval.json`);
}

// ---- loss history ------------------------------------------------------------------------------------------

export async function saveHistory(storage: RunStorage, id: string, points: HistoryPoint[], validation: ValidationPoint[] = []): Promise<void> {
  await storage.putJson(nodeKey(id, 'history.json'), stamp(HISTORY_SCHEMA, { points, validation }));
}

/** The loss history and the validation curve (a history written before validation existed reads with none). */
export async function readHistoryFile(storage: RunStorage, id: string): Promise<{ points: HistoryPoint[]; validation: ValidationPoint[] }> {
  const raw = await storage.getJson<unknown>(nodeKey(id, 'history.json'));
  if (raw === undefined) return { points: [], validation: [] };
  const h = migrate(HISTORY_SCHEMA, raw, `nodes/${id}/history.json`);
  return { points: h.points, validation: h.validation };
}

export async function readHistory(storage: RunStorage, id: string): Promise<HistoryPoint[]> {
  return (await readHistoryFile(storage, id)).points;
}

export async function readValidation(storage: RunStorage, id: string): Promise<ValidationPoint[]> {
  return (await readHistoryFile(storage, id)).validation;
}

// ---- train-state (mid-stage checkpoint) ---------------------------------------------------------------------

/**
 * Serialises any plain structure whose leaves are JSON values, Float32Array / Int32Array / Uint8Array, Maps or
 * undefined: typed arrays go into one binary blob, the rest stays JSON with references into it. Independent of
 * the exact shape of the training module's TrainState.
 */
export function packState(value: unknown): { json: unknown; bytes: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const walk = (v: unknown): unknown => {
    if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array || v instanceof Float64Array) {
      const kind = v.constructor.name;
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
      const pad = (8 - (offset % 8)) % 8; // keep every array 8-byte aligned
      if (pad) chunks.push(new Uint8Array(pad));
      offset += pad;
      const ref = { $array: kind, offset, length: v.length };
      chunks.push(bytes);
      offset += bytes.byteLength;
      return ref;
    }
    if (v instanceof Map) return { $map: [...v.entries()].map(([k, x]) => [walk(k), walk(x)]) };
    if (v === undefined) return { $undefined: true };
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      if (ArrayBuffer.isView(v)) throw new Error(`packState: unsupported typed array ${v.constructor.name}`);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
      throw new Error(`packState: cannot store a ${typeof v}`);
    return v;
  };
  const json = walk(value);
  const bytes = new Uint8Array(offset);
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.byteLength;
  }
  return { json, bytes };
}

export function unpackState<T>(json: unknown, bytes: Uint8Array): T {
  const ctors = { Float32Array, Int32Array, Uint8Array, Float64Array } as const;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$array === 'string') {
      const C = ctors[o.$array as keyof typeof ctors];
      if (!C) throw new Error(`train-state: unknown array kind ${o.$array}`);
      const off = o.offset as number;
      const len = o.length as number;
      const nbytes = len * C.BYTES_PER_ELEMENT;
      if (off + nbytes > bytes.byteLength) throw new Error('train-state: tensors file is truncated');
      const copy = bytes.slice(off, off + nbytes); // own, aligned buffer
      return new C(copy.buffer, 0, len);
    }
    if (Array.isArray(o.$map)) return new Map((o.$map as [unknown, unknown][]).map(([k, x]) => [walk(k), walk(x)]));
    if (o.$undefined === true) return undefined;
    if (typeof o.$number === 'string') return Number(o.$number);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = walk(x);
    return out;
  };
  return walk(json) as T;
}

/** The largest storage entry a checkpoint writes (no IndexedDB record, no single write, holds more). */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

/** 32-bit FNV-1a of bytes (a cheap checksum of each chunk, to name a damaged one). */
function checksum(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

type ArrayKind = 'Float32Array' | 'Int32Array' | 'Uint8Array' | 'Float64Array';
const CTORS = { Float32Array, Int32Array, Uint8Array, Float64Array } as const;

/**
 * Saves a mid-stage checkpoint (train-state index schema 2): every typed array of the state is written as its own
 * storage entries, `train-state/<tag>/<i>.<part>.bin`, each at most `chunkBytes` with a checksum, one array at a
 * time (never one buffer of the whole state); then the index `train-state/state.json`, which references them, is
 * written last; then older checkpoints are removed. There is always one complete checkpoint on storage.
 */
export async function saveTrainState(storage: RunStorage, id: string, state: unknown, chunkBytes = MAX_CHUNK_BYTES): Promise<void> {
  const tag = `t-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  let n = 0;
  const arrays: { kind: ArrayKind; length: number; parts: { key: string; bytes: number; fnv: number }[] }[] = [];
  const walk = async (leaf: unknown): Promise<unknown> => {
    // a lazily read tensor (training's checkpoint): read now, written, then released before the next one
    const v = isLazyArray(leaf) ? await leaf.read() : leaf;
    if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array || v instanceof Float64Array) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      const i = n++;
      const parts: { key: string; bytes: number; fnv: number }[] = [];
      for (let off = 0, p = 0; off < bytes.byteLength || p === 0; off += chunkBytes, p++) {
        const part = bytes.subarray(off, Math.min(bytes.byteLength, off + chunkBytes));
        const key = `train-state/${tag}/${i}.${p}.bin`;
        await storage.putBytes(nodeKey(id, key), part);
        parts.push({ key, bytes: part.byteLength, fnv: checksum(part) });
      }
      arrays.push({ kind: v.constructor.name as ArrayKind, length: v.length, parts });
      return { $chunked: i };
    }
    if (v instanceof Map) {
      // one entry after the other: each lazily read tensor is written and released before the next is read
      const entries: unknown[] = [];
      for (const [k, x] of v) entries.push([await walk(k), await walk(x)]);
      return { $map: entries };
    }
    if (v === undefined) return { $undefined: true };
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) out.push(await walk(x));
      return out;
    }
    if (v !== null && typeof v === 'object') {
      if (ArrayBuffer.isView(v)) throw new Error(`saveTrainState: unsupported typed array ${v.constructor.name}`);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await walk(x);
      return out;
    }
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error(`saveTrainState: cannot store a ${typeof v}`);
    return v;
  };
  const json = await walk(state);
  await storage.putJson(
    nodeKey(id, 'train-state/state.json'),
    stamp(TRAIN_STATE_INDEX_SCHEMA, { tensors: tag, savedAt: Date.now(), state: json, arrays }),
  );
  for (const key of await storage.list(nodeKey(id, 'train-state/')))
    if (!key.endsWith('/train-state/state.json') && !key.includes(`/train-state/${tag}/`)) await storage.deletePrefix(key);
}

export async function loadTrainState<T>(storage: RunStorage, id: string, onFound?: () => void): Promise<T | undefined> {
  const raw = await storage.getJson<unknown>(nodeKey(id, 'train-state/state.json'));
  if (raw === undefined) return undefined;
  onFound?.(); // the index is there: its arrays (1.2 GB at bert-base) are read next
  const idx: TrainStateIndex = migrate(TRAIN_STATE_INDEX_SCHEMA, raw, `nodes/${id}/train-state/state.json`);
  if (!idx.arrays) {
    // schema 1: one tensors file the JSON points into with offsets
    const bytes = await storage.getBytes(nodeKey(id, `train-state/${idx.tensors}`));
    if (!bytes) throw new Error(`node '${id}': train-state/${idx.tensors} is missing`);
    return unpackState<T>(idx.state, bytes);
  }
  const read = async (i: number): Promise<unknown> => {
    const a = idx.arrays![i];
    if (!a) throw new Error(`node '${id}': train-state/state.json references array ${i}, which it does not list`);
    const C = CTORS[a.kind];
    if (!C) throw new Error(`node '${id}': train-state: unknown array kind ${a.kind}`);
    const out = new Uint8Array(a.length * C.BYTES_PER_ELEMENT);
    let off = 0;
    for (const p of a.parts) {
      const b = await storage.getBytes(nodeKey(id, p.key));
      if (!b) throw new Error(`node '${id}': ${p.key} is missing`);
      if (b.byteLength !== p.bytes || checksum(b) !== p.fnv) throw new Error(`node '${id}': ${p.key} is damaged (its checksum or size differs from the index)`);
      if (off + b.byteLength > out.byteLength) throw new Error(`node '${id}': ${p.key} is longer than its array`);
      out.set(b, off);
      off += b.byteLength;
    }
    if (off !== out.byteLength) throw new Error(`node '${id}': train-state array ${i} is truncated`);
    return new C(out.buffer, 0, a.length);
  };
  const walk = async (v: unknown): Promise<unknown> => {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) out.push(await walk(x));
      return out;
    }
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$chunked === 'number') return read(o.$chunked);
    if (Array.isArray(o.$map)) {
      const m = new Map();
      for (const [k, x] of o.$map as [unknown, unknown][]) m.set(await walk(k), await walk(x));
      return m;
    }
    if (o.$undefined === true) return undefined;
    if (typeof o.$number === 'string') return Number(o.$number);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = await walk(x);
    return out;
  };
  return (await walk(idx.state)) as T;
}

export async function clearTrainState(storage: RunStorage, id: string): Promise<void> {
  await storage.deletePrefix(nodeKey(id, 'train-state/'));
}

/** Removes everything stored for a node. */
export async function clearNode(storage: RunStorage, id: string): Promise<void> {
  await storage.deletePrefix(`nodes/${id}/`);
}
