// The wizard: the draft being edited, its step, the node a fork starts from, and running it.
import { STAGES } from '../../../core/experiment/recipe';
import type { Recipe } from '../../../core/experiment/recipe';
import { missingCallText, type RunPlan } from '../labExtras';
import { draftFromNode, freshIds, presetDraft, previewIds, recipeForWizard, type Draft, type PresetName } from '../recipes';
import { sameRecipeIn } from '../sameRecipe';
import { errText, untilWorkerDies, type Slice } from './types';

/** What a plan was made for: the previewed recipe, as text (the plan is stale once the draft's recipe differs). */
export const planKeyOf = (recipe: Recipe): string => JSON.stringify(recipe);

export interface WizardSlice {
  draft: Draft;
  wizardStep: number;
  forkFrom: string | null;
  /** the last plan (planRun) of the draft, and the recipe it was made for (planKeyOf) */
  plan: RunPlan | null;
  planKey: string | null;
  planBusy: boolean;
  planError: string | null;

  setDraft(update: (d: Draft) => void): void;
  usePreset(p: PresetName): void;
  setWizardStep(i: number): void;
  forkFromNode(id: string): void;
  /** Runs the draft (a fork of `forkFrom`, or a new tree); its new nodes get their ids now. */
  runWizard(): Promise<void>;
  /** Times a few steps of each stage of the draft's recipe on the current backend (it can take a while at full size). */
  planWizard(): Promise<void>;
}

export const createWizardSlice: Slice<WizardSlice> = (deps) => (set, get) => {
  /** ids this store gave out: a run whose nodes never reached the tree (it failed first) keeps them taken */
  const issued = new Set<string>();
  return {
    draft: presetDraft('demo'),
    wizardStep: 0,
    forkFrom: null,
    plan: null,
    planKey: null,
    planBusy: false,
    planError: null,

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
        // the same recipe as a run in the tree: resume that run rather than start a second, identical branch
        const same = sameRecipeIn(recipeForWizard(draft, forkFrom, nodes, previewIds), nodes);
        if (same?.state === 'done') {
          get().toast(`This recipe already ran: its ${same.ids.length} nodes are done (selected in the tree). Change a setting to branch off.`, 'info');
          await get().select(same.ids[same.ids.length - 1]!);
          get().go('tree');
          return;
        }
        if (same) {
          get().toast('This recipe stopped before it finished: resuming it (finished nodes are kept, the stopped one continues from its checkpoint)', 'info');
          await get().startRun(same.recipe);
          return;
        }
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

    async planWizard() {
      if (get().planBusy || get().run?.active) return;
      const { draft, forkFrom, nodes } = get();
      let recipe: Recipe;
      try {
        // the preview's stand-in ids: a plan runs nothing and stores nothing
        recipe = recipeForWizard(draft, forkFrom, nodes, previewIds);
      } catch (e) {
        set({ planError: errText(e) });
        return;
      }
      set({ planBusy: true, planError: null });
      try {
        const plan = await untilWorkerDies(deps, () => deps.lab().planRun(recipe));
        set({ plan, planKey: planKeyOf(recipe) });
      } catch (e) {
        set({ planError: missingCallText('planRun', e) });
      } finally {
        set({ planBusy: false });
      }
    },
  };
};
