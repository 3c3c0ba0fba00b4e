import type { NodePhase, WorkflowPhase } from '../spec/types.js';

// One transition table for node phases: fulfilled phases are terminal, so late events from an
// old pod can never move a finished node (DESIGN.md §2).
const ALLOWED: Record<NodePhase, readonly NodePhase[]> = {
  Pending: ['Running', 'Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted'],
  Running: ['Succeeded', 'Failed', 'Error'],
  Succeeded: [],
  Failed: [],
  Error: [],
  Skipped: [],
  Omitted: [],
};

export function canTransition(from: NodePhase, to: NodePhase): boolean {
  return from === to || ALLOWED[from].includes(to);
}

export function isFulfilled(phase: NodePhase): boolean {
  return phase !== 'Pending' && phase !== 'Running';
}

export function isFailedOrError(phase: NodePhase): boolean {
  return phase === 'Failed' || phase === 'Error';
}

/** Succeeded, Failed and Error are final for a workflow. */
export function isWorkflowFinished(phase: WorkflowPhase | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}

export function workflowPhaseOf(entry: NodePhase): WorkflowPhase {
  switch (entry) {
    case 'Pending':
      return 'Pending';
    case 'Running':
      return 'Running';
    case 'Succeeded':
    case 'Skipped':
    case 'Omitted':
      return 'Succeeded';
    case 'Failed':
      return 'Failed';
    case 'Error':
      return 'Error';
  }
}
