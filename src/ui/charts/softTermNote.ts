// What scale the distillation's soft term has, in words, as src/core/training/distillLosses.ts computes it:
// - form 'study' (distil.py's soft_cross_entropy, the default): (-softmax(teacher) * log_softmax(student)).mean()
//   over every element of the [batch, seq, vocab] logits at T = 1, i.e. the mean over all positions (padding
//   included) of a cross-entropy in nats, divided by the vocabulary size V: about V times smaller than the hard CE.
// - form 'mask' (Hinton): T² * the mean over the [MASK] rows of the soft cross-entropy at temperature T: nats, on
//   the hard CE's scale.

export interface SoftTermSetup {
  softForm: 'study' | 'mask';
  temperature: number;
}

/** The distill settings that decide the soft term's scale, from a node's resolved config (undefined if absent). */
export function softTermSetup(resolved: unknown): SoftTermSetup | undefined {
  const d = (resolved as { distill?: { softForm?: unknown; temperature?: unknown } } | undefined)?.distill;
  if (!d || (d.softForm !== 'study' && d.softForm !== 'mask')) return undefined;
  return { softForm: d.softForm, temperature: typeof d.temperature === 'number' ? d.temperature : 1 };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** One sentence for under the chart. `vocabSize`: the model's vocabulary (undefined: said as "the vocabulary size"). */
export function softTermNote(setup: SoftTermSetup, vocabSize: number | undefined): string {
  if (vocabSize !== undefined && !(Number.isInteger(vocabSize) && vocabSize > 0)) {
    throw new RangeError(`softTermNote: the vocabulary size must be a positive integer, got ${vocabSize}`);
  }
  if (setup.softForm === 'study') {
    const v = vocabSize !== undefined ? int(vocabSize) : 'V';
    return (
      `soft CE (form 'study', as distil.py): −softmax(teacher)·log softmax(student) averaged over every position (padding included) ` +
      `and all ${vocabSize !== undefined ? `${v} vocabulary entries` : 'vocabulary entries (V)'}, at T = 1 — a cross-entropy in nats divided by ${v}, ` +
      `so it sits near CE / ${v}, far below the hard CE; the log scale shows both.`
    );
  }
  const t = setup.temperature;
  return `soft CE (form 'mask'): T² × the soft cross-entropy at the [MASK] position, T = ${t}${t !== 1 ? ` (× ${t * t})` : ''} — nats, on the hard CE's scale.`;
}

interface VocabNode {
  parent: string | null;
  teacher?: string;
  model?: { vocabSize?: number };
}

/**
 * The vocabulary size of a node's model: its own record's, else the nearest ancestor's that has one (a running
 * distill node has no model facts yet; its student parent has the same vocabulary), else its teacher's.
 */
export function vocabSizeOf(id: string, nodes: Readonly<Record<string, VocabNode>>): number | undefined {
  const seen = new Set<string>();
  let cur: string | null | undefined = id;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    const n: VocabNode | undefined = nodes[cur];
    if (!n) break;
    if (n.model?.vocabSize !== undefined) return n.model.vocabSize;
    cur = n.parent;
  }
  const t = nodes[id]?.teacher;
  return t !== undefined && t !== id ? nodes[t]?.model?.vocabSize : undefined;
}
