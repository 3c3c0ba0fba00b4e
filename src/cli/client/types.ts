// Request and response shapes of the Argo Server API (swagger.json), as far as argot's CLI uses
// them. Resources themselves are the spec types.

import type { Workflow } from '../../spec/types.js';

/** Kubernetes ListMeta. */
export interface ListMeta {
  continue?: string;
  resourceVersion?: string;
  remainingItemCount?: number;
}

/** Argo serialises an empty list as `"items": null`; the client turns that into []. */
export interface ObjectList<T> {
  items: T[];
  metadata: ListMeta;
}

/** `listOptions.*` plus the workflow list's extras. */
export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  /** `items.metadata.name,…` to keep only these fields, or `-items.status.nodes` to drop some. */
  fields?: string;
  /** How `metadata.name` in fieldSelector matches (workflows only). */
  nameFilter?: 'Exact' | 'Prefix' | 'Contains';
  /** Names starting with this (workflows only; sent with nameFilter=Prefix). */
  namePrefix?: string;
  /** RFC 3339. */
  createdAfter?: string;
  finishedBefore?: string;
}

/** `SubmitOpts` of `POST /api/v1/workflows/{ns}/submit`. Labels and annotations are `a=b,c=d` strings. */
export interface SubmitOptions {
  entryPoint?: string;
  parameters?: string[];
  labels?: string;
  annotations?: string;
  generateName?: string;
  name?: string;
  serviceAccount?: string;
  dryRun?: boolean;
  serverDryRun?: boolean;
  priority?: number;
  podPriorityClassName?: string;
}

export interface SubmitRequest {
  resourceKind: string;
  resourceName: string;
  submitOptions?: SubmitOptions;
}

export interface RetryRequest {
  restartSuccessful?: boolean;
  nodeFieldSelector?: string;
  parameters?: string[];
}

export interface ResubmitRequest {
  memoized?: boolean;
  parameters?: string[];
}

export interface StopRequest {
  nodeFieldSelector?: string;
  message?: string;
}

export interface SetRequest {
  nodeFieldSelector: string;
  phase?: string;
  message?: string;
  /** Sent as the JSON string the API expects. */
  outputParameters?: Record<string, string>;
}

export interface LogQuery {
  podName?: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  /** Unix seconds. */
  sinceTime?: number;
  timestamps?: boolean;
  tailLines?: number;
  grep?: string;
  selector?: string;
}

export interface LogEntry {
  podName: string;
  content: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WorkflowWatchEvent {
  type: WatchEventType;
  object: Workflow;
}

export interface VersionInfo {
  version: string;
  buildDate?: string;
  gitCommit?: string;
  gitTag?: string;
  gitTreeState?: string;
  goVersion?: string;
  compiler?: string;
  platform?: string;
}

export interface InfoResponse {
  managedNamespace?: string;
  links?: { name: string; scope: string; url: string }[];
  columns?: { name: string; type: string; key: string }[];
  navColor?: string;
  modals?: Record<string, boolean>;
}

export interface UserInfo {
  issuer?: string;
  subject?: string;
  groups?: string[];
  email?: string;
  emailVerified?: boolean;
  name?: string;
  serviceAccountName?: string;
  serviceAccountNamespace?: string;
}
