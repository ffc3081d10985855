// TensorBoard's scalar smoothing: a debiased exponential moving average (tensorboard/components/vz_line_chart2,
// `resmoothDataset`). With weight w the running value is s_t = w·s_(t-1) + (1-w)·x_t from s_0 = 0, and each point
// is s_t / (1 - w^t), so the first points are not pulled towards 0. Non-finite values pass through unsmoothed and
// do not enter the average; a series whose finite values are all equal is left as it is (TensorBoard's rule).

/** The slider's range: 0 (raw) to 0.99. */
export const MAX_SMOOTHING = 0.99;

/** Smoothed copy of `values` (same length; `undefined` entries, e.g. a term missing at a step, stay undefined). */
export function emaSmooth(values: readonly (number | undefined)[], weight: number): (number | undefined)[] {
  if (!(Number.isFinite(weight) && weight >= 0 && weight < 1)) {
    throw new RangeError(`emaSmooth: the smoothing weight must be in [0, 1), got ${weight}`);
  }
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (weight === 0 || finite.every((v) => v === finite[0])) return [...values];
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === undefined || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}
