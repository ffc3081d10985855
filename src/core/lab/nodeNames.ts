// A display name for every node of the tree, unique within it, so Compare's rows, the tree and the exports can be
// told apart (the stored `label` is the stage's label of the config and repeats: a fork's self-train child and the
// original's are both "Self-train · drop 0.3"). A node whose label is unique keeps it. Where labels repeat, a node
// gets, in this order, as much as it needs:
//   1. what it changed against its siblings of the same stage ("Distill · drop 0.3 · lr 1e-4");
//   2. the nearest ancestor where its branch parted from the others' ("Self-train · drop 0.3 (after distill · drop
//      0.05)"), by that ancestor's label, or by its unique name when the labels up the tree repeat too;
//   3. as a last resort, "#2", "#3" in the order the nodes were made.
import { branchChanges, treeParent, type BranchChanges } from './branchChanges';
import type { NodeRecord } from './nodeRecord';

export interface NodeName {
  /** the unique name, in one line */
  full: string;
  /** the stored label plus what the node changed against its siblings when that is needed */
  head: string;
  /** what tells it from a node of the same head: "after distill · drop 0.05", "#2" (empty when none is needed) */
  qualifier: string;
}

type Nodes = Readonly<Record<string, NodeRecord>>;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const byAge = (a: NodeRecord, b: NodeRecord) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

/** Ancestors nearest first, over the tree's parents (a cycle or a missing parent ends the walk). */
function ancestorsOf(n: NodeRecord, nodes: Nodes): NodeRecord[] {
  const out: NodeRecord[] = [];
  const seen = new Set([n.id]);
  for (let p = treeParent(n, nodes); p !== null && !seen.has(p); p = treeParent(nodes[p]!, nodes)) {
    seen.add(p);
    out.push(nodes[p]!);
  }
  return out;
}

/** Members of `list` grouped by `key`, only the groups with more than one. */
function repeats<T>(list: readonly T[], key: (x: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const x of list) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return [...m.values()].filter((g) => g.length > 1);
}

/**
 * The ancestor that tells `n` from most of the other members of `group` (nodes of one head): over the ancestor
 * levels k (parent first) and the two ways of naming an ancestor (its head, else its unique name), the one whose
 * name at level k is shared by the fewest other members at that level; on a tie the head, then the nearer level.
 * Undefined when no ancestor tells it from anyone.
 */
function partingTag(n: NodeRecord, group: NodeRecord[], anc: Map<string, NodeRecord[]>, tags: ((a: NodeRecord) => string)[]): string | undefined {
  const mine = anc.get(n.id)!;
  let best: { shared: number; tag: string } | undefined;
  for (const tag of tags)
    for (let k = 0; k < mine.length; k++) {
      const t = tag(mine[k]!);
      const shared = group.filter((m) => m !== n && anc.get(m.id)![k] && tag(anc.get(m.id)![k]!) === t).length;
      if (!best || shared < best.shared) best = { shared, tag: t };
    }
  return best && best.shared < group.length - 1 ? best.tag : undefined;
}

/** Every node's display name (see the file's comment). `changes` is branchChanges(nodes) when the caller has it. */
export function nodeNames(nodes: Nodes, changes: Map<string, BranchChanges> = branchChanges(nodes)): Map<string, NodeName> {
  const all = Object.values(nodes).sort(byAge);
  const anc = new Map(all.map((n) => [n.id, ancestorsOf(n, nodes)] as const));
  const head = new Map(all.map((n) => [n.id, n.label] as const));
  // 1. what a node changed against its siblings, where its label repeats
  for (const group of repeats(all, (n) => n.label))
    for (const n of group) {
      const c = changes.get(n.id);
      if (c?.kind === 'fork' && c.items.length) head.set(n.id, `${n.label} · ${c.items.join(' · ')}`);
    }
  // 2. where the branch parted, and 3. numbers for what still repeats; groups nearer the root first, so an
  // ancestor's own name is settled before a node below it is named after it
  const after = new Map<string, string>();
  const number = new Map<string, number>();
  const unnumbered = (n: NodeRecord) => `${head.get(n.id)}${after.has(n.id) ? ` (after ${after.get(n.id)})` : ''}`;
  const full = (n: NodeRecord) => `${unnumbered(n)}${number.has(n.id) ? ` #${number.get(n.id)}` : ''}`;
  const depth = (n: NodeRecord) => anc.get(n.id)!.length;
  const groups = repeats(all, (n) => head.get(n.id)!).sort((a, b) => Math.min(...a.map(depth)) - Math.min(...b.map(depth)));
  const tags = [(a: NodeRecord) => lowerFirst(head.get(a.id)!), (a: NodeRecord) => lowerFirst(full(a))];
  const numberRepeats = (list: NodeRecord[]) => {
    const used = new Set(all.map(full));
    for (const g of repeats(list, full))
      for (const n of g.slice(1)) {
        let k = 2;
        while (used.has(`${unnumbered(n)} #${k}`)) k++;
        number.set(n.id, k);
        used.add(full(n));
      }
  };
  for (const group of groups) {
    const found = group.map((n) => [n, partingTag(n, group, anc, tags)] as const);
    for (const [n, t] of found) if (t !== undefined) after.set(n.id, t);
    numberRepeats(group);
  }
  numberRepeats(all);
  const out = new Map<string, NodeName>();
  for (const n of all) {
    const qualifier = [after.has(n.id) ? `after ${after.get(n.id)}` : '', number.has(n.id) ? `#${number.get(n.id)}` : ''].filter(Boolean).join(' ');
    out.set(n.id, { full: full(n), head: head.get(n.id)!, qualifier });
  }
  return out;
}
