/**
 * Linear warmup then linear decay to 0, as Hugging Face's `get_linear_schedule_with_warmup`, which both
 * SQG_train.py and distil.py use:
 *   scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=args.warmup_steps, num_training_steps=t_total)
 * HF's multiplier for scheduler step s is
 *   s < warmup ? s / max(1, warmup) : max(0, (total - s) / max(1, total - warmup))
 * and `scheduler.step()` runs after `optimizer.step()`, so optimizer update k (0-based) uses the multiplier of s = k
 * (with warmup > 0 the very first update therefore has lr 0, exactly as in HF).
 */
export function linearWarmupDecayFactor(step: number, warmupSteps: number, totalSteps: number): number {
  if (step < warmupSteps) return step / Math.max(1, warmupSteps);
  return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
}

/** Learning rate of optimizer update `step` (0-based). */
export function learningRateAt(step: number, peakLr: number, warmupSteps: number, totalSteps: number): number {
  return peakLr * linearWarmupDecayFactor(step, warmupSteps, totalSteps);
}

/**
 * Warmup steps from a ratio of the total, as HF `TrainingArguments.get_warmup_steps` (math.ceil). The study uses
 * `--warmup_steps 0` (its default), i.e. ratio 0.
 */
export function warmupStepsFor(totalSteps: number, warmupRatio: number): number {
  return Math.ceil(totalSteps * warmupRatio);
}
