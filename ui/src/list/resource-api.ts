// Paths and shapes of the template and cron workflow APIs, shared by the submit panel and the pages.

export type TemplateKind = 'WorkflowTemplate' | 'ClusterWorkflowTemplate';
export type ResourceKind = TemplateKind | 'CronWorkflow';

export interface ResourceMeta {
  name?: string;
  namespace?: string;
  creationTimestamp?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
}

export interface TemplateObject {
  apiVersion?: string;
  kind?: string;
  metadata: ResourceMeta;
  spec?: {
    entrypoint?: string;
    arguments?: { parameters?: { name: string; value?: unknown; enum?: unknown[]; description?: string }[] };
    templates?: { name?: string }[];
  };
}

const BASES: Record<ResourceKind, string> = {
  WorkflowTemplate: '/api/v1/workflow-templates',
  ClusterWorkflowTemplate: '/api/v1/cluster-workflow-templates',
  CronWorkflow: '/api/v1/cron-workflows',
};

/** The body key of create/update requests, per Argo's API. */
export const BODY_KEY: Record<ResourceKind, string> = { WorkflowTemplate: 'template', ClusterWorkflowTemplate: 'template', CronWorkflow: 'cronWorkflow' };

export function isNamespaced(kind: ResourceKind): boolean {
  return kind !== 'ClusterWorkflowTemplate';
}

/** The collection (`name` undefined) or one object. A namespaced list with namespace '' spans all. */
export function resourcePath(kind: ResourceKind, namespace: string, name?: string): string {
  const base = BASES[kind];
  const ns = isNamespaced(kind) ? `/${encodeURIComponent(namespace)}` : '';
  return name === undefined ? `${base}${ns}` : `${base}${ns}/${encodeURIComponent(name)}`;
}

export const templatePath = (kind: TemplateKind, namespace: string, name: string): string => resourcePath(kind, namespace, name);
