// The operations a team performs on workflows, as Argo Server's WorkflowService offers them. The HTTP
// server and the CLI's embedded mode both call this; it is implemented over the store and the
// controller. Errors are the store's NotFoundError / ConflictError, or InvalidError below.
import type { Change, ListOptions, ListResult } from '../store/types.js';
import type { ClusterWorkflowTemplate, CronWorkflow, Workflow, WorkflowTemplate } from '../spec/types.js';

/** A request that cannot be carried out as asked: bad manifest, wrong phase for the operation. HTTP 400. */
export class InvalidError extends Error {
  readonly code = 'InvalidArgument';
  constructor(
    message: string,
    /** Lint lines, `file:line:col: message (path)`, when the cause is a manifest. */
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export interface SubmitOptions {
  /** `name=value` pairs that override spec.arguments.parameters. */
  parameters?: string[];
  entrypoint?: string;
  labels?: Record<string, string>;
  generateName?: string;
  name?: string;
  serviceAccount?: string;
  dryRun?: boolean;
}

export interface RetryOptions {
  restartSuccessful?: boolean;
  /** e.g. `displayName=foo`, `templateName=bar`, `phase=Failed` (comma-joined, `!=` allowed). */
  nodeFieldSelector?: string;
  parameters?: string[];
}

export interface NodeSetOptions {
  nodeFieldSelector: string;
  phase?: 'Succeeded' | 'Failed';
  message?: string;
  /** Output parameters for suspend nodes (`valueFrom.supplied`): name -> value. */
  outputParameters?: Record<string, string>;
}

export interface LogOptions {
  podName?: string;
  container?: string;
  follow?: boolean;
  /** Only lines containing this. */
  grep?: string;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
}

export interface LogEntry {
  podName: string;
  content: string;
}

export interface WorkflowService {
  create(wf: Workflow, opts?: SubmitOptions): Promise<Workflow>;
  /** `argo submit --from kind/name`: kind is workflowtemplate, clusterworkflowtemplate or cronworkflow. */
  submitFrom(namespace: string, kind: string, name: string, opts?: SubmitOptions): Promise<Workflow>;
  lint(wf: Workflow): Promise<Workflow>;
  get(namespace: string, name: string): Promise<Workflow>;
  list(opts: ListOptions): Promise<ListResult<Workflow>>;
  delete(namespace: string, name: string, opts?: { force?: boolean }): Promise<void>;
  retry(namespace: string, name: string, opts?: RetryOptions): Promise<Workflow>;
  resubmit(namespace: string, name: string, opts?: { parameters?: string[]; memoized?: boolean }): Promise<Workflow>;
  suspend(namespace: string, name: string): Promise<Workflow>;
  resume(namespace: string, name: string, opts?: { nodeFieldSelector?: string }): Promise<Workflow>;
  /** Exit handlers still run. */
  stop(namespace: string, name: string, opts?: { nodeFieldSelector?: string; message?: string }): Promise<Workflow>;
  /** Exit handlers do not run. */
  terminate(namespace: string, name: string): Promise<Workflow>;
  setNode(namespace: string, name: string, opts: NodeSetOptions): Promise<Workflow>;
  /** Changes to workflows matching `opts` (namespace, selectors), from now on. Returns the unsubscribe. */
  watch(opts: ListOptions, listener: (change: Change<Workflow>) => void): () => void;
  /** Log lines of the workflow's pods; with `follow`, until the workflow ends or `signal` aborts. */
  logs(namespace: string, name: string, opts: LogOptions, onEntry: (entry: LogEntry) => void, signal?: AbortSignal): Promise<void>;
  /** Ask a pod to go away as `kubectl delete pod` would (pod loss); `graceSeconds` 0 is abrupt. */
  deletePod(namespace: string, name: string, pod: string, opts?: { graceSeconds?: number }): Promise<void>;
  /** Every lock the controller knows in a namespace ('' for all): its limit, holders and queue in order. */
  locks(namespace: string): Promise<LockView[]>;
}

/** One semaphore or mutex as the controller sees it now. */
export interface LockView {
  /** Argo's lock key: `ns/ConfigMap/cm/key`, `ns/Mutex/name`. */
  name: string;
  type: 'semaphore' | 'mutex';
  namespace: string;
  /** Undefined when it could never be read. */
  limit?: number;
  holders: string[];
  /** In queue order: the first ones get the next free slots. */
  waiting: { holder: string; priority: number; since: string }[];
}

/** CRUD for the template kinds and cron workflows, with the same errors. */
export interface TemplateService {
  workflowTemplates: ResourceService<WorkflowTemplate>;
  clusterWorkflowTemplates: ResourceService<ClusterWorkflowTemplate>;
  cronWorkflows: ResourceService<CronWorkflow> & {
    suspend(namespace: string, name: string): Promise<CronWorkflow>;
    resume(namespace: string, name: string): Promise<CronWorkflow>;
  };
}

export interface ResourceService<T> {
  create(obj: T): Promise<T>;
  get(namespace: string, name: string): Promise<T>;
  list(opts: ListOptions): Promise<ListResult<T>>;
  update(obj: T): Promise<T>;
  delete(namespace: string, name: string): Promise<void>;
  lint(obj: T): Promise<T>;
}
