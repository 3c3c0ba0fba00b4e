// Judges a run against its expectation and finds the one line that explains a failure.

import type { NodeStatus, Workflow, WorkflowPhase } from '../../src/spec/types.js';
import type { RunOutcome } from './run-example.js';

export interface CaseResult {
  file: string;
  status: 'pass' | 'fail' | 'skip';
  /** Phases that would have passed (runs only). */
  expected?: WorkflowPhase[];
  /** The phase the workflow ended in, `timeout`, or `no workflow`. */
  got?: string;
  /** Why it failed, or why it was skipped. */
  reason?: string;
  note?: string;
  /** How the row was run when not just run (a CronWorkflow run once, a suspend node answered); printed on its line. */
  detail?: string;
  /** The EXPECTED.tsv tier, for the per-tier counts. */
  tier?: string;
  durationMs?: number;
  exitCode?: number | null;
}

export function judge(file: string, expected: WorkflowPhase[], outcome: RunOutcome, timeoutMs: number, note?: string, detail?: string): CaseResult {
  const details = [detail, outcome.detail].filter(Boolean).join('; ');
  const base = { file, expected, durationMs: Math.round(outcome.durationMs), exitCode: outcome.exitCode, note, ...(details ? { detail: details } : {}) };
  if (outcome.timedOut) {
    const stuck = outcome.stuck?.length ? `; still running: ${outcome.stuck.join(', ')}` : '';
    return { ...base, status: 'fail', got: 'timeout', reason: `timeout after ${Math.round(timeoutMs / 1000)}s${stuck}` };
  }
  // A file with several workflows passes when each ends as expected; the first that does not is judged.
  const all = outcome.workflows ?? (outcome.workflow ? [outcome.workflow] : []);
  const workflow = all.find((wf) => !expected.includes(wf.status?.phase as WorkflowPhase)) ?? outcome.workflow;
  const phase = workflow?.status?.phase;
  if (!workflow || !phase) {
    const how = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode ?? '?'}`;
    const last = lastLine(outcome.stderr);
    return { ...base, status: 'fail', got: 'no workflow', reason: last ? `${how}: ${last}` : how };
  }
  if (expected.includes(phase)) return { ...base, status: 'pass', got: phase };
  // A workflow that succeeded where failure was expected has no cause to show; stderr would mislead.
  const reason = phase === 'Succeeded' ? undefined : failureCause(workflow, outcome.stderr);
  return { ...base, status: 'fail', got: phase, reason };
}

/**
 * The workflow's message, else the first failed node's, else the last line argot wrote to stderr.
 * A message that only says a child failed gives way to that child's own.
 */
export function failureCause(wf: Workflow, stderr: string): string {
  const message = wf.status?.message;
  if (message && !CHILD_FAILED.test(message)) return message;
  const failed = Object.values(wf.status?.nodes ?? {})
    .filter((n) => (n.phase === 'Failed' || n.phase === 'Error') && n.message && !CHILD_FAILED.test(n.message))
    .sort(byLeafThenTime);
  const first = failed[0];
  if (first) return `${first.displayName}: ${first.message}`;
  return message || lastLine(stderr);
}

const CHILD_FAILED = /^child '[^']*' (failed|errored)$/;

// The pod that failed says more than the steps node that failed because of it.
function byLeafThenTime(a: NodeStatus, b: NodeStatus): number {
  const leaf = (n: NodeStatus): number => (n.type === 'Pod' || n.type === 'Container' ? 0 : 1);
  const when = (n: NodeStatus): number => Date.parse(n.finishedAt ?? n.startedAt ?? '') || Infinity;
  return leaf(a) - leaf(b) || when(a) - when(b);
}

/**
 * The last line of stderr, which usually says why; when it only counts errors (`argot: 1 error in
 * FILE; nothing was sent`), the error lines before it.
 */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  if (!ERROR_COUNT.test(last)) return last;
  const counted = lines.slice(0, -1).reverse();
  const start = counted.findIndex((l) => !/\d+:\d+: /.test(l));
  const errors = (start < 0 ? counted : counted.slice(0, start)).reverse();
  return errors.length ? errors.join(' | ') : last;
}

const ERROR_COUNT = /\b\d+ errors? in \S/;
