// Sorting happens in the browser over the rows loaded so far: the list API has one order (newest
// first), so "oldest first" or "longest" means "among the pages loaded". The column header says so.
import type { WorkflowRow } from './model.js';

export const SORT_KEYS = ['name', 'namespace', 'started', 'finished', 'duration', 'progress'] as const;
export type SortKey = (typeof SORT_KEYS)[number] | 'created';
export type SortDir = 'asc' | 'desc';

export function sortKeyFrom(s: string | null): SortKey {
  return (SORT_KEYS as readonly string[]).includes(s ?? '') ? (s as SortKey) : 'created';
}

function durationOf(wf: WorkflowRow, now: number): number {
  const start = wf.status?.startedAt ? Date.parse(wf.status.startedAt) : NaN;
  if (Number.isNaN(start)) return -1;
  return (wf.status?.finishedAt ? Date.parse(wf.status.finishedAt) : now) - start;
}

/** `3/5` as a fraction done, so half-done sorts above one-tenth-done whatever the sizes. */
function progressOf(wf: WorkflowRow): number {
  const m = /^(\d+)\/(\d+)$/.exec(wf.status?.progress ?? '');
  if (!m) return -1;
  const total = Number(m[2]);
  return total === 0 ? 0 : Number(m[1]) / total;
}

function compare(a: WorkflowRow, b: WorkflowRow, key: SortKey, now: number): number {
  switch (key) {
    case 'name':
      return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
    case 'namespace':
      return (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '');
    case 'started':
      return (a.status?.startedAt ?? '').localeCompare(b.status?.startedAt ?? '');
    case 'finished':
      // Unfinished ones are the latest to finish.
      return (a.status?.finishedAt ?? '\uffff').localeCompare(b.status?.finishedAt ?? '\uffff');
    case 'duration':
      return durationOf(a, now) - durationOf(b, now);
    case 'progress':
      return progressOf(a) - progressOf(b);
    case 'created':
      return (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
  }
}

export function sortRows(rows: Iterable<WorkflowRow>, key: SortKey, dir: SortDir, now: number): WorkflowRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare(a, b, key, now) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}
