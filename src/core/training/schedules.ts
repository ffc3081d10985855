import type { LayerMap } from './layerMaps';

/**
 * Which loss terms are active at an optimizer step. Pure functions of (schedule, layer groups, step).
 *
 * - 'all': every mapped layer pair + the logit terms from the first step (distil.py with --all_distil: hard CE +
 *   soft CE + every hidden/attention MSE summed at once).
 * - 'progressive': logit terms from the start; layer group p joins at phase p and stays.
 * - 'layerwise': phase p trains layer group p alone; after the last group, the logit terms alone.
 * - 'logits-only': hard + soft CE, no layer terms (distil.py without --all_distil; Hinton's KD baseline).
 *
 * A "layer group" is every mapped term of one student depth (hidden/k and attn/k together), bottom-up.
 */
export type ScheduleKind = 'all' | 'progressive' | 'layerwise' | 'logits-only';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['all', 'progressive', 'layerwise', 'logits-only'];

/** Phase length: exactly one of epochs (may be fractional) or steps. */
export interface PhaseLength {
  epochs?: number;
  steps?: number;
}

export const LOGIT_TERMS = ['logits', 'soft'] as const;

/** Mapped layer terms grouped by student depth, bottom-up. Kinds can be dropped (e.g. when their weight is 0). */
export function layerTermGroups(map: LayerMap, include: { hidden: boolean; attn: boolean } = { hidden: true, attn: true }): string[][] {
  const byDepth = new Map<number, string[]>();
  const add = (depth: number, name: string) => {
    const g = byDepth.get(depth);
    if (g) g.push(name);
    else byDepth.set(depth, [name]);
  };
  if (include.hidden) for (const p of map.hidden) add(p.student, `hidden/${p.student}`);
  if (include.attn) for (const p of map.attn) add(p.student, `attn/${p.student}`);
  return [...byDepth.entries()].sort((a, b) => a[0] - b[0]).map(([, names]) => names);
}

/** Steps per phase (>= 1). */
export function phaseStepCount(phase: PhaseLength, stepsPerEpoch: number): number {
  const hasE = phase.epochs !== undefined;
  const hasS = phase.steps !== undefined;
  if (hasE === hasS) throw new Error('phaseLength needs exactly one of { epochs } or { steps }');
  if (hasS) {
    if (!Number.isInteger(phase.steps) || (phase.steps as number) < 1) {
      throw new Error(`phaseLength.steps must be a positive integer, got ${phase.steps}`);
    }
    return phase.steps as number;
  }
  if (!((phase.epochs as number) > 0)) throw new Error(`phaseLength.epochs must be > 0, got ${phase.epochs}`);
  return Math.max(1, Math.round((phase.epochs as number) * stepsPerEpoch));
}

/** Number of phases of a schedule over `groups`. */
export function phaseCount(kind: ScheduleKind, groupCount: number): number {
  switch (kind) {
    case 'all':
    case 'logits-only':
      return 1;
    case 'progressive':
      return Math.max(1, groupCount);
    case 'layerwise':
      return groupCount + 1;
  }
}

/** Active term names and phase index at optimizer step `step` (0-based); the last phase lasts to the end. */
export function activeTermsAt(
  kind: ScheduleKind,
  groups: string[][],
  step: number,
  stepsPerPhase: number,
): { phase: number; terms: string[] } {
  if (!(SCHEDULE_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`unknown schedule '${kind}'; expected one of ${SCHEDULE_KINDS.join(', ')}`);
  }
  const phase = Math.min(Math.floor(step / stepsPerPhase), phaseCount(kind, groups.length) - 1);
  switch (kind) {
    case 'all':
      return { phase, terms: [...LOGIT_TERMS, ...groups.flat()] };
    case 'logits-only':
      return { phase, terms: [...LOGIT_TERMS] };
    case 'progressive':
      return { phase, terms: [...LOGIT_TERMS, ...groups.slice(0, phase + 1).flat()] };
    case 'layerwise':
      return { phase, terms: phase < groups.length ? [...groups[phase]] : [...LOGIT_TERMS] };
  }
}
