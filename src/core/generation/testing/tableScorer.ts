// Test helpers: scorers without TF.js whose log-probs are a deterministic function of the prompt.
import type { NextTokenScorer, Prompt, PromptBatch } from '../nextTokenScorer';

/** Log-probs of some tokens; every other token gets `floor`. */
export type Row = Record<number, number>;

export interface ScoreCall {
  batch: number;
  seqLen: number;
  /** the ids before [MASK] of each row */
  rows: number[][];
}

/**
 * Scores each row with `table(tokensBeforeMask)`; records every call. Checks that the batch is right-padded
 * (attention 1 up to the mask, 0 after it, pad id 0) and padded only to its longest row.
 */
export class TableScorer implements NextTokenScorer {
  readonly calls: ScoreCall[] = [];
  constructor(
    readonly vocabSize: number,
    private readonly table: (tokensBeforeMask: number[]) => Row,
    private readonly floor = -100,
  ) {}

  async score(b: PromptBatch): Promise<Float32Array> {
    const V = this.vocabSize;
    const out = new Float32Array(b.batch * V).fill(this.floor);
    const rows: number[][] = [];
    let longest = 0;
    for (let r = 0; r < b.batch; r++) {
      const m = b.maskPos[r];
      longest = Math.max(longest, m + 1);
      for (let j = 0; j < b.seqLen; j++) {
        const inside = j <= m;
        if (b.attentionMask[r * b.seqLen + j] !== (inside ? 1 : 0)) throw new Error(`row ${r}: bad attention mask at ${j}`);
        if (!inside && (b.inputIds[r * b.seqLen + j] !== 0 || b.tokenTypeIds[r * b.seqLen + j] !== 0)) {
          throw new Error(`row ${r}: padding at ${j} is not 0`);
        }
      }
      const before = Array.from(b.inputIds.subarray(r * b.seqLen, r * b.seqLen + m));
      rows.push(before);
      for (const [id, lp] of Object.entries(this.table(before))) out[r * V + Number(id)] = lp;
    }
    if (longest !== b.seqLen) throw new Error(`batch padded to ${b.seqLen}, longest row is ${longest}`);
    this.calls.push({ batch: b.batch, seqLen: b.seqLen, rows });
    return out;
  }

  /** rows per scorer call */
  get rowCounts(): number[] {
    return this.calls.map((c) => c.batch);
  }
}

/** Test prompts: [ITEM_BASE + item, ...prefix, MASK]; `parseTestPrompt` undoes it. */
export const ITEM_BASE = 1000;
export const TEST_MASK = 2;
export function testPrompt(item: number, prefix: readonly number[]): Prompt {
  const inputIds = [ITEM_BASE + item, ...prefix, TEST_MASK];
  return { inputIds, tokenTypeIds: inputIds.map(() => 0), maskPos: inputIds.length - 1 };
}
export function parseTestPrompt(tokensBeforeMask: number[]): { item: number; prefix: number[] } {
  return { item: tokensBeforeMask[0] - ITEM_BASE, prefix: tokensBeforeMask.slice(1) };
}

/** A scorer from per-item tables keyed on the prefix joined with ','. */
export function itemTableScorer(vocabSize: number, tables: Record<string, Row>[], floor = -100): TableScorer {
  return new TableScorer(
    vocabSize,
    (t) => {
      const { item, prefix } = parseTestPrompt(t);
      return tables[item]?.[prefix.join(',')] ?? {};
    },
    floor,
  );
}

/** Pseudo-random (hash of the prompt) log-probs over the whole vocabulary, with [SEP] made likely enough. */
export function hashScorer(vocabSize: number, eosId: number, eosBias = 2): TableScorer {
  return new TableScorer(vocabSize, (t) => {
    let h = 2166136261;
    for (const x of t) h = Math.imul(h ^ (x + 1), 16777619) >>> 0;
    const row: Row = {};
    for (let id = 0; id < vocabSize; id++) {
      let g = Math.imul(h ^ (id * 2654435761), 2246822519) >>> 0;
      g = Math.imul(g ^ (g >>> 15), 3266489917) >>> 0;
      row[id] = -5 * ((g ^ (g >>> 16)) >>> 0) / 2 ** 32 - 0.1;
    }
    row[eosId] += eosBias * (t.length % 3 === 0 ? 1 : 0.5);
    return row;
  });
}
