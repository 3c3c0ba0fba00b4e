// CronWorkflowService on Argo's paths: the CRUD shape plus suspend and resume.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';
import { resourceRoutes } from './resources.js';

export function cronWorkflowRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const crons = ctx.deps.templates.cronWorkflows;
  resourceRoutes(app, {
    base: '/api/v1/cron-workflows',
    kind: 'CronWorkflow',
    namespaced: true,
    bodyKey: 'cronWorkflow',
    requests: { create: 'CreateCronWorkflowRequest', update: 'UpdateCronWorkflowRequest', lint: 'LintCronWorkflowRequest' },
    service: crons,
    lint: true,
  });
  // The bodies ({namespace, name}) repeat the path; grpc-gateway lets the path win.
  app.put<{ Params: { namespace: string; name: string } }>('/api/v1/cron-workflows/:namespace/:name/suspend', (req) => crons.suspend(req.params.namespace, req.params.name));
  app.put<{ Params: { namespace: string; name: string } }>('/api/v1/cron-workflows/:namespace/:name/resume', (req) => crons.resume(req.params.namespace, req.params.name));
}
