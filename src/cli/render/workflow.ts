// `argo get`: the header block, a blank line, then the node table. Labels and values are laid out
// with Go's `%-20s %v`, so long labels push their value right instead of being cut.

import type { Workflow, WorkflowStatus } from '../../spec/types.js';
import { elapsedMs, formatDurationLong, formatTimestamp } from './duration.js';
import { renderNodeTable } from './node-table.js';
import { progressOf } from './progress.js';

export interface RenderOptions {
  /** Colour the phase icons; the CLI decides it from NO_COLOR, FORCE_COLOR, --no-color and the TTY. */
  color: boolean;
  /** Unicode icons and tree lines (default); false gives Argo's `--no-utf8` words and ASCII. */
  utf8?: boolean;
  /** The clock for "2 minutes ago" and for the durations of what still runs. */
  now: Date;
}

// Conditions Argo marks in the header; other condition types get no icon.
const CONDITION_ICONS: Record<string, string> = { MetricsError: '✖', SpecWarning: '⚠' };

export function renderWorkflow(wf: Workflow, options: RenderOptions): string {
  const { now } = options;
  const status: WorkflowStatus = wf.status ?? {};
  const lines: string[] = [];
  const field = (label: string, value: string | number = ''): void => {
    lines.push(`${label.padEnd(20)} ${value}`.trimEnd());
  };

  field('Name:', wf.metadata.name ?? '');
  field('Namespace:', wf.metadata.namespace ?? '');
  field('ServiceAccount:', serviceAccountOf(wf));
  field('Status:', statusText(wf));
  if (status.message) field('Message:', status.message);
  if (status.conditions?.length) {
    field('Conditions:');
    for (const condition of status.conditions) {
      field(`${CONDITION_ICONS[condition.type] ?? ''} ${condition.type}`, condition.message || condition.status);
    }
  }
  if (wf.metadata.creationTimestamp) field('Created:', formatTimestamp(wf.metadata.creationTimestamp, now));
  if (status.startedAt) field('Started:', formatTimestamp(status.startedAt, now));
  if (status.finishedAt) field('Finished:', formatTimestamp(status.finishedAt, now));
  const duration = elapsedMs(status.startedAt, status.finishedAt, now);
  if (duration !== undefined) field('Duration:', formatDurationLong(duration));
  if (status.phase === 'Running' && status.estimatedDuration) {
    field('EstimatedDuration:', formatDurationLong(status.estimatedDuration * 1000));
  }
  field('Progress:', progressOf(wf));

  const parameters = (wf.spec.arguments?.parameters ?? []).filter((p) => p.value !== undefined);
  if (parameters.length) {
    field('Parameters:');
    for (const p of parameters) field(`  ${p.name}:`, String(p.value));
  }
  const outputs = (status.outputs?.parameters ?? []).filter((p) => p.value !== undefined);
  if (outputs.length) {
    field('Output Parameters:');
    for (const p of outputs) field(`  ${p.name}:`, String(p.value));
  }
  const artifacts = status.outputs?.artifacts ?? [];
  if (artifacts.length) {
    field('Output Artifacts:');
    for (const a of artifacts) field(`  ${a.name}:`, artifactLocation(a));
  }

  const locks = lockLines(status);
  if (locks.length) {
    field('Synchronization:');
    for (const [label, value] of locks) field(`  ${label}`, value);
  }

  const table = renderNodeTable(wf, { color: options.color, utf8: options.utf8 ?? true, now });
  if (table.length) lines.push('', ...table);
  return `${lines.join('\n')}\n`;
}

/**
 * Who holds and who waits (argot; `argo get` shows nothing of it): each lock this workflow holds,
 * with the holder keys, and each one it waits for, with who holds it now.
 */
function lockLines(status: WorkflowStatus): [string, string][] {
  const sync = status.synchronization;
  if (!sync) return [];
  const out: [string, string][] = [];
  for (const h of sync.semaphore?.holding ?? []) out.push(['Holding:', `semaphore ${h.semaphore} (as ${h.holders.join(', ')})`]);
  for (const h of sync.mutex?.holding ?? []) out.push(['Holding:', `mutex ${h.mutex} (as ${h.holder})`]);
  for (const w of sync.semaphore?.waiting ?? []) out.push(['Waiting for:', `semaphore ${w.semaphore}${w.holders.length ? ` (held by ${w.holders.join(', ')})` : ''}`]);
  for (const w of sync.mutex?.waiting ?? []) out.push(['Waiting for:', `mutex ${w.mutex}${w.holder ? ` (held by ${w.holder})` : ''}`]);
  return out;
}

function serviceAccountOf(wf: Workflow): string {
  if (wf.spec.serviceAccountName) return wf.spec.serviceAccountName;
  // With a workflowTemplateRef the template may still set one, so Argo does not promise "default".
  return wf.spec.workflowTemplateRef ? 'unset' : 'unset (will run with the default ServiceAccount)';
}

function statusText(wf: Workflow): string {
  const phase = wf.status?.phase;
  if (!phase) return 'Pending';
  if (phase === 'Running' && isSuspended(wf)) return 'Running (Suspended)';
  if ((phase === 'Failed' || phase === 'Error') && wf.spec.shutdown) {
    return `${phase} (${wf.spec.shutdown === 'Terminate' ? 'Terminated' : 'Stopped'})`;
  }
  return phase;
}

function isSuspended(wf: Workflow): boolean {
  if (wf.spec.suspend) return true;
  return Object.values(wf.status?.nodes ?? {}).some((n) => n.type === 'Suspend' && n.phase === 'Running');
}

// Where an output artifact went: the first location key Argo knows (s3, gcs, http…), else its path.
function artifactLocation(artifact: Record<string, unknown>): string {
  const known = ['s3', 'gcs', 'oss', 'azure', 'hdfs', 'http', 'artifactory', 'git', 'raw'];
  for (const key of known) {
    const location = artifact[key];
    if (location && typeof location === 'object') {
      const loc = location as Record<string, unknown>;
      const where = [loc['bucket'], loc['container'], loc['key'] ?? loc['blob'] ?? loc['path'] ?? loc['url'] ?? loc['repo']]
        .filter((part) => typeof part === 'string' && part !== '')
        .join('/');
      return where ? `${key}://${where}` : key;
    }
  }
  return typeof artifact['path'] === 'string' ? artifact['path'] : '';
}
