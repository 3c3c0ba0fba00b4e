// The task names a DAG task's `depends` expression mentions. The expression language is a boolean
// over `task` or `task.Result` terms; here only the terms matter, to check they name real tasks.

export const TASK_RESULTS = [
  'Succeeded',
  'Failed',
  'Errored',
  'Skipped',
  'Omitted',
  'Daemoned',
  'AnySucceeded',
  'AllFailed',
] as const;

export interface DependsTerm {
  task: string;
  /** `Succeeded`, `Failed`, …; absent for a bare task name. May be misspelt: check with TASK_RESULTS. */
  result?: string;
}

const OPERATORS = /&&|\|\||[!()\s]+/;

/**
 * Splits `depends` into terms. `knownTasks` disambiguates a bare task name that itself contains a
 * dot from a `task.Result` term.
 */
export function parseDepends(expression: string, knownTasks: ReadonlySet<string> = new Set()): DependsTerm[] {
  const terms: DependsTerm[] = [];
  for (const token of expression.split(OPERATORS)) {
    if (token === '') continue;
    const dot = token.lastIndexOf('.');
    if (dot <= 0 || knownTasks.has(token)) terms.push({ task: token });
    else terms.push({ task: token.slice(0, dot), result: token.slice(dot + 1) });
  }
  return terms;
}
