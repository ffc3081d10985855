// Whether a node stored by an earlier run is still what the recipe asks for. Configs are compared resolved (every
// default filled in), so writing a default out is no change; a node whose raw config is unchanged but which today's
// defaults resolve differently was made under older defaults: kept when done (its record names the fields), started
// over when unfinished.
import type { NodeRecord } from '../lab/nodeRecord';
import type { RecipeNode } from './recipe';

/** JSON with sorted keys, to compare configs regardless of key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Dotted paths of the leaves where two resolved configs differ. */
export function differingFields(a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differingFields(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return stableJson(a) === stableJson(b) ? [] : [prefix || '(config)'];
}

/** 32-bit FNV-1a of a string, as 8 hex digits. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}


/**
 * Settings that change how a step is computed in memory, or when the training state is saved, but not what is
 * computed (the same update, up to float rounding; a resume is exact from any checkpoint): a node stays the same
 * node when only these change, so it can resume with a smaller micro-batch, and a default checkpoint interval
 * added later does not make finished nodes look made under older defaults.
 */
export const MEMORY_ONLY_FIELDS: readonly string[] = ['microBatchSize', 'recomputeLayers', 'checkpointEverySteps', 'checkpointEveryMinutes'];

function withoutMemoryKnobs(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out = { ...(v as Record<string, unknown>) };
  for (const k of MEMORY_ONLY_FIELDS) delete out[k];
  return out;
}

export type StoredVerdict =
  | { action: 'redo'; message?: string; level?: 'info' | 'warn' }
  | { action: 'keep'; record: NodeRecord | undefined; message?: string; level?: 'info' | 'warn' };

/** What to do with the stored record of a recipe node (undefined: nothing stored). */
export function judgeStoredNode(
  st: NodeRecord | undefined,
  n: RecipeNode,
  resolved: unknown,
  inputs: string,
  dependencyRedone: boolean,
): StoredVerdict {
  if (!st) return { action: 'keep', record: undefined };
  const same = (a: unknown, b: unknown) => stableJson(withoutMemoryKnobs(a)) === stableJson(withoutMemoryKnobs(b));
  const sameRaw = same(st.config, n.config);
  const sameResolved = st.resolved === undefined ? sameRaw : same(st.resolved, resolved);
  const changed =
    st.stage !== n.stage ||
    st.parent !== n.parent ||
    (!sameRaw && !sameResolved) ||
    (st.inputs !== undefined && st.inputs !== inputs) ||
    dependencyRedone;
  if (changed) return { action: 'redo', message: `node '${n.id}': its recipe, its inputs (data, vocabulary) or an ancestor changed; redoing it` };
  if (sameRaw && !sameResolved) {
    const fields = differingFields(st.resolved, resolved);
    if (st.status === 'done')
      return {
        action: 'keep',
        record: { ...st, olderDefaults: fields },
        level: 'warn',
        message: `node '${n.id}' was made under older defaults (${fields.join(', ')} differ from today's); it is kept — delete it to train it again with today's`,
      };
    return { action: 'redo', level: 'warn', message: `node '${n.id}': today's defaults differ from those it started with (${fields.join(', ')}); it starts over` };
  }
  // the same model under another spelling keeps its record, with the config as now written
  const spelledAlike = stableJson(st.config) === stableJson(n.config);
  return { action: 'keep', record: spelledAlike ? st : { ...st, config: n.config as Record<string, unknown>, resolved } };
}
