// Which corpus files to run and what to expect of each, from EXPECTED.tsv and the command line.
// Everything selected gets a line in the report: a run, or a skip with its reason.

import type { WorkflowPhase } from '../../src/spec/types.js';
import { HUMAN_DRIVES, type Drive } from './drive.js';
import { parseExpectation, type ExpectedRow } from './expected.js';
import { RANDOM_PHASES } from './random-phases.js';

export interface PlanOptions {
  /** Run numeric tiers up to this one (tiers are cumulative); other kinds of rows are left out. */
  tier?: number;
  /** Also run the files marked `long`. */
  long: boolean;
  /** Corpus-relative paths; when given, only these are planned. */
  files: string[];
  /** Rows that need a human can be driven (server mode): run those with an entry in HUMAN_DRIVES. */
  drive?: boolean;
}

export interface RunCase {
  file: string;
  action: 'run';
  phases: WorkflowPhase[];
  note?: string;
  row?: ExpectedRow;
  /** Play the human: answer these suspend nodes (server mode). */
  drive?: Drive;
  /** Said on the report line whatever the outcome: how the row was run when not just run. */
  detail?: string;
}

export type PlannedCase = RunCase | { file: string; action: 'skip'; reason: string; row?: ExpectedRow };

/** CronWorkflow-only files run their workflowSpec once; argot's scheduler has unit tests of its own. */
export const CRON_DETAIL = 'CronWorkflow: its workflowSpec run once; the schedule itself is covered by unit tests';

const NOT_LOCAL: Record<string, string> = {
  support: 'supporting manifest, not a workflow to run',
  net: 'needs the network',
  k8s: 'needs Kubernetes, a cloud service or a special tool',
};

export function planCases(rows: readonly ExpectedRow[], options: PlanOptions): PlannedCase[] {
  if (options.files.length) {
    const byFile = new Map(rows.map((row) => [row.file, row]));
    return options.files.map((file) => {
      const row = byFile.get(file);
      // A file the table does not know (a new example, a local test file) is held to the common case.
      return row ? planRow(row, options) : { file, action: 'run', phases: ['Succeeded'], note: 'not in EXPECTED.tsv' };
    });
  }
  return rows.filter((row) => options.tier === undefined || isTierUpTo(row.tier, options.tier)).map((row) => planRow(row, options));
}

function isTierUpTo(tier: string, max: number): boolean {
  return /^\d+$/.test(tier) && Number(tier) <= max;
}

function planRow(row: ExpectedRow, options: PlanOptions): PlannedCase {
  const skip = (reason: string): PlannedCase => ({ file: row.file, action: 'skip', reason, row });
  const notLocal = NOT_LOCAL[row.tier];
  if (notLocal) return skip(row.needs.length && row.tier !== 'support' ? `${notLocal} (${row.needs.join(', ')})` : notLocal);
  if (row.long && !options.long) return skip('long-running (use --long)');
  const expectation = parseExpectation(row.expected);
  if (!expectation) return skip(`cannot read the expected outcome "${row.expected}"`);
  const drive = expectation.interactive ? HUMAN_DRIVES[row.file] : undefined;
  if (expectation.interactive && !(drive && options.drive)) {
    const how = !drive ? ' (no entry in HUMAN_DRIVES)' : ' (driven in server mode only)';
    return skip(`needs interaction: ${expectation.interactive}${how}`);
  }
  const detail = drive ? `driven: ${drive.why}` : row.needs.includes('cron-scheduler') ? CRON_DETAIL : undefined;
  const extra = { ...(drive ? { drive } : {}), ...(detail ? { detail } : {}) };
  const random = row.random ? RANDOM_PHASES[row.file] : undefined;
  if (random) return { file: row.file, action: 'run', phases: random.phases, note: `random: ${random.why}`, row, ...extra };
  return { file: row.file, action: 'run', phases: expectation.phases, note: expectation.inferred ? 'inferred outcome' : undefined, row, ...extra };
}
