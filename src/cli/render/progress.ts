// Progress `done/total` over the pods of a workflow, as Argo counts it. The controller keeps
// `status.progress`; it is recomputed only for a status that lacks it (an older or hand-made one).

import type { Workflow } from '../../spec/types.js';
import { elapsedMs, formatDuration } from './duration.js';

export function progressOf(wf: Workflow): string {
  if (wf.status?.progress) return wf.status.progress;
  const pods = Object.values(wf.status?.nodes ?? {}).filter((n) => n.type === 'Pod');
  if (!pods.length) return wf.status?.phase ? '0/0' : '';
  return `${pods.filter((n) => n.phase === 'Succeeded').length}/${pods.length}`;
}

/** One line for a live display while the workflow runs: `Running  3/7  12s  steps-abc`. */
export function renderProgressLine(wf: Workflow, now: Date): string {
  const phase = wf.status?.phase ?? 'Pending';
  const elapsed = elapsedMs(wf.status?.startedAt, wf.status?.finishedAt, now);
  const parts = [phase, progressOf(wf) || '0/0', elapsed === undefined ? '0s' : formatDuration(elapsed), wf.metadata.name ?? ''];
  const running = runningSteps(wf);
  if (running) parts.push(running);
  return parts.join('  ');
}

// What the user waits on: the display names of running pods, capped to keep the line short.
function runningSteps(wf: Workflow): string {
  const names = Object.values(wf.status?.nodes ?? {})
    .filter((n) => n.type === 'Pod' && n.phase === 'Running')
    .map((n) => n.displayName);
  if (!names.length) return '';
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `(${shown}, +${names.length - 3})` : `(${shown})`;
}
