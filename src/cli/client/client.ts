// The Argo Server REST client the CLI's server mode uses: one object per service, as the API groups them.

import type { ClusterWorkflowTemplate, ConfigMap, WorkflowTemplate } from '../../spec/types.js';
import {
  clusterWorkflowTemplateShape,
  configMapShape,
  CronWorkflowsApi,
  ResourceApi,
  workflowTemplateShape,
  type ClusterWorkflowTemplatesApi,
  type ConfigMapsApi,
  type WorkflowTemplatesApi,
} from './resources.js';
import { SyncApi } from './sync.js';
import { Transport, type ClientOptions } from './transport.js';
import type { InfoResponse, UserInfo, VersionInfo } from './types.js';
import { WorkflowsApi } from './workflows.js';

export class ArgoClient {
  readonly workflows: WorkflowsApi;
  readonly workflowTemplates: WorkflowTemplatesApi;
  readonly clusterWorkflowTemplates: ClusterWorkflowTemplatesApi;
  readonly cronWorkflows: CronWorkflowsApi;
  /** argot's own endpoint; a real Argo Server answers 404 (see configMapShape). */
  readonly configMaps: ConfigMapsApi;
  /** SyncService: semaphore limits (`argo sync`). */
  readonly sync: SyncApi;
  private readonly transport: Transport;

  constructor(options: ClientOptions) {
    this.transport = new Transport(options);
    this.workflows = new WorkflowsApi(this.transport);
    this.workflowTemplates = new ResourceApi<WorkflowTemplate>(this.transport, workflowTemplateShape);
    this.clusterWorkflowTemplates = new ResourceApi<ClusterWorkflowTemplate>(this.transport, clusterWorkflowTemplateShape);
    this.cronWorkflows = new CronWorkflowsApi(this.transport);
    this.configMaps = new ResourceApi<ConfigMap>(this.transport, configMapShape);
    this.sync = new SyncApi(this.transport);
  }

  /** The normalised base URL, for messages. */
  get server(): string {
    return this.transport.server;
  }

  version(): Promise<VersionInfo> {
    return this.transport.call('GET', ['api', 'v1', 'version']);
  }

  info(): Promise<InfoResponse> {
    return this.transport.call('GET', ['api', 'v1', 'info']);
  }

  userInfo(): Promise<UserInfo> {
    return this.transport.call('GET', ['api', 'v1', 'userinfo']);
  }
}

export function createArgoClient(options: ClientOptions): ArgoClient {
  return new ArgoClient(options);
}
