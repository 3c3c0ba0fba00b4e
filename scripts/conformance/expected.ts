// EXPECTED.tsv: one row per corpus file with its tier and expected outcome (see the corpus README).
// The `expected` column is prose for humans; this turns it into the phases a run may end in.

import type { WorkflowPhase } from '../../src/spec/types.js';

export interface ExpectedRow {
  file: string;
  /** `1`, `2`, `3`, or a kind that cannot run locally: `net`, `k8s`, `support`. */
  tier: string;
  expected: string;
  tools: string[];
  needs: string[];
  random: boolean;
  long: boolean;
  argoCi: string;
}

export interface Expectation {
  /** Any of these ends the run as expected. */
  phases: WorkflowPhase[];
  /** `Succeeded?`: inferred by reading the file, never asserted by Argo. */
  inferred: boolean;
  /** Set when the outcome needs a human (`Succeeded after resume`): a plain run would hang. */
  interactive?: string;
}

const COLUMNS = ['file', 'tier', 'expected', 'tools', 'needs', 'random', 'long', 'argo_ci'] as const;

export function parseExpectedTsv(text: string): ExpectedRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const header = lines.shift()?.split('\t') ?? [];
  const index = Object.fromEntries(COLUMNS.map((name) => [name, header.indexOf(name)])) as Record<(typeof COLUMNS)[number], number>;
  if (index.file < 0 || index.tier < 0 || index.expected < 0) {
    throw new Error(`EXPECTED.tsv: header must name the columns file, tier and expected; got "${header.join(' | ')}"`);
  }
  return lines.map((line) => {
    const cells = line.split('\t');
    const cell = (name: (typeof COLUMNS)[number]): string => (index[name] >= 0 ? (cells[index[name]] ?? '').trim() : '');
    const list = (name: (typeof COLUMNS)[number]): string[] => cell(name).split(',').map((s) => s.trim()).filter(Boolean);
    return {
      file: cell('file'),
      tier: cell('tier'),
      expected: cell('expected'),
      tools: list('tools'),
      needs: list('needs'),
      random: cell('random') !== '',
      long: cell('long') !== '',
      argoCi: cell('argo_ci'),
    };
  });
}

const OUTCOME = /^(Succeeded|Failed|Error)(\?)?(.*)$/s;

/**
 * `Succeeded`, `Succeeded (why)`, `Failed (why)`, `Failed eventually …`, `Failed? (why)`, `Error …`,
 * `Succeeded after resume …`. Undefined for `n/a` (supporting manifests) and for prose it cannot read.
 */
export function parseExpectation(text: string): Expectation | undefined {
  const match = OUTCOME.exec(text.trim());
  if (!match) return undefined;
  const phase = match[1] as WorkflowPhase;
  const rest = (match[3] ?? '').trim();
  const expectation: Expectation = { phases: [phase], inferred: match[2] === '?' };
  if (/^after\b/.test(rest)) expectation.interactive = `${phase} ${rest}`;
  return expectation;
}
