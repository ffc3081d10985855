// How a pool splits items between its workers: longest prompt first, dealt out in a snake (0,1,…,n-1,n-1,…,1,0,…),
// so that each worker gets its share of the long prompts (the costly ones: attention grows with the square of the
// length) and no worker is always handed the longer of each pair. Each worker then orders its own share longest
// first again, as the decoder does within a batch.

/** Item indices for each of `workers` shares, each share in item order; ties in length keep item order. */
export function dealLongestFirst(lengths: readonly number[], workers: number): number[][] {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  const order = [...lengths.keys()].sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const shares: number[][] = Array.from({ length: workers }, () => []);
  order.forEach((item, rank) => {
    const round = Math.floor(rank / workers);
    const pos = rank % workers;
    shares[round % 2 === 0 ? pos : workers - 1 - pos]!.push(item);
  });
  for (const s of shares) s.sort((a, b) => a - b);
  return shares;
}
