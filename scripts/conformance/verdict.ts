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
  durationMs?: number;
  exitCode?: number | null;
}

export function judge(file: string, expected: WorkflowPhase[], outcome: RunOutcome, timeoutMs: number, note?: string): CaseResult {
  const base = { file, expected, durationMs: Math.round(outcome.durationMs), exitCode: outcome.exitCode, note };
  if (outcome.timedOut) {
    return { ...base, status: 'fail', got: 'timeout', reason: `timeout after ${Math.round(timeoutMs / 1000)}s` };
  }
  const phase = outcome.workflow?.status?.phase;
  if (!outcome.workflow || !phase) {
    const how = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode ?? '?'}`;
    const last = lastLine(outcome.stderr);
    return { ...base, status: 'fail', got: 'no workflow', reason: last ? `${how}: ${last}` : how };
  }
  if (expected.includes(phase)) return { ...base, status: 'pass', got: phase };
  // A workflow that succeeded where failure was expected has no cause to show; stderr would mislead.
  const reason = phase === 'Succeeded' ? undefined : failureCause(outcome.workflow, outcome.stderr);
  return { ...base, status: 'fail', got: phase, reason };
}

/** The workflow's message, else the first failed node's, else the last line argot wrote to stderr. */
export function failureCause(wf: Workflow, stderr: string): string {
  if (wf.status?.message) return wf.status.message;
  const failed = Object.values(wf.status?.nodes ?? {})
    .filter((n) => (n.phase === 'Failed' || n.phase === 'Error') && n.message)
    .sort(byLeafThenTime);
  const first = failed[0];
  if (first) return `${first.displayName}: ${first.message}`;
  return lastLine(stderr);
}

// The pod that failed says more than the steps node that failed because of it.
function byLeafThenTime(a: NodeStatus, b: NodeStatus): number {
  const leaf = (n: NodeStatus): number => (n.type === 'Pod' || n.type === 'Container' ? 0 : 1);
  const when = (n: NodeStatus): number => Date.parse(n.finishedAt ?? n.startedAt ?? '') || Infinity;
  return leaf(a) - leaf(b) || when(a) - when(b);
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
