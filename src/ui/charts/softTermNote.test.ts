import { describe, expect, it } from 'vitest';
import { softTermNote, softTermSetup, vocabSizeOf } from './softTermNote';

describe('softTermNote: the soft term’s scale as the distillation loss computes it', () => {
  it("form 'study': averaged over the model's vocabulary, so near CE / V (the model's V, not a constant)", () => {
    expect(softTermNote({ softForm: 'study', temperature: 1 }, 21128)).toBe(
      "soft CE (form 'study', as distil.py): −softmax(teacher)·log softmax(student) averaged over every position (padding included) and all 21,128 vocabulary entries, at T = 1 — a cross-entropy in nats divided by 21,128, so it sits near CE / 21,128, far below the hard CE; the log scale shows both.",
    );
    expect(softTermNote({ softForm: 'study', temperature: 1 }, 97)).toContain('CE / 97');
    expect(softTermNote({ softForm: 'study', temperature: 1 }, undefined)).toContain('divided by V');
  });

  it("form 'mask': T² times the soft CE at [MASK], on the hard CE's scale", () => {
    expect(softTermNote({ softForm: 'mask', temperature: 2 }, 21128)).toBe(
      "soft CE (form 'mask'): T² × the soft cross-entropy at the [MASK] position, T = 2 (× 4) — nats, on the hard CE's scale.",
    );
  });

  it('reads the form from a resolved distill config; none for other stages; a bad vocabulary size is an error', () => {
    expect(softTermSetup({ distill: { softForm: 'mask', temperature: 3 } })).toEqual({ softForm: 'mask', temperature: 3 });
    expect(softTermSetup({ distill: { softForm: 'study', temperature: 1 } })).toEqual({ softForm: 'study', temperature: 1 });
    expect(softTermSetup({ epochs: 1 })).toBeUndefined();
    expect(softTermSetup(undefined)).toBeUndefined();
    expect(() => softTermNote({ softForm: 'study', temperature: 1 }, 0)).toThrow(/positive integer/);
  });
});

describe('vocabSizeOf', () => {
  const nodes = {
    t: { parent: null, model: { vocabSize: 500 } },
    s: { parent: 't', model: {} },
    d: { parent: 's' },
    x: { parent: null, teacher: 't' },
    loop: { parent: 'loop' },
  };
  it("the node's own, else the nearest ancestor's, else its teacher's; none found is undefined", () => {
    expect(vocabSizeOf('t', nodes)).toBe(500);
    expect(vocabSizeOf('d', nodes)).toBe(500);
    expect(vocabSizeOf('x', nodes)).toBe(500);
    expect(vocabSizeOf('loop', nodes)).toBeUndefined();
    expect(vocabSizeOf('missing', nodes)).toBeUndefined();
  });
});
