import type { ClusterWorkflowTemplate, ConfigMap, CronWorkflow, Workflow, WorkflowTemplate } from '../spec/types.js';

/** A named object that does not exist. Mapped to HTTP 404 / gRPC NotFound at the edge. */
export class NotFoundError extends Error {
  readonly code = 'NotFound';
  constructor(
    readonly kind: string,
    readonly key: string,
  ) {
    super(`${kind} "${key}" not found`);
  }
}

/** Create of a name that is taken, or an update from a stale resourceVersion. HTTP 409. */
export class ConflictError extends Error {
  readonly code = 'AlreadyExists';
  constructor(
    readonly kind: string,
    readonly key: string,
    message?: string,
  ) {
    super(message ?? `${kind} "${key}" already exists`);
  }
}

export interface ListOptions {
  /** Undefined or '' (Kubernetes' NamespaceAll): every namespace. */
  namespace?: string;
  /** Kubernetes label selector: `a=b,c!=d,e in (x,y),!f,g`. */
  labelSelector?: string;
  /** Field selector: `metadata.name=x`, `status.phase=Running`, `metadata.namespace=ns` (`=`, `==`, `!=`, comma-joined). */
  fieldSelector?: string;
  /** Names starting with this prefix (Argo's nameFilter=Prefix). */
  namePrefix?: string;
  /** Page size; 0 or undefined: all. */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
}

export interface ListResult<T> {
  items: T[];
  /** Present when more items follow. */
  continue?: string;
  /** The store's version at the time of the list, for watches that follow it. */
  resourceVersion: string;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change<T> {
  type: ChangeType;
  object: T;
}

/**
 * Namespaced (or cluster-scoped, namespace '') objects addressed by name. Every write assigns a new
 * metadata.resourceVersion (a store-wide increasing counter, as a string) and keeps
 * metadata.uid and metadata.creationTimestamp (set on create when absent).
 */
export interface ObjectStore<T extends { metadata: { name?: string; namespace?: string } }> {
  create(obj: T): Promise<T>;
  /** Cluster-scoped kinds ignore `namespace`. */
  get(namespace: string, name: string): Promise<T | undefined>;
  /**
   * Newest first: creationTimestamp descending, then name, then namespace. Pages are keyset-based:
   * objects created or deleted while a client pages never cause duplicates or skipped objects.
   * Invalid selectors, limits and continue tokens reject with an error whose `code` is
   * 'InvalidArgument' (HTTP 400).
   */
  list(opts?: ListOptions): Promise<ListResult<T>>;
  /** Replaces the object. With `expectedVersion`, fails with ConflictError if it moved on. */
  update(obj: T, expectedVersion?: string): Promise<T>;
  /** Resolves false when there was nothing to delete. Cluster-scoped kinds ignore `namespace`. */
  delete(namespace: string, name: string): Promise<boolean>;
  /**
   * In-process change feed (after the write committed, in commit order; writes of other processes
   * sharing a database are not seen). A DELETED change carries the last state with the deletion's
   * resourceVersion. Listeners must not modify the object. Returns the unsubscribe.
   */
  watch(listener: (change: Change<T>) => void): () => void;
}

/**
 * Workflows: status is stored per node, and a reconcile writes only the nodes that changed
 * (DESIGN.md §3: a 5,000-node workflow must not rewrite megabytes per step).
 */
export interface WorkflowStore extends ObjectStore<Workflow> {
  /**
   * As ObjectStore.list, but items come WITHOUT status.nodes (the rest of status is there): a list
   * never reads node rows, so a page costs the same whatever the workflows' sizes. This is Argo's
   * list too, which omits nodes unless `fields` asks for them. `get` a workflow for its nodes.
   */
  list(opts?: ListOptions): Promise<ListResult<Workflow>>;
  /**
   * Saves metadata, spec and status after a reconcile, writing only the node rows in
   * `changedNodes` (plus deleting rows for node IDs no longer in status.nodes when `prune`).
   * One transaction: a crash leaves the previous or the new state, never a mix.
   * A listed ID that is absent from status.nodes is deleted. Nodes not listed keep their stored
   * state even if `wf` carries them changed. No version check (the controller is the single
   * writer of status); NotFoundError when the workflow is gone. Watchers get `wf` as saved.
   */
  saveStatus(wf: Workflow, changedNodes: readonly string[], opts?: { prune?: boolean }): Promise<Workflow>;
  /** Workflows not finished (phase unset, Pending or Running), with their nodes, oldest first, for the controller's restart. */
  listUnfinished(): Promise<Workflow[]>;
  /**
   * The stored resourceVersion alone (undefined: no such workflow), where reading it is much
   * cheaper than `get`: the controller keeps what it saved and re-reads only what changed since.
   */
  version?(namespace: string, name: string): Promise<string | undefined>;
}

/** A Kubernetes-style event (`kubectl get events`): what the controller did to a workflow. */
export interface StoredEvent {
  namespace: string;
  /** The workflow (or cron workflow) it is about. */
  involvedObject: { kind: string; name: string; namespace: string; uid?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

export interface EventStore {
  /** A repeat of the same object, type, reason and message raises `count` and `lastTimestamp`. */
  record(event: Omit<StoredEvent, 'firstTimestamp' | 'lastTimestamp' | 'count'> & { at: string }): Promise<void>;
  /** Oldest first (lastTimestamp); `limit` keeps the most recent. */
  list(opts: { namespace?: string; involvedName?: string; limit?: number }): Promise<StoredEvent[]>;
}

/** Everything durable, behind one handle; `close` releases the database. */
export interface Store {
  workflows: WorkflowStore;
  workflowTemplates: ObjectStore<WorkflowTemplate>;
  clusterWorkflowTemplates: ObjectStore<ClusterWorkflowTemplate>;
  cronWorkflows: ObjectStore<CronWorkflow>;
  configMaps: ObjectStore<ConfigMap>;
  events: EventStore;
  close(): Promise<void>;
}
