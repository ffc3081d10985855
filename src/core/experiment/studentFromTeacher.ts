// A student is its teacher with some encoder layers removed (Poor Man's BERT strategies, Sajjad et al. 2020):
// the study cuts the top 6 of bert-base's 12 layers. The layer-origin map records which teacher layer each
// student layer came from; it drives the distillation layer map and is shown in the UI.
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import type { StudentNodeConfig } from '../lab/stages/studentStage';

/** Teacher layers (0-based, ascending) that a strategy keeps out of `numLayers`. Throws on an impossible request. */
export function keptLayers(cfg: StudentNodeConfig, numLayers: number): number[] {
  const all = Array.from({ length: numLayers }, (_, i) => i);
  const k = cfg.k ?? 0;
  if (cfg.strategy !== 'keep' && !(Number.isInteger(k) && k >= 1 && k < numLayers))
    throw new Error(`cannot drop ${k} of the teacher's ${numLayers} layers (keep at least one)`);
  switch (cfg.strategy) {
    case 'drop-top':
      return all.slice(0, numLayers - k);
    case 'drop-bottom':
      return all.slice(k);
    case 'alternate': {
      // Drop every other layer from the top down (odd indices counted from the top: 11, 9, 7, ... for 12 layers).
      const drop = new Set<number>();
      for (let i = numLayers - 1; i >= 0 && drop.size < k; i -= 2) drop.add(i);
      for (let i = numLayers - 2; i >= 0 && drop.size < k; i -= 2) drop.add(i); // only if k > numLayers/2
      return all.filter((i) => !drop.has(i));
    }
    case 'keep': {
      const keep = cfg.keep ?? [];
      const bad = keep.filter((i) => !(Number.isInteger(i) && i >= 0 && i < numLayers));
      if (keep.length === 0 || bad.length > 0)
        throw new Error(`keep lists layers the teacher (${numLayers} layers) does not have: ${JSON.stringify(bad)}`);
      return [...keep];
    }
  }
}

export interface StudentCut {
  student: BertForMaskedLM;
  /** layerOrigin[i] = the teacher layer (0-based) that student layer i was copied from. */
  layerOrigin: number[];
}

export function studentFromTeacher(teacher: BertForMaskedLM, cfg: StudentNodeConfig): StudentCut {
  const keep = keptLayers(cfg, teacher.config.numHiddenLayers);
  return { student: teacher.withLayers(keep), layerOrigin: keep };
}
