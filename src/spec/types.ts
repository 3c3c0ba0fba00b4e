// Argo's resource shapes (argoproj.io/v1alpha1), written for argot. Only the fields argot reads are
// typed precisely; pod-level fields argot accepts and ignores are typed loosely (`unknown`), because
// they must still round-trip and be tag-substituted.

export type AnyString = string; // Argo's AnyString: YAML numbers and booleans are coerced to strings on load

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  resourceVersion?: string;
}

export interface Workflow {
  apiVersion: string;
  kind: 'Workflow';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
  status?: WorkflowStatus;
}

export interface WorkflowTemplate {
  apiVersion: string;
  kind: 'WorkflowTemplate';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
}

export interface ClusterWorkflowTemplate {
  apiVersion: string;
  kind: 'ClusterWorkflowTemplate';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
}

export interface CronWorkflow {
  apiVersion: string;
  kind: 'CronWorkflow';
  metadata: ObjectMeta;
  spec: CronWorkflowSpec;
  status?: Record<string, unknown>;
}

export interface CronWorkflowSpec {
  schedule?: string;
  schedules?: string[];
  timezone?: string;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  startingDeadlineSeconds?: number;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  suspend?: boolean;
  when?: string;
  stopStrategy?: { expression?: string; condition?: string };
  workflowMetadata?: ObjectMeta;
  workflowSpec: WorkflowSpec;
}

export interface ConfigMap {
  apiVersion: string;
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data?: Record<string, string>;
}

export type Resource = Workflow | WorkflowTemplate | ClusterWorkflowTemplate | CronWorkflow | ConfigMap;

export interface WorkflowSpec {
  entrypoint?: string;
  templates?: Template[];
  arguments?: Arguments;
  onExit?: string;
  hooks?: Record<string, LifecycleHook>;
  parallelism?: number;
  activeDeadlineSeconds?: number;
  suspend?: boolean;
  shutdown?: 'Stop' | 'Terminate';
  priority?: number;
  retryStrategy?: RetryStrategy;
  templateDefaults?: Partial<Template>;
  workflowTemplateRef?: { name: string; clusterScope?: boolean };
  synchronization?: Synchronization;
  volumes?: Volume[];
  volumeClaimTemplates?: PersistentVolumeClaim[];
  podGC?: { strategy?: string; labelSelector?: unknown; deleteDelayDuration?: string };
  ttlStrategy?: { secondsAfterCompletion?: number; secondsAfterSuccess?: number; secondsAfterFailure?: number };
  workflowMetadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    labelsFrom?: Record<string, { expression: string }>;
  };
  serviceAccountName?: string;
  [podLevelField: string]: unknown;
}

export interface Arguments {
  parameters?: Parameter[];
  artifacts?: Artifact[];
}

export interface Parameter {
  name: string;
  value?: AnyString;
  default?: AnyString;
  enum?: AnyString[];
  description?: string;
  globalName?: string;
  valueFrom?: ValueFrom;
}

export interface ValueFrom {
  path?: string;
  default?: AnyString;
  parameter?: string;
  expression?: string;
  supplied?: Record<string, never>;
  configMapKeyRef?: { name: string; key: string; optional?: boolean };
  jsonPath?: string;
  jqFilter?: string;
  event?: string;
}

export interface Artifact {
  name: string;
  path?: string;
  from?: string;
  fromExpression?: string;
  optional?: boolean;
  mode?: number;
  globalName?: string;
  raw?: { data: string };
  [location: string]: unknown;
}

export interface Inputs {
  parameters?: Parameter[];
  artifacts?: Artifact[];
}

export interface Outputs {
  parameters?: Parameter[];
  artifacts?: Artifact[];
  result?: string;
  exitCode?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export interface Volume {
  name: string;
  emptyDir?: Record<string, unknown>;
  hostPath?: { path: string; type?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  configMap?: { name: string; items?: unknown[] };
  secret?: { secretName: string; items?: unknown[] };
  [other: string]: unknown;
}

export interface PersistentVolumeClaim {
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  volumeMounts?: VolumeMount[];
  stdin?: boolean;
  tty?: boolean;
  ports?: ContainerPort[];
  readinessProbe?: Probe;
  [podLevelField: string]: unknown;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** Kubernetes' Probe (readinessProbe is the one argot runs: daemon steps wait for it). */
export interface Probe {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export interface ScriptTemplate extends Container {
  source: string;
}

export interface ContainerNode extends Container {
  name: string;
  dependencies?: string[];
}

export interface ContainerSetTemplate {
  containers: ContainerNode[];
  volumeMounts?: VolumeMount[];
  retryStrategy?: { retries?: number | string; duration?: string };
}

export interface UserContainer extends Container {
  name: string;
  mirrorVolumeMounts?: boolean;
}

export interface Template {
  name: string;
  inputs?: Inputs;
  outputs?: Outputs;
  container?: Container;
  script?: ScriptTemplate;
  containerSet?: ContainerSetTemplate;
  steps?: WorkflowStep[][];
  dag?: DAGTemplate;
  suspend?: { duration?: string };
  resource?: Record<string, unknown>;
  http?: Record<string, unknown>;
  data?: Record<string, unknown>;
  plugin?: Record<string, unknown>;
  initContainers?: UserContainer[];
  sidecars?: UserContainer[];
  volumes?: Volume[];
  daemon?: boolean;
  retryStrategy?: RetryStrategy;
  activeDeadlineSeconds?: number | string;
  timeout?: string;
  /** Argo v4.1: the longest a pod may stay Pending, counted from the node's start. */
  pendingTimeout?: string;
  parallelism?: number;
  failFast?: boolean;
  synchronization?: Synchronization;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  annotations?: Record<string, string>;
  memoize?: Record<string, unknown>;
  [podLevelField: string]: unknown;
}

export interface TemplateRef {
  name: string;
  template: string;
  clusterScope?: boolean;
}

export interface ContinueOn {
  failed?: boolean;
  error?: boolean;
}

export interface Sequence {
  count?: AnyString;
  start?: AnyString;
  end?: AnyString;
  format?: string;
}

export type Item = string | number | boolean | null | Item[] | { [key: string]: Item };

export interface LifecycleHook {
  template?: string;
  templateRef?: TemplateRef;
  arguments?: Arguments;
  expression?: string;
}

/** What a step and a DAG task share. */
export interface Invocation {
  name: string;
  template?: string;
  templateRef?: TemplateRef;
  inline?: Template;
  arguments?: Arguments;
  withItems?: Item[];
  withParam?: string;
  withSequence?: Sequence;
  when?: string;
  continueOn?: ContinueOn;
  onExit?: string;
  hooks?: Record<string, LifecycleHook>;
}

export type WorkflowStep = Invocation;

export interface DAGTask extends Invocation {
  dependencies?: string[];
  depends?: string;
}

export interface DAGTemplate {
  tasks: DAGTask[];
  target?: string;
  failFast?: boolean;
}

export interface RetryStrategy {
  limit?: number | string;
  retryPolicy?: 'Always' | 'OnFailure' | 'OnError' | 'OnTransientError';
  backoff?: { duration?: string; factor?: number | string; maxDuration?: string; cap?: string };
  expression?: string;
  affinity?: unknown;
}

export interface Mutex {
  name: string;
  namespace?: string;
  database?: boolean;
}

export interface Semaphore {
  configMapKeyRef?: { name: string; key: string };
  database?: { key: string };
  namespace?: string;
}

export interface Synchronization {
  mutex?: Mutex;
  semaphore?: Semaphore;
  mutexes?: Mutex[];
  semaphores?: Semaphore[];
}

// ---- status ----

export type WorkflowPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';
export type NodePhase = 'Pending' | 'Running' | 'Succeeded' | 'Skipped' | 'Failed' | 'Error' | 'Omitted';
export type NodeType =
  | 'Pod'
  | 'Container'
  | 'Steps'
  | 'StepGroup'
  | 'DAG'
  | 'TaskGroup'
  | 'Retry'
  | 'Skipped'
  | 'Suspend'
  | 'HTTP'
  | 'Plugin';

export interface NodeOutputs {
  parameters?: Parameter[];
  artifacts?: Artifact[];
  result?: string;
  exitCode?: string;
}

export interface NodeStatus {
  id: string;
  name: string;
  displayName: string;
  type: NodeType;
  templateName?: string;
  templateRef?: TemplateRef;
  templateScope?: string;
  phase: NodePhase;
  boundaryID?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  podIP?: string;
  daemoned?: boolean;
  inputs?: Inputs;
  outputs?: NodeOutputs;
  children?: string[];
  outboundNodes?: string[];
  hostNodeName?: string;
  nodeFlag?: { hooked?: boolean; retried?: boolean };
  progress?: string;
  synchronizationStatus?: { waiting?: string };
  estimatedDuration?: number;
}

export interface WorkflowStatus {
  phase?: WorkflowPhase;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  nodes?: Record<string, NodeStatus>;
  outputs?: NodeOutputs;
  progress?: string;
  conditions?: { type: string; status: string; message?: string }[];
  storedTemplates?: Record<string, Template>;
  storedWorkflowTemplateSpec?: WorkflowSpec;
  synchronization?: SynchronizationStatus;
  estimatedDuration?: number;
}

/** Argo's status.synchronization: the locks this workflow (or its nodes) holds and waits for. */
export interface SynchronizationStatus {
  semaphore?: { holding?: SemaphoreHolding[]; waiting?: SemaphoreHolding[] };
  mutex?: { holding?: MutexHolding[]; waiting?: MutexHolding[] };
  /**
   * argot: every holder key of this workflow that is queued, with ALL the locks it waits for and
   * when it joined the queues. Argo records only one lock per waiting node (a queue-entry leak,
   * argoproj/argo-workflows#17013) and no enqueue time; this is what rebuilds the queues, in the
   * same order, after a restart.
   */
  queued?: QueuedHolder[];
}

/** `holders`: holder keys (`ns/wf` or `ns/wf/nodeId`). In `waiting`, the lock's holders when this workflow queued. */
export interface SemaphoreHolding {
  semaphore: string;
  holders: string[];
}

export interface MutexHolding {
  mutex: string;
  holder: string;
}

export interface QueuedHolder {
  holder: string;
  semaphores?: string[];
  mutexes?: string[];
  /** When it first queued (ISO, milliseconds): the tie-break after priority and creation time. */
  since: string;
}

export const FINISHED_NODE_PHASES: ReadonlySet<NodePhase> = new Set(['Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted']);

export function isNodeFulfilled(phase: NodePhase): boolean {
  return FINISHED_NODE_PHASES.has(phase);
}
