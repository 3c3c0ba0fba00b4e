// The CRUD shape shared by WorkflowTemplateService, ClusterWorkflowTemplateService,
// CronWorkflowService and argot's ConfigMap endpoint: list, create, lint, get, update, delete on
// `{base}[/{namespace}]/{name}`, with the object under one key of the request body.
import type { FastifyInstance } from 'fastify';
import type { ResourceService } from '../../controller/service.js';
import type { ObjectMeta } from '../../spec/types.js';
import { applyFields, parseFields } from '../fields.js';
import { listBody, listFiltered } from '../list.js';
import { checkName, listOptionsFrom, objectBody, placeInNamespace, queryString, resourceField, withTypeMeta, type Query } from '../request.js';

export interface ResourceShape<T> {
  /** `/api/v1/workflow-templates`. */
  base: string;
  kind: string;
  apiVersion?: string;
  namespaced: boolean;
  /** Where request bodies carry the object: `template`, `cronWorkflow`, `configMap`. */
  bodyKey: string;
  /** Request names for messages: `WorkflowTemplateCreateRequest`. */
  requests: { create: string; update: string; lint: string };
  service: ResourceService<T>;
  /** ConfigMaps have nothing to lint. */
  lint: boolean;
}

type Resource = { apiVersion?: string; kind?: string; metadata: ObjectMeta };

interface Params {
  namespace?: string;
  name?: string;
}

export function resourceRoutes<T extends Resource>(app: FastifyInstance, shape: ResourceShape<T>): void {
  const { base, service } = shape;
  const ns = shape.namespaced ? '/:namespace' : '';
  const namespaceOf = (params: Params): string => (shape.namespaced ? (params.namespace ?? '') : '');

  /** The object of a create/update/lint body, typed and placed where the path says. */
  const objectOf = (raw: unknown, request: string, params: Params): T => {
    const body = objectBody(raw, `a ${request} {"${shape.bodyKey}": {...}}`);
    const obj = withTypeMeta(resourceField<T>(body, shape.bodyKey, `a ${shape.kind}`), shape.kind, shape.apiVersion);
    return shape.namespaced ? placeInNamespace(obj, namespaceOf(params)) : obj;
  };

  const list = async (params: Params, query: Query): Promise<unknown> => {
    const opts = listOptionsFrom(query, shape.namespaced ? namespaceOf(params) : undefined);
    // Argo's WorkflowTemplate list takes namePattern: names containing it.
    const pattern = queryString(query, 'namePattern');
    const result = pattern
      ? await listFiltered((o) => service.list(o), opts, (obj) => (obj.metadata.name ?? '').includes(pattern))
      : await service.list(opts);
    return applyFields(listBody(result), parseFields(queryString(query, 'fields')));
  };
  if (shape.namespaced) app.get<{ Querystring: Query }>(`${base}/`, (req) => list({}, req.query));
  app.get<{ Params: Params; Querystring: Query }>(`${base}${ns}`, (req) => list(req.params, req.query));

  app.post<{ Params: Params }>(`${base}${ns}`, (req) => service.create(objectOf(req.body, shape.requests.create, req.params)));

  if (shape.lint) app.post<{ Params: Params }>(`${base}${ns}/lint`, (req) => service.lint(objectOf(req.body, shape.requests.lint, req.params)));

  app.get<{ Params: Params; Querystring: Query }>(`${base}${ns}/:name`, async (req) => {
    const obj = await service.get(namespaceOf(req.params), req.params.name ?? '');
    return applyFields(obj, parseFields(queryString(req.query, 'fields')));
  });

  app.put<{ Params: Params }>(`${base}${ns}/:name`, (req) => {
    const name = req.params.name ?? '';
    const obj = objectOf(req.body, shape.requests.update, req.params);
    checkName(obj, name);
    return service.update({ ...obj, metadata: { ...obj.metadata, name } });
  });

  app.delete<{ Params: Params }>(`${base}${ns}/:name`, async (req) => {
    await service.delete(namespaceOf(req.params), req.params.name ?? '');
    return {};
  });
}
