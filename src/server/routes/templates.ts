// WorkflowTemplateService and ClusterWorkflowTemplateService on Argo's paths.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';
import { resourceRoutes } from './resources.js';

export function templateRoutes(app: FastifyInstance, ctx: RouteContext): void {
  resourceRoutes(app, {
    base: '/api/v1/workflow-templates',
    kind: 'WorkflowTemplate',
    namespaced: true,
    bodyKey: 'template',
    requests: { create: 'WorkflowTemplateCreateRequest', update: 'WorkflowTemplateUpdateRequest', lint: 'WorkflowTemplateLintRequest' },
    service: ctx.deps.templates.workflowTemplates,
    lint: true,
  });
  resourceRoutes(app, {
    base: '/api/v1/cluster-workflow-templates',
    kind: 'ClusterWorkflowTemplate',
    namespaced: false,
    bodyKey: 'template',
    requests: { create: 'ClusterWorkflowTemplateCreateRequest', update: 'ClusterWorkflowTemplateUpdateRequest', lint: 'ClusterWorkflowTemplateLintRequest' },
    service: ctx.deps.templates.clusterWorkflowTemplates,
    lint: true,
  });
}
