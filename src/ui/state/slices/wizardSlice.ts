// The wizard: the draft being edited, its step, the node a fork starts from, and running it.
import { STAGES } from '../../../core/experiment/recipe';
import { draftFromNode, freshIds, presetDraft, recipeForWizard, type Draft, type PresetName } from '../recipes';
import { errText, type Slice } from './types';

export interface WizardSlice {
  draft: Draft;
  wizardStep: number;
  forkFrom: string | null;

  setDraft(update: (d: Draft) => void): void;
  usePreset(p: PresetName): void;
  setWizardStep(i: number): void;
  forkFromNode(id: string): void;
  /** Runs the draft (a fork of `forkFrom`, or a new tree); its new nodes get their ids now. */
  runWizard(): Promise<void>;
}

export const createWizardSlice: Slice<WizardSlice> = () => (set, get) => {
  /** ids this store gave out: a run whose nodes never reached the tree (it failed first) keeps them taken */
  const issued = new Set<string>();
  return {
    draft: presetDraft('demo'),
    wizardStep: 0,
    forkFrom: null,

    setDraft(update) {
      const d = structuredClone(get().draft);
      update(d);
      set({ draft: d });
    },

    usePreset(p) {
      const d = presetDraft(p);
      if (p === 'study' && !get().baseModel) d.teacher.init = 'pretrained';
      set({ draft: d, forkFrom: null });
    },

    setWizardStep(i) {
      set({ wizardStep: i });
    },

    forkFromNode(id) {
      const nodes = get().nodes;
      const node = nodes[id];
      if (!node) return;
      set({ draft: draftFromNode(id, nodes, get().draft), forkFrom: id, wizardStep: STAGES.indexOf(node.stage) });
      get().go('wizard');
    },

    async runWizard() {
      const { draft, forkFrom, nodes } = get();
      let recipe;
      try {
        const ids = freshIds([...Object.keys(nodes), ...issued]);
        recipe = recipeForWizard(draft, forkFrom, nodes, (stage) => {
          const id = ids(stage);
          issued.add(id);
          return id;
        });
      } catch (e) {
        get().toast(`Cannot run: ${errText(e)}`, 'bad');
        return;
      }
      await get().startRun(recipe);
    },
  };
};
