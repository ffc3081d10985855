/** One scored token. */
export interface TokenScore {
  id: number;
  logProb: number;
}

/**
 * The k best finite entries of a row, best first; equal values in ascending id order, as the study's
 * repeated `torch.argmax` (first maximal index) followed by a stable sort produces them.
 */
export function topK(row: Float32Array, k: number): TokenScore[] {
  const best: TokenScore[] = [];
  for (let id = 0; id < row.length; id++) {
    const v = row[id];
    if (v === -Infinity || Number.isNaN(v)) continue;
    if (best.length === k && v <= best[k - 1].logProb) continue;
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && best[at - 1].logProb < v) at--;
    if (best.length === k) best.pop();
    best.splice(at, 0, { id, logProb: v });
  }
  return best;
}
