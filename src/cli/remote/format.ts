// How `argo` prints workflows and friends: -o name|json|yaml, the list table, the get view.

import { stringify as toYaml } from 'yaml';
import type { NodeStatus, Workflow } from '../../spec/types.js';
import { formatDuration, renderWorkflow, tabwrite } from '../render/index.js';
import { CommandError, type RemoteContext } from './context.js';

export type OutputFormat = 'name' | 'json' | 'yaml' | 'wide' | 'default';

/** Checks `-o`: `argo` refuses formats a command does not know, and so do we. */
export function outputFormat(value: string | undefined, allowed: readonly Exclude<OutputFormat, 'default'>[]): OutputFormat {
  if (value === undefined || value === '') return 'default';
  if ((allowed as readonly string[]).includes(value)) return value as OutputFormat;
  throw new CommandError(`--output ${value}: expected ${allowed.join(', ')}`);
}

/** `get` prints JSON with 4 spaces, `list` with 2, as argo does. */
export function printStructured(ctx: RemoteContext, value: unknown, format: 'json' | 'yaml', indent = 4): void {
  if (format === 'json') ctx.out(`${JSON.stringify(value, null, indent)}\n`);
  else ctx.out(toYaml(value));
}

export function printWorkflow(ctx: RemoteContext, wf: Workflow, format: OutputFormat, opts: { utf8?: boolean; color?: boolean } = {}): void {
  if (format === 'name') ctx.out(`${wf.metadata.name ?? ''}\n`);
  else if (format === 'json' || format === 'yaml') printStructured(ctx, wf, format);
  // `wide` adds columns to argo's node table; argot's renderer draws one table for both.
  else ctx.out(renderWorkflow(wf, { color: ctx.color(opts), utf8: opts.utf8 ?? true, now: new Date() }));
}

const FINISHED: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Error']);

export function isFinished(wf: Workflow): boolean {
  return FINISHED.has(wf.status?.phase ?? '');
}

/** argo's `WorkflowStatus`: the phase, qualified when suspended or shut down. */
export function workflowStatus(wf: Workflow): string {
  const phase = wf.status?.phase;
  if (phase === 'Running') {
    const suspended = wf.spec.suspend === true || Object.values(wf.status?.nodes ?? {}).some((n) => n.type === 'Suspend' && n.phase === 'Running');
    return suspended ? 'Running (Suspended)' : phase;
  }
  if (phase === 'Failed' && wf.spec.shutdown) return 'Failed (Terminated)';
  if (!phase || phase === 'Pending') return wf.metadata.creationTimestamp ? 'Pending' : 'Unknown';
  return phase;
}

/** argo's list order: unfinished first (newest first), then by finish time, latest first. */
export function compareWorkflows(a: Workflow, b: Workflow): number {
  const af = Date.parse(a.status?.finishedAt ?? '');
  const bf = Date.parse(b.status?.finishedAt ?? '');
  const aDone = !Number.isNaN(af);
  const bDone = !Number.isNaN(bf);
  if (!aDone && !bDone) return (Date.parse(b.metadata.creationTimestamp ?? '') || 0) - (Date.parse(a.metadata.creationTimestamp ?? '') || 0);
  if (aDone !== bDone) return aDone ? 1 : -1;
  return bf - af;
}

export interface TableOptions {
  allNamespaces: boolean;
  wide: boolean;
  headers: boolean;
  now: Date;
}

/** `argo list`: NAME STATUS AGE DURATION PRIORITY MESSAGE (+ NAMESPACE first with -A, + P/R/C PARAMETERS when wide). */
export function workflowTable(workflows: readonly Workflow[], opts: TableOptions): string[] {
  const now = opts.now.getTime();
  const rows: string[][] = [];
  if (opts.headers) {
    const header = ['NAME', 'STATUS', 'AGE', 'DURATION', 'PRIORITY', 'MESSAGE'];
    if (opts.allNamespaces) header.unshift('NAMESPACE');
    if (opts.wide) header.push('P/R/C', 'PARAMETERS');
    rows.push(header);
  }
  for (const wf of workflows) {
    const created = Date.parse(wf.metadata.creationTimestamp ?? '');
    const started = Date.parse(wf.status?.startedAt ?? '');
    const finished = Date.parse(wf.status?.finishedAt ?? '');
    const row = [
      wf.metadata.name ?? '',
      workflowStatus(wf),
      Number.isNaN(created) ? '' : formatDuration(now - created),
      Number.isNaN(started) ? '0s' : formatDuration((Number.isNaN(finished) ? now : finished) - started),
      String(wf.spec.priority ?? 0),
      (wf.status?.message ?? '').replace(/[\t\r\n]+/g, ' '),
    ];
    if (opts.allNamespaces) row.unshift(wf.metadata.namespace ?? '');
    if (opts.wide) row.push(podCounts(Object.values(wf.status?.nodes ?? {})), parameterString(wf));
    rows.push(row);
  }
  return tabwrite(
    rows.map((r) => r.join('\t')),
    { padding: 3 },
  );
}

function podCounts(nodes: NodeStatus[]): string {
  const pods = nodes.filter((n) => n.type === 'Pod');
  const pending = pods.filter((n) => n.phase === 'Pending').length;
  const running = pods.filter((n) => n.phase === 'Running').length;
  const completed = pods.filter((n) => !['Pending', 'Running'].includes(n.phase)).length;
  return `${pending}/${running}/${completed}`;
}

function parameterString(wf: Workflow): string {
  return (wf.spec.arguments?.parameters ?? [])
    .filter((p) => p.value !== undefined)
    .map((p) => {
      const value = String(p.value);
      return `${p.name}=${value.length > 50 ? `${value.slice(0, 47)}...` : value}`;
    })
    .join(',');
}

/** Go's `time.Time.String()` in UTC, which `argo wait` prints: `2024-05-01 10:00:00 +0000 UTC`. */
export function goTime(iso: string | undefined): string {
  const date = new Date(iso ?? '');
  if (Number.isNaN(date.getTime())) return '0001-01-01 00:00:00 +0000 UTC';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** The `%-20s %v` header block argo prints for templates and cron workflows. */
export function fieldLines(fields: readonly (readonly [string, string | number | boolean | undefined])[], width = 20): string {
  return fields
    .filter(([, v]) => v !== undefined)
    .map(([label, value]) => `${label.padEnd(width)} ${String(value)}`.trimEnd())
    .join('\n')
    .concat('\n');
}
