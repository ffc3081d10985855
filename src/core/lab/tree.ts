// Walks over a branch tree given as nodes with an id and a parent id. Every walk guards against cycles (a stored or
// hand-written tree can hold one): a cycle ends the walk instead of looping.

export interface TreeNode {
  id: string;
  parent: string | null;
}

type ById<N extends TreeNode> = ReadonlyMap<string, N>;

export function indexById<N extends TreeNode>(nodes: Iterable<N>): Map<string, N> {
  const m = new Map<string, N>();
  for (const n of nodes) m.set(n.id, n);
  return m;
}

/** Strict ancestors of `id`, nearest first (parent, grandparent, …). */
export function ancestors<N extends TreeNode>(byId: ById<N>, id: string): N[] {
  const out: N[] = [];
  const seen = new Set<string>([id]);
  let cur = byId.get(id);
  while (cur && cur.parent !== null && !seen.has(cur.parent)) {
    const p = byId.get(cur.parent);
    if (!p) break;
    seen.add(p.id);
    out.push(p);
    cur = p;
  }
  return out;
}

/** The root-first path down to `id` (inclusive). */
export function lineage<N extends TreeNode>(byId: ById<N>, id: string): N[] {
  const self = byId.get(id);
  if (!self) return [];
  return [...ancestors(byId, id).reverse(), self];
}

/** Ids of `id` and all its descendants (breadth first, `id` first). */
export function descendants<N extends TreeNode>(nodes: Iterable<N>, id: string): string[] {
  const children = new Map<string, string[]>();
  for (const n of nodes) if (n.parent !== null) children.set(n.parent, [...(children.get(n.parent) ?? []), n.id]);
  const out = [id];
  const seen = new Set(out);
  for (let i = 0; i < out.length; i++)
    for (const c of children.get(out[i]!) ?? [])
      if (!seen.has(c)) {
        seen.add(c);
        out.push(c);
      }
  return out;
}

/** Whether `anc` is a strict ancestor of `id`. */
export function isAncestor<N extends TreeNode>(byId: ById<N>, anc: string, id: string): boolean {
  return ancestors(byId, id).some((n) => n.id === anc);
}

/** The node's root (itself when it has no parent); undefined when a cycle or a missing parent leaves none. */
export function rootOf<N extends TreeNode>(byId: ById<N>, id: string): N | undefined {
  const line = lineage(byId, id);
  const top = line[0];
  return top && top.parent === null ? top : undefined;
}

/** The ids on a cycle through `id`'s parent chain, or undefined when there is none. */
export function cycleAt<N extends TreeNode>(byId: ById<N>, id: string): string[] | undefined {
  const path: string[] = [];
  const seen = new Set<string>();
  let cur = byId.get(id);
  while (cur) {
    if (seen.has(cur.id)) return cur.id === id ? path : undefined;
    seen.add(cur.id);
    path.push(cur.id);
    cur = cur.parent !== null ? byId.get(cur.parent) : undefined;
  }
  return undefined;
}
