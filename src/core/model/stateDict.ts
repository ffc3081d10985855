// Matching a Hugging Face state_dict (names + PyTorch layouts) to the parameters a BertConfig needs.
import type { BertConfig } from './bertConfig';
import { TIED_PARAMETERS, numel, parameterSpecs } from './parameterSpecs';

export interface StateTensor {
  dtype?: string;
  shape: number[];
  data: Float32Array;
}

export class StateDictError extends Error {
  constructor(
    message: string,
    readonly missing: string[],
    readonly mismatched: string[],
  ) {
    super(message);
    this.name = 'StateDictError';
  }
}

const IGNORED: { re: RegExp; why: string }[] = [
  { re: /^bert\.pooler\./, why: 'pooler (unused by BertForMaskedLM)' },
  { re: /^cls\.seq_relationship\./, why: 'next-sentence-prediction head (unused by BertForMaskedLM)' },
  { re: /^bert\.embeddings\.position_ids$/, why: 'position_ids buffer' },
];

/** Standard key variants: bare BertModel keys (no `bert.`), and old LayerNorm `gamma`/`beta` names. */
export function normalizeKey(key: string): string {
  let k = key;
  if (/^(embeddings|encoder|pooler)\./.test(k)) k = 'bert.' + k;
  k = k.replace(/(LayerNorm)\.gamma$/, '$1.weight').replace(/(LayerNorm)\.beta$/, '$1.bias');
  return k;
}

/**
 * Returns the parameters of `config` (HF names and layouts) found in `tensors`, plus notices for ignored keys.
 * Throws one StateDictError listing every missing or mis-shaped tensor.
 */
export function resolveStateDict(
  config: BertConfig,
  tensors: Map<string, StateTensor>,
): { params: Map<string, StateTensor>; notices: string[] } {
  const notices: string[] = [];
  const byName = new Map<string, StateTensor>();
  const ignored = new Map<string, string[]>();
  for (const [rawKey, t] of tensors) {
    const key = normalizeKey(rawKey);
    const ig = IGNORED.find((i) => i.re.test(key));
    if (ig) {
      const list = ignored.get(ig.why) ?? [];
      list.push(rawKey);
      ignored.set(ig.why, list);
      continue;
    }
    if (byName.has(key)) notices.push(`duplicate key '${rawKey}' (normalised to '${key}') ignored`);
    else byName.set(key, t);
  }
  for (const [why, keys] of ignored) notices.push(`ignored ${keys.length} ${why} tensor(s): ${keys.join(', ')}`);

  // tied aliases: used only when the parameter they alias is absent
  for (const [alias, target] of Object.entries(TIED_PARAMETERS)) {
    const t = byName.get(alias);
    if (!t) continue;
    byName.delete(alias);
    if (!byName.has(target)) {
      byName.set(target, t);
      notices.push(`'${target}' taken from its tied alias '${alias}'`);
    }
  }

  const params = new Map<string, StateTensor>();
  const missing: string[] = [];
  const mismatched: string[] = [];
  const specs = parameterSpecs(config);
  const wanted = new Set(specs.map((s) => s.name));
  for (const spec of specs) {
    const t = byName.get(spec.name);
    if (!t) {
      missing.push(spec.name);
      continue;
    }
    const shapeOk = t.shape.length === spec.hfShape.length && t.shape.every((d, i) => d === spec.hfShape[i]);
    if (!shapeOk) {
      mismatched.push(`${spec.name} has shape [${t.shape.join(', ')}], expected [${spec.hfShape.join(', ')}]`);
      continue;
    }
    if (!(t.data instanceof Float32Array) || t.data.length !== numel(spec.hfShape)) {
      mismatched.push(`${spec.name} has ${t.data?.length ?? 0} values, expected ${numel(spec.hfShape)} float32`);
      continue;
    }
    params.set(spec.name, t);
  }
  const unexpected = [...byName.keys()].filter((k) => !wanted.has(k));
  if (unexpected.length) notices.push(`ignored ${unexpected.length} unexpected tensor(s): ${unexpected.join(', ')}`);
  if (missing.length || mismatched.length) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${missing.length} tensor(s): ${missing.join(', ')}`);
    if (mismatched.length) parts.push(`${mismatched.length} mis-shaped tensor(s): ${mismatched.join('; ')}`);
    throw new StateDictError(
      `weights do not match the config (${config.numHiddenLayers} layers, hidden ${config.hiddenSize}, vocab ${config.vocabSize}): ${parts.join('; ')}`,
      missing,
      mismatched,
    );
  }
  return { params, notices };
}
