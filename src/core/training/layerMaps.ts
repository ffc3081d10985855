/**
 * Which student layer learns from which teacher layer in intermediate-layer distillation.
 *
 * Indices:
 * - `hidden` pairs use hidden-state indices as HF's `output_hidden_states` returns them: 0 = embedding output,
 *   i = output of encoder layer i (1-based), up to numHiddenLayers.
 * - `attn` pairs use 1-based encoder layer numbers (attention probabilities of layer i).
 * Loss terms are named by the student index: 'hidden/<student>', 'attn/<student>'.
 */
export interface LayerPair {
  student: number;
  teacher: number;
}

export interface LayerMap {
  hidden: LayerPair[];
  attn: LayerPair[];
}

/** JSON form used in stage configs. Explicit pairs are [student, teacher] in the index conventions above. */
export type LayerMapSpec =
  | 'study'
  | 'pkd-skip'
  | 'pkd-last'
  | { hidden?: [number, number][]; attn?: [number, number][] };

export const NAMED_LAYER_MAPS = ['study', 'pkd-skip', 'pkd-last'] as const;

export class LayerMapError extends Error {
  override name = 'LayerMapError';
}

/**
 * Resolve a layer-map spec for a student of `studentLayers` and a teacher of `teacherLayers` encoder layers.
 *
 * - 'study' mirrors distil.py exactly for 12 -> 6:
 *       for e in range(6):
 *           loss += F.mse_loss(outputs.hidden_states[e], tea_outputs.hidden_states[e*2])
 *           loss += F.mse_loss(outputs.attentions[e], tea_outputs.attentions[e*2])
 *   hidden: student e <-> teacher 2e for e = 0..5 (index 0 = embeddings; the student's last hidden state, 6, is
 *   not matched); attention (0-based list index e = 1-based layer e+1): student layer k <-> teacher layer 2k-1 for
 *   k = 1..6. Other depths use the ratio r = Lt/Ls: hidden e <-> floor(e*r), e = 0..Ls-1; attention
 *   k <-> floor((k-1)*r)+1, k = 1..Ls.
 * - 'pkd-skip' (Patient KD, skip): student layer i <-> teacher layer floor(i*Lt/Ls), i = 1..Ls, for both hidden
 *   states (layer outputs) and attentions.
 * - 'pkd-last' (Patient KD, last): student layer i <-> teacher layer Lt-Ls+i, i = 1..Ls.
 * - explicit pairs: checked against both depths.
 */
export function resolveLayerMap(spec: LayerMapSpec, studentLayers: number, teacherLayers: number): LayerMap {
  for (const [what, n] of [
    ['student', studentLayers],
    ['teacher', teacherLayers],
  ] as const) {
    if (!Number.isInteger(n) || n < 1) throw new LayerMapError(`${what} depth must be a positive integer, got ${n}`);
  }
  const ls = studentLayers;
  const lt = teacherLayers;
  if (typeof spec === 'string') {
    if (!(NAMED_LAYER_MAPS as readonly string[]).includes(spec)) {
      throw new LayerMapError(`unknown layer map '${spec}'; expected one of ${NAMED_LAYER_MAPS.join(', ')} or explicit pairs`);
    }
    if (ls > lt) {
      throw new LayerMapError(
        `layer map '${spec}' needs a student no deeper than its teacher; student has ${ls} layers, teacher ${lt}`,
      );
    }
    const layers = Array.from({ length: ls }, (_, i) => i + 1);
    if (spec === 'study') {
      return {
        hidden: Array.from({ length: ls }, (_, e) => ({ student: e, teacher: Math.floor((e * lt) / ls) })),
        attn: layers.map((k) => ({ student: k, teacher: Math.floor(((k - 1) * lt) / ls) + 1 })),
      };
    }
    const pairs =
      spec === 'pkd-skip'
        ? layers.map((i) => ({ student: i, teacher: Math.floor((i * lt) / ls) }))
        : layers.map((i) => ({ student: i, teacher: lt - ls + i }));
    return { hidden: pairs.map((p) => ({ ...p })), attn: pairs.map((p) => ({ ...p })) };
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new LayerMapError(`layer map must be a name or { hidden?: [s, t][], attn?: [s, t][] }, got ${JSON.stringify(spec)}`);
  }
  const unknown = Object.keys(spec).filter((k) => k !== 'hidden' && k !== 'attn');
  if (unknown.length > 0) throw new LayerMapError(`layer map has unknown keys: ${unknown.join(', ')} (expected hidden, attn)`);
  const hidden = explicitPairs('hidden', spec.hidden ?? [], 0, ls, lt);
  const attn = explicitPairs('attn', spec.attn ?? [], 1, ls, lt);
  if (hidden.length + attn.length === 0) throw new LayerMapError('explicit layer map has no pairs');
  return { hidden, attn };
}

function explicitPairs(kind: 'hidden' | 'attn', raw: unknown, min: number, ls: number, lt: number): LayerPair[] {
  if (!Array.isArray(raw)) throw new LayerMapError(`layer map '${kind}' must be an array of [student, teacher] pairs`);
  const range = kind === 'hidden' ? 'hidden-state index (0 = embeddings)' : '1-based layer';
  const seen = new Set<number>();
  return raw.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => Number.isInteger(x))) {
      throw new LayerMapError(`layer map ${kind}[${i}] must be [student, teacher] integers, got ${JSON.stringify(pair)}`);
    }
    const [s, t] = pair as [number, number];
    if (s < min || s > ls) throw new LayerMapError(`layer map ${kind}[${i}]: student ${range} ${s} is outside ${min}..${ls}`);
    if (t < min || t > lt) throw new LayerMapError(`layer map ${kind}[${i}]: teacher ${range} ${t} is outside ${min}..${lt}`);
    if (seen.has(s)) throw new LayerMapError(`layer map ${kind}[${i}]: student ${s} is mapped twice`);
    seen.add(s);
    return { student: s, teacher: t };
  });
}

/** Loss-term names of a map, e.g. ['hidden/0', 'attn/1', ...]. */
export function layerTermNames(map: LayerMap): string[] {
  return [...map.hidden.map((p) => `hidden/${p.student}`), ...map.attn.map((p) => `attn/${p.student}`)];
}
