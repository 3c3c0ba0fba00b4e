import type { PodObservation, PodSpec } from '../runtime/types.js';
import type { Workflow, WorkflowTemplate, ClusterWorkflowTemplate } from '../spec/types.js';
import type { Locks } from '../sync/types.js';

export interface EngineConfig {
  /** Default namespace for workflows without one. */
  namespace: string;
}

/** Where templateRef and workflowTemplateRef look. Pure lookups: the controller preloads them. */
export interface TemplateLookup {
  workflowTemplate(name: string, namespace: string): WorkflowTemplate | undefined;
  clusterWorkflowTemplate(name: string): ClusterWorkflowTemplate | undefined;
}

export interface ReconcileInput {
  workflow: Workflow;
  /** Pods as last observed, by pod name. A pod the engine asked for but that is absent here has not been seen yet. */
  observed: ReadonlyMap<string, PodObservation>;
  now: Date;
  config: EngineConfig;
  templates?: TemplateLookup;
  /** Semaphores and mutexes: asked while walking, so two workflows never both take a last slot. */
  locks: Locks;
  /**
   * Pods the controller has created already and that have not been reported yet (absent from
   * `observed`): asked for again, they would be skipped, so their specs are not built again. A wide
   * fan-out waiting for its pods otherwise rebuilt every one of them on every reconcile.
   */
  requested?: ReadonlySet<string>;
}

export type Action =
  | { type: 'createPod'; pod: PodSpec }
  | { type: 'deletePod'; pod: string; reason: string }
  | { type: 'emitEvent'; reason: string; message: string; nodeId?: string; severity: 'Normal' | 'Warning' };

export interface ReconcileResult {
  workflow: Workflow;
  actions: Action[];
  /** Reconcile again after this many milliseconds even without an event (backoff, deadlines, suspend). */
  requeueAfterMs?: number;
  /** Node IDs whose status changed in this reconcile (the store writes only these). */
  changedNodes: string[];
}

