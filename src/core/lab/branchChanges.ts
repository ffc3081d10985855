// What each branch of the tree changed: the words on the edge parent → child of the branch figure. A node with
// siblings of its own stage (a fork is such a sibling, made with other settings) is described by the settings where
// they differ ("dropout 0.05", "data 50 %", "schedule progressive"); a node without one by its stage's key settings
// ("cut to 1 layer", "dropout 0.3 · data 50 %"). Settings are compared resolved (every default filled in), with the
// run's data options (sequence limits, fit policy, training items), so writing a default out is no change.
import { DEFAULT_SQG_LIMITS } from '../data/sqgExamples';
import { differingFields } from '../experiment/staleness';
import type { NodeRecord } from './nodeRecord';
import { stageOf } from './stages/registry';

export interface BranchChanges {
  /** 'fork': what differs from its siblings of the same stage; 'stage': the stage's key settings (no such sibling) */
  kind: 'fork' | 'stage';
  /** short readable items, most telling first, e.g. ['dropout 0.05', 'data 50 %'] */
  items: string[];
}

type Nodes = Readonly<Record<string, NodeRecord>>;
type Settings = Record<string, unknown>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The settings a node ran with: its resolved config, the run's data options with defaults, an explicit teacher. */
export function settingsOf(n: NodeRecord): Settings {
  let resolved: unknown = n.resolved;
  if (!isObj(resolved)) {
    try {
      resolved = stageOf(n.stage).resolve(n.config);
    } catch {
      resolved = n.config; // a config today's rules refuse: compare it as written
    }
  }
  const out: Settings = { ...(resolved as Settings) };
  const data = Object.entries(n.data ?? {}).filter(([, v]) => v !== undefined);
  out.data = { ...DEFAULT_SQG_LIMITS, policy: 'skip', maxTrainItems: null, ...Object.fromEntries(data) };
  if (n.stage === 'distill' && typeof n.config.teacher === 'string') out.teacher = n.config.teacher;
  return out;
}

/** A number as a recipe would write it, short: 5e-5, 0.3, 12. */
export function fmtSetting(v: unknown): string {
  if (typeof v === 'number') {
    if (v !== 0 && Math.abs(v) <= 1e-3) return v.toExponential();
    return String(Number(v.toPrecision(6)));
  }
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return 'none';
  return JSON.stringify(v);
}

const pct = (v: unknown) => (typeof v === 'number' ? `${Number((v * 100).toPrecision(4))} %` : fmtSetting(v));
const plural = (n: unknown, one: string, many = `${one}s`) => `${fmtSetting(n)} ${n === 1 ? one : many}`;
const onOff = (v: unknown) => (v ? 'on' : 'off');

/** The cut of a student config: "drop-top 6", "keep 0,2,4". */
function cutText(s: Settings): string {
  if (s.strategy === 'keep') return `keep ${Array.isArray(s.keep) ? s.keep.join(',') : fmtSetting(s.keep)}`;
  return `${fmtSetting(s.strategy)} ${fmtSetting(s.k)}`;
}

/** A teacher's init: "pretrained", "tiny 2L h64". */
function initText(init: unknown): string {
  if (!isObj(init)) return fmtSetting(init);
  const parts = [fmtSetting(init.preset ?? 'scratch')];
  if (init.layers !== undefined) parts.push(`${fmtSetting(init.layers)}L`);
  if (init.hidden !== undefined) parts.push(`h${fmtSetting(init.hidden)}`);
  if (init.heads !== undefined) parts.push(plural(init.heads, 'head'));
  if (init.intermediate !== undefined) parts.push(`ffn ${fmtSetting(init.intermediate)}`);
  return parts.join(' ');
}

function get(s: Settings, path: string): unknown {
  let cur: unknown = s;
  for (const k of path.split('.')) cur = isObj(cur) ? cur[k] : undefined;
  return cur;
}

/**
 * The readable items for a set of differing paths of `s`, in a fixed order (dropout, data, learning rate and
 * schedule first). A group of paths that reads as one setting (both dropouts, the student's cut, a layer map, a
 * teacher's init) gives one item.
 */
export function describeSettings(s: Settings, paths: readonly string[], stage: NodeRecord['stage']): string[] {
  const left = new Set(paths);
  const take = (p: string) => left.delete(p);
  const takeUnder = (prefix: string) => {
    let any = false;
    for (const p of [...left]) if (p === prefix || p.startsWith(`${prefix}.`)) any = left.delete(p) || any;
    return any;
  };
  const out: string[] = [];
  const h = s.hiddenDropout;
  const a = s.attentionDropout;
  const hd = take('hiddenDropout');
  const ad = take('attentionDropout');
  if (hd && ad) out.push(h === a ? `dropout ${fmtSetting(h)}` : `dropout ${fmtSetting(h)} / attn ${fmtSetting(a)}`);
  else if (hd) out.push(`hidden dropout ${fmtSetting(h)}`);
  else if (ad) out.push(`attn dropout ${fmtSetting(a)}`);
  if (take('trainFraction')) out.push(`data ${pct(s.trainFraction)}`);
  if (stage === 'student' && ['strategy', 'k', 'keep'].map(take).some(Boolean)) out.push(cutText(s));
  if (takeUnder('init')) out.push(`init ${initText(s.init)}`);
  if (take('learningRate')) out.push(`lr ${fmtSetting(s.learningRate)}`);
  if (take('distill.schedule')) out.push(`schedule ${fmtSetting(get(s, 'distill.schedule'))}`);
  if (takeUnder('distill.layerMap')) {
    const m = get(s, 'distill.layerMap');
    out.push(`layer map ${typeof m === 'string' ? m : 'custom'}`);
  }
  for (const w of ['hard', 'soft', 'hidden', 'attn'])
    if (take(`distill.weights.${w}`)) out.push(`${w} weight ${fmtSetting(get(s, `distill.weights.${w}`))}`);
  if (take('distill.softForm')) out.push(`soft CE ${fmtSetting(get(s, 'distill.softForm'))}`);
  if (take('distill.temperature')) out.push(`T ${fmtSetting(get(s, 'distill.temperature'))}`);
  if (takeUnder('distill.phaseLength')) {
    const pl = get(s, 'distill.phaseLength');
    out.push(isObj(pl) && pl.steps !== undefined ? `phase ${plural(pl.steps, 'step')}` : `phase ${plural(isObj(pl) ? pl.epochs : pl, 'epoch')}`);
  }
  if (take('epochs')) out.push(plural(s.epochs, 'epoch'));
  if (take('batchSize')) out.push(`batch ${fmtSetting(s.batchSize)}`);
  if (take('warmupRatio')) out.push(`warmup ${pct(s.warmupRatio)}`);
  if (take('weightDecay')) out.push(`weight decay ${fmtSetting(s.weightDecay)}`);
  if (take('maxGradNorm')) out.push(s.maxGradNorm === 0 ? 'no clipping' : `clip ${fmtSetting(s.maxGradNorm)}`);
  if (take('seed')) out.push(`seed ${fmtSetting(s.seed)}`);
  if (take('shuffle')) out.push(`shuffle ${onOff(s.shuffle)}`);
  if (take('data.maxTrainItems')) {
    const n = get(s, 'data.maxTrainItems');
    out.push(typeof n === 'number' ? `first ${plural(n, 'item')}` : 'all items');
  }
  if (take('data.maxSeqLen')) out.push(`seq ${fmtSetting(get(s, 'data.maxSeqLen'))}`);
  if (take('data.maxAnswerLen')) out.push(`answer ≤ ${fmtSetting(get(s, 'data.maxAnswerLen'))}`);
  if (take('data.maxQuestionLen')) out.push(`question ≤ ${fmtSetting(get(s, 'data.maxQuestionLen'))}`);
  if (take('data.policy')) out.push(`fit ${fmtSetting(get(s, 'data.policy'))}`);
  if (take('teacher')) out.push(`teacher ${fmtSetting(s.teacher)}`);
  if (take('microBatchSize')) out.push(s.microBatchSize === 0 ? 'whole batch at once' : `micro-batch ${fmtSetting(s.microBatchSize)}`);
  if (take('recomputeLayers')) out.push(`recompute layers ${onOff(s.recomputeLayers)}`);
  if (take('checkpointEverySteps'))
    out.push(s.checkpointEverySteps === 0 ? 'checkpoints at epoch ends' : `checkpoint every ${plural(s.checkpointEverySteps, 'step')}`);
  for (const p of [...left].sort()) out.push(p === '(config)' ? 'config' : `${p} ${fmtSetting(get(s, p))}`);
  return out;
}

/** The key settings of a node's stage, for an edge without a sibling to compare with. */
function stageItems(n: NodeRecord, s: Settings): string[] {
  switch (n.stage) {
    case 'teacher':
      return [];
    case 'student': {
      const layers = n.model?.layers ?? n.layerOrigin?.length;
      return [layers !== undefined ? `cut to ${plural(layers, 'layer')}` : cutText(s)];
    }
    case 'distill':
    case 'selftrain': {
      const schedule = get(s, 'distill.schedule');
      const paths = ['hiddenDropout', 'attentionDropout', 'trainFraction'].filter((p) => s[p] !== undefined);
      if (n.stage === 'distill' && typeof schedule === 'string' && schedule !== 'all') paths.push('distill.schedule');
      return describeSettings(s, paths, n.stage);
    }
    default:
      return [];
  }
}

/** The parent a node hangs from in the tree (null for a root, or a parent that is not in `nodes`). */
export const treeParent = (n: NodeRecord, nodes: Nodes): string | null => (n.parent !== null && nodes[n.parent] ? n.parent : null);

/** For every node: what its branch changed (see the file's comment). */
export function branchChanges(nodes: Nodes): Map<string, BranchChanges> {
  const all = Object.values(nodes);
  const settings = new Map(all.map((n) => [n.id, settingsOf(n)] as const));
  const groups = new Map<string, NodeRecord[]>();
  for (const n of all) {
    const key = `${treeParent(n, nodes) ?? ''}\u0000${n.stage}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const out = new Map<string, BranchChanges>();
  for (const group of groups.values())
    for (const n of group) {
      const s = settings.get(n.id)!;
      const paths = new Set<string>();
      for (const o of group) if (o !== n) for (const p of differingFields(s, settings.get(o.id)!)) paths.add(p);
      const items = paths.size ? describeSettings(s, [...paths], n.stage) : [];
      out.set(n.id, items.length ? { kind: 'fork', items } : { kind: 'stage', items: stageItems(n, s) });
    }
  return out;
}
