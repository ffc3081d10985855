import { describe, expect, it } from 'vitest';
import { PickledTensor, PyGlobal, unpickle } from './pickle';
import { readPytorchBin } from './pytorchBin';
import { PickleWriter, f32Storage, torchSaveZip } from './testing/torchSave';

const opts = { fileName: 'pytorch_model.bin' };
const refusal = (q: string) =>
  `pytorch_model.bin: refused global '${q}': a state dict needs only OrderedDict, _rebuild_tensor_v2 and storages (unpickling other globals would run code)`;

describe('restricted unpickler', () => {
  it('reads the values a state dict pickle holds', () => {
    const w = new PickleWriter().proto().emptyDict().put(0).mark();
    w.str('ints').mark().int(5).int(300).int(70000).int(-2).long(2n ** 70n).long(-1n).tuple();
    w.str('flags').mark().bool(true).bool(false).none().tuple();
    w.str('list').emptyList().mark().str('a').str('中文').appends();
    w.str('again').get(0);
    w.str('od').global('collections', 'OrderedDict').emptyTuple().reduce();
    const { value, end } = unpickle(w.setItems().stop().bytes(), 0, opts);
    const d = value as Map<string, unknown>;
    expect(d.get('ints')).toEqual([5, 300, 70000, -2, 2n ** 70n, -1]);
    expect(d.get('flags')).toEqual([true, false, null]);
    expect(d.get('list')).toEqual(['a', '中文']);
    expect(d.get('again')).toBe(d); // memo: the same object
    expect(d.get('od')).toEqual(new Map());
    expect(end).toBe(w.bytes().length);
  });

  it('turns _rebuild_tensor_v2 into a PickledTensor around what persistentLoad returns', () => {
    const w = new PickleWriter().proto().global('torch._utils', '_rebuild_tensor_v2').mark();
    w.mark().str('storage').global('torch', 'HalfStorage').str('7').str('cpu').int(12).tuple().persId();
    w.int(2).ints([2, 5]).ints([5, 1]).bool(false).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce().stop();
    const pids: unknown[] = [];
    const { value } = unpickle(w.bytes(), 0, { ...opts, persistentLoad: (pid) => (pids.push(pid), 'S') });
    expect(value).toEqual(new PickledTensor('S', 2, [2, 5], [5, 1]));
    expect(pids).toEqual([['storage', new PyGlobal('torch', 'HalfStorage'), '7', 'cpu', 12]]);
  });

  it.each([
    ['os', 'system'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['posix', 'system'],
    ['torch.nn.modules.module', 'Module'],
    ['torch._utils', '_rebuild_parameter'],
    ['torch', 'load'],
    ['collections', 'defaultdict'],
  ])('refuses the global %s.%s (GLOBAL, STACK_GLOBAL and INST), naming it', (module, name) => {
    const viaGlobal = new PickleWriter().proto().global(module, name).mark().str('echo pwned').tuple().reduce().stop().bytes();
    expect(() => unpickle(viaGlobal, 0, opts)).toThrow(refusal(`${module}.${name}`));
    const viaStack = new PickleWriter().proto().str(module).str(name).raw(0x93).emptyTuple().reduce().stop().bytes();
    expect(() => unpickle(viaStack, 0, opts)).toThrow(refusal(`${module}.${name}`));
    const enc = new TextEncoder();
    const viaInst = new PickleWriter().proto().mark().raw(0x69, ...enc.encode(`${module}\n${name}\n`)).stop().bytes();
    expect(() => unpickle(viaInst, 0, opts)).toThrow(refusal(`${module}.${name}`));
  });

  it('refuses calling a storage type, instantiating objects, and unknown opcodes', () => {
    const callStorage = new PickleWriter().proto().global('torch', 'FloatStorage').emptyTuple().reduce().stop().bytes();
    expect(() => unpickle(callStorage, 0, opts)).toThrow(/refused call of 'torch.FloatStorage'/);
    const newobj = new PickleWriter().proto().global('collections', 'OrderedDict').emptyTuple().raw(0x81).stop().bytes();
    expect(() => unpickle(newobj, 0, opts)).toThrow(/refused opcode .*NEWOBJ|refused opcode \(0x81\).*instantiating 'collections.OrderedDict'/);
    const ext = new PickleWriter().proto().raw(0x82, 1).stop().bytes(); // EXT1: the copyreg extension registry
    expect(() => unpickle(ext, 0, opts)).toThrow(/pytorch_model.bin: unsupported pickle opcode \(0x82\) at byte 2/);
    const build = new PickleWriter().proto().emptyList().emptyDict().build().stop().bytes();
    expect(() => unpickle(build, 0, opts)).toThrow(/refused BUILD at byte 4 on a list/);
    const pers = new PickleWriter().proto().str('x').persId().stop().bytes();
    expect(() => unpickle(pers, 0, opts)).toThrow(/unexpected persistent id/);
  });

  it('refuses a disallowed global inside a real zip checkpoint, naming the file and the global', () => {
    const evil = new PickleWriter().proto().global('os', 'system').mark().str('rm -rf /').tuple().reduce().stop().bytes();
    const bytes = torchSaveZip([], new Map([['0', f32Storage([1, 2])]]), { pickle: evil });
    expect(() => readPytorchBin(bytes, 'evil/pytorch_model.bin')).toThrow(
      "evil/pytorch_model.bin: refused global 'os.system': a state dict needs only OrderedDict, _rebuild_tensor_v2 and storages (unpickling other globals would run code)",
    );
  });

  it('reports truncated and corrupt pickles with the byte offset', () => {
    const ok = new PickleWriter().proto().emptyDict().mark().str('key').int(1).setItems().stop().bytes();
    expect(() => unpickle(ok.subarray(0, 8), 0, opts)).toThrow(/pytorch_model.bin: truncated pickle: opcode at byte 4 needs 4 more byte\(s\) but the file ends at byte 8/);
    expect(() => unpickle(ok.subarray(0, ok.length - 1), 0, opts)).toThrow(/truncated pickle/);
    const underflow = new PickleWriter().proto().mark().tuple().raw(0x86).stop().bytes();
    expect(() => unpickle(underflow, 0, opts)).toThrow(/stack underflow at byte 4/);
    const memo = new PickleWriter().proto().get(9).stop().bytes();
    expect(() => unpickle(memo, 0, opts)).toThrow(/memo entry 9 read at byte 2 was never stored/);
  });
});
