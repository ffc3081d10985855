// Small validators shared by the stage modules' config checks.
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** One line per key of `obj` that is not in `known`. */
export function unknownKeyProblems(obj: Record<string, unknown>, known: readonly string[], where: string): string[] {
  return Object.keys(obj)
    .filter((k) => !known.includes(k))
    .map((k) => `${where}: unknown option '${k}' (known: ${known.join(', ')})`);
}

/** ' · drop 0.3' when a training config sets its dropout (labels of the training stages). */
export const dropLabel = (c: Record<string, unknown>): string =>
  typeof c.hiddenDropout === 'number' ? ` · drop ${c.hiddenDropout}` : '';
