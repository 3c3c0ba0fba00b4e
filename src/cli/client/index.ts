// HTTP client for Argo Server's REST API (and argot's server, which speaks it).
export { ArgoClient, createArgoClient } from './client.js';
export { ApiError, ServerUnavailableError, grpcCodeName, type ApiResource } from './errors.js';
export type { ClientOptions } from './transport.js';
export type { WatchOptions } from './watch.js';
export type { CronWorkflowsApi, ResourceApi, WorkflowTemplatesApi, ClusterWorkflowTemplatesApi, ConfigMapsApi } from './resources.js';
export type { WorkflowsApi } from './workflows.js';
export type { LockState, SyncApi, SyncConfigType, SyncLimit, SyncLimitRef } from './sync.js';
export { StreamParser, type StreamMessage } from './stream.js';
export type * from './types.js';
