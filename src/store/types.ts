import type { Workflow } from '../spec/types.js';

/** Thrown when a workflow named by the caller does not exist. */
export class NotFoundError extends Error {
  constructor(readonly kind: string, readonly key: string) {
    super(`${kind} "${key}" not found`);
  }
}

/**
 * Durable workflows. The first implementation keeps one JSON document per workflow; the interface
 * takes the changed node IDs so a store that keeps nodes as rows can write only those.
 */
export interface WorkflowStore {
  /** Stores a new workflow; its metadata.name must be set. Fails if the name is taken. */
  create(wf: Workflow): Promise<Workflow>;
  get(namespace: string, name: string): Promise<Workflow | undefined>;
  list(namespace?: string): Promise<Workflow[]>;
  /** Saves status (and metadata) after a reconcile; `changedNodes` lists the nodes that changed. */
  update(wf: Workflow, changedNodes: readonly string[]): Promise<void>;
  delete(namespace: string, name: string): Promise<boolean>;
}
