// ROUGE-L exactly as pycocoevalcap's Rouge() computes it (rouge.py), which nlg-eval uses: LCS-based precision and
// recall, max of each over the references taken independently, F with beta = 1.2, corpus value = numpy.mean.
// Hand-written: no JS package reproduces the independent max of P and R nor numpy's pairwise-summed mean.

export const ROUGE_BETA = 1.2;

/** Python's `s.split(" ")` on the space-joined tokens: an empty string gives one empty token. */
function pySplitSpace(tokens: readonly string[]): readonly string[] {
  return tokens.length === 0 ? [''] : tokens;
}

/** Length of the longest common subsequence (`my_lcs`), O(|a|·|b|) time, O(min) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const m = short.length;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let i = 1; i <= long.length; i++) {
    const x = long[i - 1];
    for (let j = 1; j <= m; j++) {
      cur[j] = x === short[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m]!;
}

/** `Rouge.calc_score(candidate, refs)` for one id, on token arrays (tokens joined by spaces in the Python code). */
export function rougeL(hyp: readonly string[], refs: readonly (readonly string[])[], beta = ROUGE_BETA): number {
  if (refs.length === 0) throw new Error('ROUGE-L needs at least one reference');
  const c = pySplitSpace(hyp);
  let precMax = -Infinity;
  let recMax = -Infinity;
  for (const ref of refs) {
    const r = pySplitSpace(ref);
    const lcs = lcsLength(r, c);
    const prec = lcs / c.length;
    const rec = lcs / r.length;
    if (prec > precMax) precMax = prec;
    if (rec > recMax) recMax = rec;
  }
  if (precMax !== 0 && recMax !== 0) {
    const b2 = beta ** 2;
    return ((1 + b2) * precMax * recMax) / (recMax + b2 * precMax);
  }
  return 0;
}

const PW_BLOCKSIZE = 128;

/** numpy's pairwise summation of float64 values (`DOUBLE_pairwise_sum`, unrolled by 8, blocks of 128). */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = a[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    }
    let res = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** `numpy.mean` of a 1-D float64 array: 0.0 + pairwise sum, divided by the count. */
export function numpyMean(values: ArrayLike<number>): number {
  return (0 + pairwiseSum(values)) / values.length;
}
