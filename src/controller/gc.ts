// When finished workflows and their pods go away (ttlStrategy, podGC): pure decisions, times in ms.
import { parseDuration } from '../engine/index.js';
import type { NodeStatus, Workflow } from '../spec/types.js';

/** When a finished workflow is deleted under its ttlStrategy, or undefined to keep it. */
export function ttlExpiry(wf: Workflow): number | undefined {
  const ttl = wf.spec.ttlStrategy;
  const finished = Date.parse(wf.status?.finishedAt ?? '');
  if (!ttl || Number.isNaN(finished)) return undefined;
  const phase = wf.status?.phase;
  // Argo's Status.Failed() is phase == Failed: an Error workflow honours only secondsAfterCompletion.
  const specific = phase === 'Succeeded' ? ttl.secondsAfterSuccess : phase === 'Failed' ? ttl.secondsAfterFailure : undefined;
  const seconds = specific ?? ttl.secondsAfterCompletion;
  return seconds === undefined ? undefined : finished + seconds * 1000;
}

export type PodGcStrategy = 'OnPodCompletion' | 'OnPodSuccess' | 'OnWorkflowCompletion' | 'OnWorkflowSuccess';

/** Whether podGC removes this finished pod node now that its workflow is in `wf`'s state. */
export function podCollectable(wf: Workflow, node: NodeStatus): boolean {
  const strategy = wf.spec.podGC?.strategy as PodGcStrategy | undefined;
  const finished = node.phase !== 'Pending' && node.phase !== 'Running';
  if (!strategy || node.type !== 'Pod' || !finished) return false;
  const wfPhase = wf.status?.phase;
  const wfDone = wfPhase === 'Succeeded' || wfPhase === 'Failed' || wfPhase === 'Error';
  switch (strategy) {
    case 'OnPodCompletion':
      return true;
    case 'OnPodSuccess':
      return node.phase === 'Succeeded';
    case 'OnWorkflowCompletion':
      return wfDone;
    case 'OnWorkflowSuccess':
      return wfPhase === 'Succeeded';
    default:
      return false;
  }
}

/** podGC.deleteDelayDuration in ms (0 when unset or invalid). */
export function podGcDelay(wf: Workflow): number {
  return parseDuration(wf.spec.podGC?.deleteDelayDuration) ?? 0;
}
