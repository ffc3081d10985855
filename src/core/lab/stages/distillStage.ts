// Distill (stage 1): the student (its parent's model) learns from a frozen teacher: hard CE + soft CE against the
// teacher's logits + hidden-state and attention MSE between mapped layers (distil.py). The teacher is config.teacher
// or, by default, the model the nearest ancestor student was cut from.
import type { RecipeNode } from '../../experiment/recipe';
import { checkTrainingConfig, stageConfigOf } from '../../experiment/trainingOptions';
import { isAncestor } from '../tree';
import { dropLabel } from './configChecks';
import type { StageDefinition } from './stageDefinition';

/** The training options plus which node is the (frozen) teacher. */
export interface DistillNodeConfig extends Record<string, unknown> {
  teacher?: string;
}

/**
 * The teacher a distill node learns from: config.teacher if given, else the parent of the nearest ancestor
 * student node (the model it was cut from). Undefined when there is none.
 */
export function teacherOf(node: RecipeNode, byId: ReadonlyMap<string, RecipeNode>): string | undefined {
  const explicit = (node.config as DistillNodeConfig).teacher;
  if (typeof explicit === 'string') return explicit;
  const seen = new Set<string>();
  let cur: RecipeNode | undefined = node;
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    if (cur.stage === 'student') return cur.parent ?? undefined;
    cur = cur.parent !== null ? byId.get(cur.parent) : undefined;
  }
  return undefined;
}

export const distillStage: StageDefinition = {
  kind: 'distill',
  title: 'Distill: the student learns from a frozen teacher (logits, hidden states, attentions)',
  root: false,
  trains: true,
  validate(cfg, { node, byId, inCycle }) {
    const p: string[] = [];
    if (cfg.teacher !== undefined) {
      if (typeof cfg.teacher !== 'string') p.push('config.teacher must be a node id');
      else if (!byId.has(cfg.teacher)) p.push(`config.teacher: unknown node '${cfg.teacher}'`);
      else if (cfg.teacher === node.id) p.push('config.teacher cannot be the node itself');
      else if (!inCycle && isAncestor(byId, node.id, cfg.teacher))
        p.push(`config.teacher '${cfg.teacher}' is a descendant of this node (it needs this node's output)`);
    } else if (!inCycle && !teacherOf(node, byId)) {
      p.push('distill needs a teacher: an ancestor student node cut from a model, or config.teacher naming a node');
    }
    p.push(...checkTrainingConfig('distill', cfg));
    return p;
  },
  resolve: (cfg) => stageConfigOf('distill', cfg),
  label(c) {
    const d = (c.distill ?? {}) as Record<string, unknown>;
    return `Distill${d.schedule ? ` ${String(d.schedule)}` : ''}${dropLabel(c)}`;
  },
  dependencies(n, byId) {
    const t = teacherOf(n, byId);
    return [...(n.parent !== null ? [n.parent] : []), ...(t !== undefined && t !== n.parent ? [t] : [])];
  },
  async produce(ctx) {
    const teacherId = teacherOf(ctx.node, ctx.byId)!;
    const teacher = await ctx.getModel(teacherId);
    // the student's config records the dropout it trains with (the exported config.json says it, as the study's does)
    const { hiddenDropout, attentionDropout } = stageConfigOf('distill', ctx.node.config);
    const student = (await ctx.getModel(ctx.node.parent!)).withDropout(hiddenDropout, attentionDropout);
    if (teacher.config.vocabSize !== student.config.vocabSize) {
      student.dispose();
      throw new Error(`teacher '${teacherId}' and student have different vocabularies`);
    }
    return ctx.train('distill', student, teacher, { ...ctx.record, teacher: teacherId });
  },
};
