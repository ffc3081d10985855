// Errors for dataset files: every problem found (up to a cap), each naming its JSON path.
export interface DatasetProblem {
  /** JSON path such as `data[3].paragraphs[0].qas[2].answers[0].answer_start` ('' for the whole file). */
  path: string;
  message: string;
}

/** How many problems are collected before validation stops looking. */
export const MAX_PROBLEMS = 100;
/** How many problems the error message lists (all are in `problems`). */
const LISTED = 20;

export class DatasetError extends Error {
  override name = 'DatasetError';
  constructor(
    readonly problems: DatasetProblem[],
    readonly source?: string,
    /** True when validation stopped at MAX_PROBLEMS; there may be more. */
    readonly truncated = false,
  ) {
    super(formatProblems(problems, source, truncated));
  }
}

function formatProblems(problems: DatasetProblem[], source: string | undefined, truncated: boolean): string {
  const where = source ?? 'dataset';
  const line = (p: DatasetProblem) => (p.path ? `${p.path}: ${p.message}` : p.message);
  if (problems.length === 1) return `${where}: ${line(problems[0]!)}`;
  const count = `${problems.length}${truncated ? '+' : ''}`;
  const shown = problems.slice(0, LISTED).map((p) => `  - ${line(p)}`);
  const more = problems.length > LISTED ? [`  ... and ${problems.length - LISTED}${truncated ? '+' : ''} more`] : [];
  return [`${where}: ${count} problems`, ...shown, ...more].join('\n');
}
