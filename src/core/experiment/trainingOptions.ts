// Training options of a recipe node (teacher / distill / selftrain). Their meaning, defaults and validation belong
// to the training module (src/core/training/stageConfig.ts); this file is the experiment layer's one seam to it.
import { resolveStageConfig, StageConfigError, type StageConfig } from '../training/stageConfig';
import type { StageKind } from './recipe';

export type TrainingStage = Exclude<StageKind, 'student'>;

/** Recipe-only keys of each stage's config (everything else is the training module's StageConfig). */
export const RECIPE_KEYS: Record<TrainingStage, readonly string[]> = {
  teacher: ['init'],
  distill: ['teacher'],
  selftrain: [],
};

function trainingPart(stage: TrainingStage, cfg: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cfg)) if (!RECIPE_KEYS[stage].includes(k)) out[k] = v;
  return out;
}

/** Problems with a node's training options (messages name the config field). */
export function checkTrainingConfig(stage: TrainingStage, cfg: Record<string, unknown>): string[] {
  try {
    resolveStageConfig(stage, trainingPart(stage, cfg));
    return [];
  } catch (e) {
    if (e instanceof StageConfigError) return e.problems.map((p) => `config: ${p}`);
    return [`config: ${(e as Error).message}`];
  }
}

/** The complete StageConfig of a node (defaults filled in). Call after validateRecipe. */
export function stageConfigOf(stage: TrainingStage, cfg: object): StageConfig {
  return resolveStageConfig(stage, trainingPart(stage, cfg as Record<string, unknown>));
}
