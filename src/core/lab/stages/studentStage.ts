// Student: its parent's model with encoder layers removed (Poor Man's BERT strategies, Sajjad et al.); the study
// drops the top 6 of bert-base's 12. No training; the record keeps which teacher layer each student layer came from.
import { studentFromTeacher } from '../../experiment/studentFromTeacher';
import { isInt } from './configChecks';
import type { StageDefinition } from './stageDefinition';

export type StudentStrategy = 'drop-top' | 'drop-bottom' | 'alternate' | 'keep';
export const STUDENT_STRATEGIES: readonly StudentStrategy[] = ['drop-top', 'drop-bottom', 'alternate', 'keep'];
export interface StudentNodeConfig {
  strategy: StudentStrategy;
  /** layers to drop (drop-top / drop-bottom / alternate) */
  k?: number;
  /** teacher layers to keep, 0-based, in order (strategy 'keep') */
  keep?: number[];
}

function problems(cfg: Record<string, unknown>): string[] {
  const p: string[] = [];
  const s = cfg.strategy;
  if (!STUDENT_STRATEGIES.includes(s as StudentStrategy))
    return [`config.strategy must be one of ${STUDENT_STRATEGIES.join(', ')} (got ${JSON.stringify(s)})`];
  if (s === 'keep') {
    const keep = cfg.keep;
    if (!Array.isArray(keep) || keep.length === 0 || !keep.every((x) => isInt(x) && x >= 0))
      p.push('config.keep must be a non-empty array of layer indices (0-based) for strategy keep');
    else if (new Set(keep).size !== keep.length) p.push('config.keep has duplicate layers');
    if (cfg.k !== undefined) p.push('config.k is not used by strategy keep');
  } else {
    if (!(isInt(cfg.k) && cfg.k >= 1)) p.push(`config.k (layers to drop) must be a positive integer for ${String(s)}`);
    if (cfg.keep !== undefined) p.push('config.keep is only used by strategy keep');
  }
  for (const k of Object.keys(cfg)) if (!['strategy', 'k', 'keep'].includes(k)) p.push(`config: unknown option '${k}'`);
  return p;
}

export const studentStage: StageDefinition = {
  kind: 'student',
  title: 'Student: the parent model with layers removed',
  root: false,
  trains: false,
  validate: (cfg) => problems(cfg),
  resolve: (cfg) => ({ strategy: cfg.strategy, ...(cfg.k !== undefined ? { k: cfg.k } : {}), ...(cfg.keep !== undefined ? { keep: cfg.keep } : {}) }),
  label: (c) => (c.strategy === 'keep' ? `Student · keep ${((c.keep as number[]) ?? []).join(',')}` : `Student · ${String(c.strategy)} ${String(c.k)}`),
  dependencies: (n) => (n.parent !== null ? [n.parent] : []),
  async produce(ctx) {
    const parentId = ctx.node.parent!;
    const parent = await ctx.getModel(parentId);
    const cut = studentFromTeacher(parent, ctx.node.config as StudentNodeConfig);
    ctx.log('info', `node '${ctx.node.id}': kept teacher layers [${cut.layerOrigin.join(', ')}] of ${parent.config.numHiddenLayers}`);
    return { model: cut.student, record: { ...ctx.record, layerOrigin: cut.layerOrigin, teacher: parentId }, cancelled: false };
  },
};
