// The CRUD services with one shape: WorkflowTemplateService, ClusterWorkflowTemplateService,
// CronWorkflowService, and argot's own ConfigMap endpoint. They differ only in their path, whether
// a namespace is part of it, and the key their request bodies put the object under.

import type { ClusterWorkflowTemplate, ConfigMap, CronWorkflow, WorkflowTemplate } from '../../spec/types.js';
import type { ApiResource } from './errors.js';
import { listQuery, toList } from './list.js';
import type { Transport } from './transport.js';
import type { ListQuery, ObjectList } from './types.js';

interface Named {
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface ResourceShape {
  /** For messages: `workflow template`. */
  kind: string;
  /** `['api','v1','workflow-templates']`. */
  base: readonly string[];
  namespaced: boolean;
  /** Where create/update/lint bodies carry the object: `template`, `cronWorkflow`, `configMap`. */
  bodyKey: string;
}

export class ResourceApi<T extends Named> {
  constructor(
    protected readonly transport: Transport,
    readonly shape: ResourceShape,
  ) {}

  create(namespace: string, object: T): Promise<T> {
    return this.transport.call('POST', this.path(namespace), { body: this.body(namespace, object), resource: this.resource(namespace, object.metadata.name) });
  }

  get(namespace: string, name: string): Promise<T> {
    return this.transport.call('GET', this.path(namespace, name), { resource: this.resource(namespace, name) });
  }

  /** One page; namespace '' lists every namespace. Ignored for cluster-scoped kinds. */
  async list(namespace: string, query: Omit<ListQuery, 'nameFilter' | 'namePrefix' | 'createdAfter' | 'finishedBefore'> = {}): Promise<ObjectList<T>> {
    return toList(await this.transport.call('GET', this.path(namespace), { query: listQuery(query), resource: this.resource(namespace), operation: 'list' }));
  }

  /** Replaces the object; its metadata.resourceVersion must be current (the server's optimistic lock). */
  update(namespace: string, object: T): Promise<T> {
    const name = object.metadata.name ?? '';
    return this.transport.call('PUT', this.path(namespace, name), { body: { name, ...this.body(namespace, object) }, resource: this.resource(namespace, name) });
  }

  async delete(namespace: string, name: string): Promise<void> {
    await this.transport.call('DELETE', this.path(namespace, name), { resource: this.resource(namespace, name) });
  }

  /** Server-side validation, with the server's templates in view; resolves to the object as the server normalised it. */
  lint(namespace: string, object: T): Promise<T> {
    return this.transport.call('POST', [...this.path(namespace), 'lint'], { body: this.body(namespace, object), resource: this.resource(namespace, object.metadata.name), operation: 'lint' });
  }

  protected path(namespace: string, name?: string): string[] {
    const segments = [...this.shape.base];
    if (this.shape.namespaced) segments.push(namespace);
    if (name !== undefined) segments.push(name);
    return segments;
  }

  private body(namespace: string, object: T): Record<string, unknown> {
    return { ...(this.shape.namespaced && { namespace }), [this.shape.bodyKey]: object };
  }

  protected resource(namespace: string, name?: string): ApiResource {
    return { kind: this.shape.kind, ...(name !== undefined && { name }), ...(this.shape.namespaced && { namespace }) };
  }
}

export class CronWorkflowsApi extends ResourceApi<CronWorkflow> {
  constructor(transport: Transport) {
    super(transport, { kind: 'cron workflow', base: ['api', 'v1', 'cron-workflows'], namespaced: true, bodyKey: 'cronWorkflow' });
  }

  suspend(namespace: string, name: string): Promise<CronWorkflow> {
    return this.transport.call('PUT', [...this.path(namespace, name), 'suspend'], { body: { namespace, name }, resource: this.resource(namespace, name), operation: 'suspend' });
  }

  resume(namespace: string, name: string): Promise<CronWorkflow> {
    return this.transport.call('PUT', [...this.path(namespace, name), 'resume'], { body: { namespace, name }, resource: this.resource(namespace, name), operation: 'resume' });
  }
}

export const workflowTemplateShape: ResourceShape = { kind: 'workflow template', base: ['api', 'v1', 'workflow-templates'], namespaced: true, bodyKey: 'template' };
export const clusterWorkflowTemplateShape: ResourceShape = {
  kind: 'cluster workflow template',
  base: ['api', 'v1', 'cluster-workflow-templates'],
  namespaced: false,
  bodyKey: 'template',
};
/**
 * argot's own endpoint (Argo has none; kubectl does this there): `POST /api/v1/configmaps/{ns}`
 * with `{namespace, configMap}` creates, `PUT /api/v1/configmaps/{ns}/{name}` with
 * `{namespace, name, configMap}` replaces, `GET`/`DELETE …/{name}` read and remove.
 */
export const configMapShape: ResourceShape = { kind: 'config map', base: ['api', 'v1', 'configmaps'], namespaced: true, bodyKey: 'configMap' };

export type WorkflowTemplatesApi = ResourceApi<WorkflowTemplate>;
export type ClusterWorkflowTemplatesApi = ResourceApi<ClusterWorkflowTemplate>;
export type ConfigMapsApi = ResourceApi<ConfigMap>;
