// A model's weights in one SharedArrayBuffer, so every worker of a pool reads the same bytes: copied once from the
// main thread's arrays, never re-read from disk or structured-cloned per worker. Each worker then uploads them into
// its own backend (its own copy, as a TF.js-WASM heap is per thread).
import type { StateTensor } from '../../core/model/stateDict';

export interface SharedWeights {
  buffer: SharedArrayBuffer;
  /** where each tensor lies in `buffer`, in float32 elements */
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

export function shareWeights(state: ReadonlyMap<string, StateTensor>): SharedWeights {
  let total = 0;
  const tensors: SharedWeights['tensors'] = [];
  for (const [name, t] of state) {
    tensors.push({ name, shape: [...t.shape], offset: total, length: t.data.length });
    total += t.data.length;
  }
  const buffer = new SharedArrayBuffer(total * Float32Array.BYTES_PER_ELEMENT);
  const all = new Float32Array(buffer);
  for (const { name, offset } of tensors) all.set(state.get(name)!.data, offset);
  return { buffer, tensors };
}

/** The tensors as views into the shared buffer (no copy). */
export function sharedStateDict(w: SharedWeights): Map<string, StateTensor> {
  return new Map(
    w.tensors.map(({ name, shape, offset, length }) => [name, { shape, data: new Float32Array(w.buffer, offset * 4, length) }]),
  );
}
