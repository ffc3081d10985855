// Own restricted unpickler: npm's pickle readers (pickleparser, jpickle) are general-purpose, not torch-aware and do
// not refuse globals, and a state dict needs only ~30 opcodes and five globals, so the safe subset is small enough to own.
//
// Reads the pickle opcodes of protocols 0–2 that torch.save emits (plus the few inert protocol 3/4 ones: bytes, short
// strings, FRAME, MEMOIZE, STACK_GLOBAL). Nothing is ever called: the only "callables" are a fixed allowlist that this
// file implements itself (OrderedDict → Map, _rebuild_tensor_v2 → PickledTensor); storage types may appear only
// inside persistent ids. Every other global, and INST/OBJ/NEWOBJ, is refused with an error naming it.

/** A Python value as read here: null, boolean, number, bigint (ints beyond 2^53), string, Uint8Array (bytes),
 *  array (tuple or list), Map (dict / OrderedDict), PyGlobal, PickledTensor, or what persistentLoad returned. */
export type PyValue = unknown;

export class PickleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PickleError';
  }
}

/** A reference to an allowed global (a storage type, or one of the allowed callables before it is applied). */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** What torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, ...) describes, not yet materialised. */
export class PickledTensor {
  constructor(
    /** whatever persistentLoad returned for the storage's persistent id */
    readonly storage: unknown,
    readonly storageOffset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

/** Storage classes a state dict may name, with the safetensors dtype of their elements and the element size. */
export const STORAGE_TYPES: Record<string, { dtype: string; bytes: number }> = {
  FloatStorage: { dtype: 'F32', bytes: 4 },
  HalfStorage: { dtype: 'F16', bytes: 2 },
  BFloat16Storage: { dtype: 'BF16', bytes: 2 },
  DoubleStorage: { dtype: 'F64', bytes: 8 },
  LongStorage: { dtype: 'I64', bytes: 8 },
  IntStorage: { dtype: 'I32', bytes: 4 },
  ShortStorage: { dtype: 'I16', bytes: 2 },
  CharStorage: { dtype: 'I8', bytes: 1 },
  ByteStorage: { dtype: 'U8', bytes: 1 },
  BoolStorage: { dtype: 'BOOL', bytes: 1 },
};

const ORDERED_DICT = 'collections.OrderedDict';
const REBUILD_TENSOR = 'torch._utils._rebuild_tensor_v2';

function isAllowedGlobal(module: string, name: string): boolean {
  const q = `${module}.${name}`;
  return q === ORDERED_DICT || q === REBUILD_TENSOR || (module === 'torch' && Object.hasOwn(STORAGE_TYPES, name));
}

export interface UnpickleOptions {
  /** Names the file in every error ("pytorch_model.bin: ..."). */
  fileName: string;
  /** Called for each persistent id (BINPERSID); torch uses them for storages. Absent: persistent ids are refused. */
  persistentLoad?: (pid: PyValue) => PyValue;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Unpickles one pickle starting at `start` of `bytes`; returns the value and the offset just past its STOP opcode
 * (the legacy torch format is several pickles in a row).
 */
export function unpickle(bytes: Uint8Array, start: number, opts: UnpickleOptions): { value: PyValue; end: number } {
  const file = opts.fileName;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (msg: string): never => {
    throw new PickleError(`${file}: ${msg}`);
  };
  const refuse = (q: string): never =>
    fail(
      `refused global '${q}': a state dict needs only OrderedDict, _rebuild_tensor_v2 and storages (unpickling other globals would run code)`,
    );
  let pos = start;
  let opAt = start;
  const need = (n: number) => {
    if (pos + n > bytes.byteLength)
      fail(`truncated pickle: opcode at byte ${opAt} needs ${n} more byte(s) but the file ends at byte ${bytes.byteLength}`);
  };
  const u8 = () => (need(1), bytes[pos++]!);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const i32 = () => (need(4), (pos += 4), dv.getInt32(pos - 4, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const u64 = () => {
    need(8);
    pos += 8;
    const v = dv.getBigUint64(pos - 8, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`length ${v} at byte ${pos - 8} is implausible (corrupt file?)`);
    return Number(v);
  };
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const utf8 = (n: number) => {
    const b = take(n);
    try {
      return decoder.decode(b);
    } catch {
      return fail(`string at byte ${pos - n} is not valid UTF-8`);
    }
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail(`truncated pickle: unterminated text argument at byte ${pos}`);
    const s = new TextDecoder('latin1').decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };

  const stack: PyValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  const pop = (): PyValue => {
    if (stack.length === 0 || (marks.length && stack.length <= marks[marks.length - 1]!))
      fail(`corrupt pickle: stack underflow at byte ${opAt}`);
    return stack.pop();
  };
  const top = (): PyValue => {
    if (stack.length === 0) fail(`corrupt pickle: empty stack at byte ${opAt}`);
    return stack[stack.length - 1];
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) fail(`corrupt pickle: no MARK for the opcode at byte ${opAt}`);
    return stack.splice(m!);
  };
  const asMap = (v: PyValue, what: string): Map<PyValue, PyValue> =>
    v instanceof Map ? v : fail(`corrupt pickle: ${what} at byte ${opAt} applies to a ${describe(v)}, not a dict`);
  const asList = (v: PyValue): PyValue[] =>
    Array.isArray(v) && !Object.isFrozen(v) ? v : fail(`corrupt pickle: APPEND at byte ${opAt} applies to a ${describe(v)}, not a list`);
  const pushGlobal = (module: string, name: string) => {
    if (!isAllowedGlobal(module, name)) refuse(`${module}.${name}`);
    stack.push(new PyGlobal(module, name));
  };
  const tuple = (items: PyValue[]) => Object.freeze(items);

  for (;;) {
    opAt = pos;
    const op = u8();
    switch (op) {
      case 0x80: { // PROTO
        const p = u8();
        if (p > 5) fail(`pickle protocol ${p} is not supported`);
        break;
      }
      case 0x95: // FRAME (protocol 4): a length hint only
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`corrupt pickle: STOP at byte ${opAt} with ${stack.length} values on the stack`);
        return { value: stack[0], end: pos };
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple([]));
        break;
      case 0x74: // TUPLE
        stack.push(tuple(popMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(tuple([pop()]));
        break;
      case 0x86: { // TUPLE2
        const b = pop();
        stack.push(tuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(tuple([pop(), b, c]));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: { // LONG_BINGET
        const i = op === 0x68 ? u8() : u32();
        if (!memo.has(i)) fail(`corrupt pickle: memo entry ${i} read at byte ${opAt} was never stored`);
        stack.push(memo.get(i));
        break;
      }
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
      case 0x8b: { // LONG4
        const n = op === 0x8a ? u8() : u32();
        const b = take(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (n > 0 && b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        stack.push(dv.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8(u64()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        asMap(top(), 'SETITEM').set(k, v);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        if (items.length % 2) fail(`corrupt pickle: SETITEMS at byte ${opAt} has an odd number of values`);
        const d = asMap(top(), 'SETITEMS');
        for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        asList(top()).push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        asList(top()).push(...items);
        break;
      }
      case 0x63: { // GLOBAL
        const module = line();
        pushGlobal(module, line());
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail(`corrupt pickle: STACK_GLOBAL at byte ${opAt} needs two strings`);
        pushGlobal(module as string, name as string);
        break;
      }
      case 0x69: { // INST: module and name as text lines, then instantiates
        const module = line();
        refuse(`${module}.${line()}`);
        break;
      }
      case 0x6f: // OBJ
      case 0x81: // NEWOBJ
      case 0x92: { // NEWOBJ_EX
        const cls = op === 0x6f ? undefined : op === 0x81 ? stack[stack.length - 2] : stack[stack.length - 3];
        fail(
          `refused opcode ${opName(op)} at byte ${opAt}${cls instanceof PyGlobal ? ` (instantiating '${cls.qualifiedName}')` : ''}: a state dict never instantiates objects`,
        );
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(reduce(fn, args));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        // torch.save pickles a state dict's `_metadata` attribute as the OrderedDict's BUILD state: not needed here.
        if (!(obj instanceof Map)) fail(`refused BUILD at byte ${opAt} on a ${describe(obj)}: only an OrderedDict's state is accepted`);
        void state;
        break;
      }
      case 0x51: { // BINPERSID
        const pid = pop();
        if (!opts.persistentLoad) fail(`unexpected persistent id at byte ${opAt}`);
        stack.push(opts.persistentLoad!(pid));
        break;
      }
      default:
        fail(`unsupported pickle opcode ${opName(op)} at byte ${opAt} (not part of a torch state dict; damaged file?)`);
    }
  }

  function reduce(fn: PyValue, args: PyValue): PyValue {
    if (!(fn instanceof PyGlobal)) return fail(`refused REDUCE at byte ${opAt}: calls a ${describe(fn)}, not an allowed global`);
    if (!Array.isArray(args)) return fail(`corrupt pickle: REDUCE at byte ${opAt} has ${describe(args)} arguments`);
    const q = fn.qualifiedName;
    if (q === ORDERED_DICT) {
      const d = new Map<PyValue, PyValue>();
      if (args.length === 0) return d;
      if (args.length === 1 && Array.isArray(args[0])) {
        for (const kv of args[0] as PyValue[]) {
          if (!Array.isArray(kv) || kv.length !== 2) return fail(`corrupt pickle: OrderedDict at byte ${opAt} takes (key, value) pairs`);
          d.set(kv[0], kv[1]);
        }
        return d;
      }
      return fail(`corrupt pickle: OrderedDict at byte ${opAt} called with ${args.length} argument(s)`);
    }
    if (q === REBUILD_TENSOR) {
      if (args.length < 4) return fail(`corrupt pickle: _rebuild_tensor_v2 at byte ${opAt} has ${args.length} argument(s), needs at least 4`);
      const [storage, offset, size, stride] = args as PyValue[];
      const ints = (v: PyValue, what: string): number[] =>
        Array.isArray(v) && v.every((x) => Number.isInteger(x) && (x as number) >= 0)
          ? [...(v as number[])]
          : fail(`corrupt pickle: _rebuild_tensor_v2 at byte ${opAt} has a bad ${what} ${describe(v)}`);
      if (!Number.isInteger(offset) || (offset as number) < 0)
        return fail(`corrupt pickle: _rebuild_tensor_v2 at byte ${opAt} has a bad storage offset ${describe(offset)}`);
      const shape = ints(size, 'size');
      const strides = ints(stride, 'stride');
      if (strides.length !== shape.length)
        return fail(`corrupt pickle: _rebuild_tensor_v2 at byte ${opAt}: size has ${shape.length} dims but stride ${strides.length}`);
      return new PickledTensor(storage, offset as number, shape, strides);
    }
    return fail(`refused call of '${q}' at byte ${opAt}: storage types may appear only in persistent ids`);
  }
}

function describe(v: PyValue): string {
  if (v === null) return 'None';
  if (v instanceof Map) return 'dict';
  if (Array.isArray(v)) return Object.isFrozen(v) ? `tuple of ${v.length}` : `list of ${v.length}`;
  if (v instanceof PyGlobal) return `global '${v.qualifiedName}'`;
  if (v instanceof PickledTensor) return 'tensor';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v === 'string' ? `string '${v.slice(0, 40)}'` : `${typeof v} ${String(v)}`;
}

function opName(op: number): string {
  const c = op >= 0x20 && op < 0x7f ? `'${String.fromCharCode(op)}' ` : '';
  return `${c}(0x${op.toString(16).padStart(2, '0')})`;
}
