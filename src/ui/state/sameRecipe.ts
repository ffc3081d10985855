// "Run" on a recipe the tree already holds: the wizard maps the recipe onto the existing nodes it describes, so that
// running a stopped recipe again resumes it (finished nodes kept, the stopped one from its checkpoint) instead of
// starting a second, identical branch. Pure: no React, no worker.
import type { Recipe, RecipeNode } from '../../core/experiment/recipe';
import { stableJson } from '../../core/experiment/staleness';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import type { Nodes } from './recipes';

export interface SameRecipe {
  /** the recipe with the existing nodes' ids */
  recipe: Recipe;
  /** 'done': every node of it is done already; 'resume': running it continues the first node that is not */
  state: 'done' | 'resume';
  /** the existing ids, in recipe order */
  ids: string[];
}

const same = (a: unknown, b: unknown) => stableJson(a ?? {}) === stableJson(b ?? {});

/**
 * The existing chain of nodes that `recipe` describes node for node — same stage, parent, config as written, the
 * root's data options and each node's evaluation options — or undefined when any node of it is new. Nodes of the
 * recipe whose id is already in the tree (a reused teacher) map to themselves. Among equal candidates the newest is
 * taken.
 */
export function sameRecipeIn(recipe: Recipe, nodes: Nodes): SameRecipe | undefined {
  const map = new Map<string, string>();
  const out: RecipeNode[] = [];
  for (const n of recipe.nodes) {
    const parent = n.parent === null ? null : map.get(n.parent);
    if (parent === undefined) return undefined;
    let id: string | undefined;
    if (nodes[n.id]) id = n.id;
    else {
      const candidates = Object.values(nodes).filter(
        (c: NodeRecord) =>
          c.stage === n.stage &&
          c.parent === parent &&
          same(c.config, n.config) &&
          same(c.eval, recipe.eval) &&
          (parent !== null || same(c.data, recipe.data)),
      );
      id = candidates.sort((a, b) => b.createdAt - a.createdAt)[0]?.id;
    }
    if (!id) return undefined;
    map.set(n.id, id);
    out.push({ ...n, id, parent });
  }
  const ids = out.map((n) => n.id);
  return { recipe: { ...recipe, nodes: out }, state: ids.every((id) => nodes[id]?.status === 'done') ? 'done' : 'resume', ids };
}
