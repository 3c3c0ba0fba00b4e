// argot's own ConfigMap endpoint. Argo Server has none (ConfigMaps are Kubernetes objects, written
// with kubectl); argot keeps them in its store, for semaphore limits, parameter valueFrom and
// volumes, so `argot apply -f` needs a way in: `/api/v1/configmaps/{ns}[/{name}]`, bodies
// `{namespace, configMap}` (create) and `{namespace, name, configMap}` (update).
import type { FastifyInstance } from 'fastify';
import type { ResourceService } from '../../controller/service.js';
import type { ConfigMap } from '../../spec/types.js';
import { NotFoundError, type ObjectStore } from '../../store/types.js';
import type { RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { resourceRoutes } from './resources.js';

export function configMapRoutes(app: FastifyInstance, ctx: RouteContext): void {
  resourceRoutes(app, {
    base: '/api/v1/configmaps',
    kind: 'ConfigMap',
    apiVersion: 'v1',
    namespaced: true,
    bodyKey: 'configMap',
    requests: { create: 'ConfigMap create request', update: 'ConfigMap update request', lint: 'ConfigMap lint request' },
    service: configMapService(ctx.deps.store.configMaps),
    lint: false,
  });
}

function configMapService(store: ObjectStore<ConfigMap>): ResourceService<ConfigMap> {
  return {
    create: (cm) => store.create(checked(cm)),
    async get(namespace, name) {
      const cm = await store.get(namespace, name);
      if (!cm) throw new NotFoundError('ConfigMap', `${namespace}/${name}`);
      return cm;
    },
    list: (opts) => store.list(opts),
    update: (cm) => store.update(checked(cm), cm.metadata.resourceVersion),
    async delete(namespace, name) {
      if (!(await store.delete(namespace, name))) throw new NotFoundError('ConfigMap', `${namespace}/${name}`);
    },
    lint: async (cm) => checked(cm),
  };
}

/** Kubernetes' rule: ConfigMap data values are strings. */
function checked(cm: ConfigMap): ConfigMap {
  if (!cm.metadata.name) throw badRequest('a ConfigMap needs metadata.name');
  const data: unknown = cm.data;
  if (data !== undefined && data !== null) {
    if (typeof data !== 'object' || Array.isArray(data)) throw badRequest('"configMap.data" must be an object of name: string');
    for (const [k, v] of Object.entries(data)) if (typeof v !== 'string') throw badRequest(`"configMap.data.${k}" must be a string (quote numbers and booleans)`);
  }
  return cm;
}
