// A node's config as short labelled fields ("layers 12 → 6", "dropout 0.3", "lr 5e-5", "batch 8", "epochs 5",
// "data 50 %") for the wizard's recipe table and the node panel, instead of its raw JSON. Pure: no React.
import type { StageKind } from '../core/experiment/recipe';
import { keptLayers } from '../core/experiment/studentFromTeacher';
import type { StudentNodeConfig } from '../core/lab/stages/studentStage';

export interface ConfigField {
  /** the config path the field shows (a few fields join two: dropout = hidden + attention) */
  key: string;
  label: string;
  value: string;
  /** a longer description (the tooltip) */
  title?: string;
}

export interface ConfigFieldsContext {
  /** layers of the student's teacher: the student's field then reads "layers 12 → 6" */
  teacherLayers?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** 5e-5, 0.002, 1 — small rates in exponent form as papers write them. */
export function fmtRate(n: number): string {
  if (n !== 0 && Math.abs(n) < 1e-3) {
    const [m, e] = n.toExponential().split('e');
    return `${Number(Number(m).toPrecision(6))}e${Number(e)}`;
  }
  return String(Number(n.toPrecision(6)));
}

const pct = (n: number) => `${Number((n * 100).toPrecision(6))} %`;

/** Any value in words, for a field without its own rule (never a JSON object). */
function plain(v: unknown): string {
  if (typeof v === 'number') return fmtRate(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map(plain).join(Array.isArray(v[0]) ? '; ' : ', ');
  if (v === null || v === undefined) return '—';
  return Object.entries(v as Obj)
    .map(([k, x]) => `${k} ${plain(x)}`)
    .join(' · ');
}

/** The rest of an object as fields, each nested value under its dotted path. */
function restFields(o: Obj, prefix: string, out: ConfigField[]): void {
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (isObj(v)) restFields(v, `${prefix}${k}.`, out);
    else out.push({ key: `${prefix}${k}`, label: `${prefix}${k}`, value: plain(v) });
  }
}

function initFields(init: unknown, out: ConfigField[]): void {
  if (init === 'pretrained') {
    out.push({ key: 'init', label: 'init', value: 'pretrained', title: 'starts from the uploaded base model' });
    return;
  }
  if (!isObj(init)) {
    if (init !== undefined) out.push({ key: 'init', label: 'init', value: plain(init) });
    return;
  }
  const { preset, layers, hidden, heads, intermediate, ...rest } = init;
  out.push({ key: 'init.preset', label: 'from scratch', value: plain(preset ?? 'preset'), title: 'random init with this preset shape' });
  if (layers !== undefined) out.push({ key: 'init.layers', label: 'layers', value: plain(layers) });
  if (hidden !== undefined) out.push({ key: 'init.hidden', label: 'hidden', value: plain(hidden) });
  if (heads !== undefined) out.push({ key: 'init.heads', label: 'heads', value: plain(heads) });
  if (intermediate !== undefined) out.push({ key: 'init.intermediate', label: 'intermediate', value: plain(intermediate) });
  restFields(rest, 'init.', out);
}

const STRATEGY_WORDS: Record<string, string> = { 'drop-top': 'drop top', 'drop-bottom': 'drop bottom', alternate: 'drop every other' };

/** How many layers the student keeps of `n` (the engine's rule), or undefined when it cannot say. */
function keptCount(c: Obj, n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  try {
    return keptLayers(c as unknown as StudentNodeConfig, n).length;
  } catch {
    return undefined;
  }
}

function studentFields(c: Obj, ctx: ConfigFieldsContext, out: ConfigField[]): void {
  const { strategy, k, keep, ...rest } = c;
  const kept = keptCount(c, ctx.teacherLayers);
  if (kept !== undefined) out.push({ key: 'layers', label: 'layers', value: `${ctx.teacherLayers} → ${kept}`, title: "the teacher's layers → the student's" });
  if (strategy === 'keep') out.push({ key: 'keep', label: 'keep', value: plain(keep ?? '—'), title: 'teacher layers kept (0-based)' });
  else out.push({ key: 'strategy', label: STRATEGY_WORDS[String(strategy)] ?? plain(strategy), value: plain(k ?? '—'), title: `strategy ${plain(strategy)}, k = ${plain(k)}` });
  restFields(rest, '', out);
}

function distillFields(d: Obj, out: ConfigField[]): void {
  const { schedule, layerMap, softForm, temperature, weights, phaseLength, ...rest } = d;
  if (schedule !== undefined) out.push({ key: 'distill.schedule', label: 'schedule', value: plain(schedule) });
  if (layerMap !== undefined) {
    const value = isObj(layerMap)
      ? Object.entries(layerMap)
          .map(([kind, pairs]) => `${kind} ${Array.isArray(pairs) ? pairs.map((p) => (Array.isArray(p) ? p.join('↔') : plain(p))).join(', ') : plain(pairs)}`)
          .join('; ')
      : plain(layerMap);
    out.push({ key: 'distill.layerMap', label: 'layer map', value, title: 'student ↔ teacher layer pairs' });
  }
  if (softForm !== undefined) out.push({ key: 'distill.softForm', label: 'soft loss', value: plain(softForm) });
  if (temperature !== undefined) out.push({ key: 'distill.temperature', label: 'T', value: plain(temperature), title: 'softmax temperature' });
  if (isObj(weights)) {
    const parts = ['hard', 'soft', 'hidden', 'attn'].filter((k) => weights[k] !== undefined);
    const extra = Object.keys(weights).filter((k) => !parts.includes(k));
    out.push({
      key: 'distill.weights',
      label: 'weights',
      value: [...parts, ...extra].map((k) => `${k} ${plain(weights[k])}`).join(' · '),
      title: 'loss-term weights',
    });
  }
  if (isObj(phaseLength)) {
    const [unit, v] = Object.entries(phaseLength)[0] ?? [];
    if (unit !== undefined) out.push({ key: 'distill.phaseLength', label: 'phase', value: `${plain(v)} ${v === 1 ? unit.replace(/s$/, '') : unit}` });
  }
  restFields(rest, 'distill.', out);
}

function trainFields(c: Obj, out: ConfigField[]): void {
  const {
    epochs,
    batchSize,
    microBatchSize,
    learningRate,
    warmupRatio,
    weightDecay,
    maxGradNorm,
    hiddenDropout,
    attentionDropout,
    trainFraction,
    seed,
    shuffle,
    checkpointEverySteps,
    recomputeLayers,
    distill,
    teacher,
    ...rest
  } = c;
  if (teacher !== undefined) out.push({ key: 'teacher', label: 'teacher', value: plain(teacher) });
  if (learningRate !== undefined) out.push({ key: 'learningRate', label: 'lr', value: plain(learningRate), title: 'learning rate' });
  if (batchSize !== undefined) out.push({ key: 'batchSize', label: 'batch', value: plain(batchSize) });
  if (microBatchSize !== undefined && microBatchSize !== 0) out.push({ key: 'microBatchSize', label: 'micro-batch', value: plain(microBatchSize), title: 'gradient accumulation in micro-batches of this many rows' });
  if (epochs !== undefined) out.push({ key: 'epochs', label: 'epochs', value: plain(epochs) });
  if (hiddenDropout !== undefined && hiddenDropout === attentionDropout) out.push({ key: 'dropout', label: 'dropout', value: plain(hiddenDropout), title: 'hidden and attention dropout' });
  else {
    if (hiddenDropout !== undefined) out.push({ key: 'hiddenDropout', label: 'dropout', value: plain(hiddenDropout), title: 'hidden dropout' });
    if (attentionDropout !== undefined) out.push({ key: 'attentionDropout', label: 'attn dropout', value: plain(attentionDropout), title: 'attention dropout' });
  }
  if (typeof trainFraction === 'number') out.push({ key: 'trainFraction', label: 'data', value: pct(trainFraction), title: 'share of the training examples (the study\'s --data_rate)' });
  if (typeof warmupRatio === 'number') out.push({ key: 'warmupRatio', label: 'warmup', value: pct(warmupRatio), title: 'share of the steps in linear warmup' });
  if (weightDecay !== undefined) out.push({ key: 'weightDecay', label: 'weight decay', value: plain(weightDecay) });
  if (maxGradNorm !== undefined) out.push({ key: 'maxGradNorm', label: 'clip', value: plain(maxGradNorm), title: 'global gradient-norm clipping (0: off)' });
  if (seed !== undefined) out.push({ key: 'seed', label: 'seed', value: plain(seed) });
  if (shuffle !== undefined) out.push({ key: 'shuffle', label: 'shuffle', value: plain(shuffle) });
  if (checkpointEverySteps !== undefined && checkpointEverySteps !== 0) out.push({ key: 'checkpointEverySteps', label: 'checkpoint every', value: `${plain(checkpointEverySteps)} steps` });
  if (recomputeLayers !== undefined) out.push({ key: 'recomputeLayers', label: 'recompute layers', value: plain(recomputeLayers), title: 'gradient checkpointing' });
  if (isObj(distill)) distillFields(distill, out);
  else if (distill !== undefined) out.push({ key: 'distill', label: 'distill', value: plain(distill) });
  restFields(rest, '', out);
}

/** A node's config as labelled fields, in a fixed order; every key of the config is shown (unknown ones by path). */
export function configFields(stage: StageKind, config: unknown, ctx: ConfigFieldsContext = {}): ConfigField[] {
  if (!isObj(config)) return config === undefined ? [] : [{ key: '', label: 'config', value: plain(config) }];
  const out: ConfigField[] = [];
  if (stage === 'student') studentFields(config, ctx, out);
  else {
    const { init, ...rest } = config;
    if (stage === 'teacher') initFields(init, out);
    else if (init !== undefined) out.push({ key: 'init', label: 'init', value: plain(init) });
    trainFields(rest, out);
  }
  return out;
}
