// The stage registry: every stage of the branch tree, by kind. Adding a stage is one module plus one line here
// (and its kind in StageKind).
import type { StageKind } from '../../experiment/recipe';
import { distillStage } from './distillStage';
import { selftrainStage } from './selftrainStage';
import type { StageDefinition } from './stageDefinition';
import { studentStage } from './studentStage';
import { teacherStage } from './teacherStage';

export const STAGE_REGISTRY: Readonly<Record<StageKind, StageDefinition>> = {
  teacher: teacherStage,
  student: studentStage,
  distill: distillStage,
  selftrain: selftrainStage,
};

export function stageOf(kind: StageKind): StageDefinition {
  const s = STAGE_REGISTRY[kind];
  if (!s) throw new Error(`unknown stage '${String(kind)}' (known: ${Object.keys(STAGE_REGISTRY).join(', ')})`);
  return s;
}
