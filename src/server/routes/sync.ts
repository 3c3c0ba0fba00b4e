// SyncService on Argo's paths: semaphore limits managed through the API (`argo sync`).
//   POST   /api/v1/sync/{namespace}        {namespace, key, limit, type, cmName}  → SyncLimitResponse
//   GET    /api/v1/sync/{namespace}/{key}?type=&cmName=                          → SyncLimitResponse
//   PUT    /api/v1/sync/{namespace}/{key}  {namespace, key, limit, type, cmName}  → SyncLimitResponse
//   DELETE /api/v1/sync/{namespace}/{key}?type=&cmName=                          → {}
//   GET    /api/v1/sync-locks[/{namespace}]  (argot) → {items: LockView[]}: holders and queue of each lock
// A CONFIGMAP limit is `data[key]` of ConfigMap `cmName`, kept in the store's ConfigMaps (where
// the controller reads semaphore limits). DATABASE limits need the lock database, which this
// server does not have yet: 501.
//
// Bodies follow proto3 JSON, as Argo's clients write them: a field at its default is left out, so a
// missing `limit` is 0 and a missing `type` is CONFIGMAP (`argo sync create --limit 0` sends no limit).
import type { FastifyInstance } from 'fastify';
import type { ConfigMap } from '../../spec/types.js';
import { ConflictError, type ObjectStore } from '../../store/types.js';
import { parseLimit } from '../../sync/limit.js';
import type { RouteContext } from '../context.js';
import { badRequest, GrpcCode, RequestError } from '../errors.js';
import { objectBody, queryString, type Query } from '../request.js';

type SyncConfigType = 'CONFIGMAP' | 'DATABASE';

/** sync.SyncLimitResponse. */
export interface SyncLimitResponse {
  namespace: string;
  key: string;
  limit: number;
  type: SyncConfigType;
  cmName: string;
}

/** Limits are int32 in Argo's API. */
const MAX_LIMIT = 2_147_483_647;
/** Kubernetes' rule for ConfigMap data keys. */
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
/** Kubernetes' rule for object names (a DNS-1123 subdomain). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Read-modify-write rounds before giving up when other writers keep moving the ConfigMap. */
const WRITE_ATTEMPTS = 10;

interface Params {
  namespace?: string;
  key?: string;
}

/** What names one limit: where it is stored. */
interface LimitRef {
  namespace: string;
  key: string;
  cmName: string;
}

export function syncRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const limits = new ConfigMapLimits(ctx.deps.store.configMaps);

  // `/api/v1/sync/` (no namespace in the path) takes the body's, as grpc-gateway would.
  const create = async (params: Params, raw: unknown): Promise<SyncLimitResponse> => {
    const body = objectBody(raw, 'a CreateSyncLimitRequest {namespace, key, limit, type, cmName}');
    const namespace = namespaceOf(params, body);
    if (typeOf(body['type'], '"type"') === 'DATABASE') throw databaseUnavailable();
    const key = bodyString(body, 'key');
    if (!key) throw badRequest('the request body has no "key": expected the name of the semaphore (the ConfigMap data key)');
    checkKey(key);
    const cmName = requiredCmName(bodyString(body, 'cmName'), '"cmName" in the body');
    if (!DNS_SUBDOMAIN.test(cmName) || cmName.length > 253) {
      throw badRequest(`"cmName" is ${JSON.stringify(cmName)}: expected a ConfigMap name (lowercase letters, digits, '-' and '.', at most 253 characters)`);
    }
    return limits.create({ namespace, key, cmName }, limitOf(body));
  };
  // argot's own: who holds and who waits for each lock (Argo has no such view).
  app.get<{ Params: Params }>('/api/v1/sync-locks', async () => ({ items: await ctx.deps.workflows.locks('') }));
  app.get<{ Params: Params }>('/api/v1/sync-locks/:namespace', async (req) => ({ items: await ctx.deps.workflows.locks(req.params.namespace ?? '') }));
  app.post<{ Params: Params }>('/api/v1/sync', (req) => create({}, req.body));
  app.post<{ Params: Params }>('/api/v1/sync/:namespace', (req) => create(req.params, req.body));

  app.get<{ Params: Params; Querystring: Query }>('/api/v1/sync/:namespace/:key', (req) => limits.get(refFromQuery(req.params, req.query)));

  app.put<{ Params: Params }>('/api/v1/sync/:namespace/:key', (req) => {
    const body = objectBody(req.body, 'an UpdateSyncLimitRequest {namespace, key, limit, type, cmName}');
    const namespace = namespaceOf(req.params, body);
    const key = req.params.key ?? '';
    const bodyKey = bodyString(body, 'key');
    if (bodyKey && bodyKey !== key) throw badRequest(`the key of the body (${bodyKey}) does not match the key in the path (${key})`);
    if (typeOf(body['type'], '"type"') === 'DATABASE') throw databaseUnavailable();
    const cmName = requiredCmName(bodyString(body, 'cmName'), '"cmName" in the body');
    return limits.update({ namespace, key, cmName }, limitOf(body));
  });

  app.delete<{ Params: Params; Querystring: Query }>('/api/v1/sync/:namespace/:key', async (req) => {
    await limits.delete(refFromQuery(req.params, req.query));
    return {};
  });
}

/** GET and DELETE name the limit with `?type=&cmName=`. */
function refFromQuery(params: Params, query: Query): LimitRef {
  if (typeOf(queryString(query, 'type'), 'query parameter "type"') === 'DATABASE') throw databaseUnavailable();
  return { namespace: params.namespace ?? '', key: params.key ?? '', cmName: requiredCmName(queryString(query, 'cmName'), 'query parameter "cmName"') };
}

function databaseUnavailable(): RequestError {
  return new RequestError(GrpcCode.Unimplemented, 'database semaphores are not configured on this server (use type CONFIGMAP, with the limit in a ConfigMap)');
}

/** The path's namespace; the body may repeat it but not contradict it. */
function namespaceOf(params: Params, body: Record<string, unknown>): string {
  const fromBody = bodyString(body, 'namespace');
  const fromPath = params.namespace ?? '';
  if (fromPath && fromBody && fromBody !== fromPath) {
    throw badRequest(`the namespace of the body (${fromBody}) does not match the namespace in the path (${fromPath})`);
  }
  const namespace = fromPath || fromBody;
  if (!namespace) throw badRequest('no namespace: expected /api/v1/sync/{namespace} or "namespace" in the body');
  return namespace;
}

function bodyString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw badRequest(`"${field}" is ${JSON.stringify(value)}: expected a string`);
  return value;
}

/** SyncConfigType: its name, or (as protobuf JSON allows) its number; absent means CONFIGMAP. */
function typeOf(value: unknown, what: string): SyncConfigType {
  if (value === undefined || value === null || value === '') return 'CONFIGMAP';
  if (value === 'CONFIGMAP' || value === 0 || value === '0') return 'CONFIGMAP';
  if (value === 'DATABASE' || value === 1 || value === '1') return 'DATABASE';
  throw badRequest(`${what} is ${JSON.stringify(value)}: expected CONFIGMAP or DATABASE`);
}

function requiredCmName(value: string | undefined, what: string): string {
  if (!value) throw badRequest(`${what} is missing: a CONFIGMAP limit needs the name of its ConfigMap`);
  return value;
}

function checkKey(key: string): void {
  if (!CONFIG_KEY.test(key) || key.length > 253) {
    throw badRequest(`"key" is ${JSON.stringify(key)}: expected a ConfigMap data key (letters, digits, '-', '_' and '.', at most 253 characters)`);
  }
}

/** `limit`: a JSON integer (or, as protobuf JSON allows for int32, a string of one) from 0 to 2^31-1. */
function limitOf(body: Record<string, unknown>): number {
  const value = body['limit'];
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_LIMIT) {
    throw badRequest(`"limit" is ${JSON.stringify(value)}: expected a non-negative integer (0 to ${MAX_LIMIT})`);
  }
  return n;
}

/** The stored value read as the controller reads it (sync/limit.ts); undefined when it is not a limit the API can report. */
function storedLimit(raw: string): number | undefined {
  const parsed = parseLimit(raw);
  return 'error' in parsed || parsed.limit > MAX_LIMIT ? undefined : parsed.limit;
}

const where = (ref: LimitRef): string => `ConfigMap ${ref.namespace}/${ref.cmName}`;

/** Limits as keys of ConfigMaps; every write is a read-modify-write guarded by resourceVersion. */
class ConfigMapLimits {
  constructor(private readonly configMaps: ObjectStore<ConfigMap>) {}

  async get(ref: LimitRef): Promise<SyncLimitResponse> {
    const cm = await this.existing(ref);
    const raw = cm.data?.[ref.key];
    if (raw === undefined) throw keyNotFound(ref);
    const limit = storedLimit(raw);
    if (limit === undefined) {
      throw new RequestError(
        GrpcCode.FailedPrecondition,
        `key "${ref.key}" of ${where(ref)} holds ${JSON.stringify(raw)}, which is not a limit (expected an integer from 0 to ${MAX_LIMIT}); set one with update`,
      );
    }
    return response(ref, limit);
  }

  create(ref: LimitRef, limit: number): Promise<SyncLimitResponse> {
    return this.write(async () => {
      const cm = await this.configMaps.get(ref.namespace, ref.cmName);
      if (!cm) {
        await this.configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ref.cmName, namespace: ref.namespace }, data: { [ref.key]: String(limit) } });
        return response(ref, limit);
      }
      const current = cm.data?.[ref.key];
      if (current !== undefined) {
        throw new RequestError(GrpcCode.AlreadyExists, `key "${ref.key}" already exists in ${where(ref)} (limit ${JSON.stringify(current)}); change it with update`);
      }
      await this.replace(cm, { ...cm.data, [ref.key]: String(limit) });
      return response(ref, limit);
    });
  }

  update(ref: LimitRef, limit: number): Promise<SyncLimitResponse> {
    return this.write(async () => {
      const cm = await this.existing(ref);
      if (cm.data?.[ref.key] === undefined) throw keyNotFound(ref);
      await this.replace(cm, { ...cm.data, [ref.key]: String(limit) });
      return response(ref, limit);
    });
  }

  delete(ref: LimitRef): Promise<void> {
    return this.write(async () => {
      const cm = await this.existing(ref);
      if (cm.data?.[ref.key] === undefined) throw keyNotFound(ref);
      const data = { ...cm.data };
      delete data[ref.key];
      // The ConfigMap stays, as Argo leaves it: it may hold other limits or settings.
      await this.replace(cm, data);
    });
  }

  private async existing(ref: LimitRef): Promise<ConfigMap> {
    const cm = await this.configMaps.get(ref.namespace, ref.cmName);
    if (!cm) throw new RequestError(GrpcCode.NotFound, `${where(ref)} not found (create the limit first)`);
    return cm;
  }

  private replace(cm: ConfigMap, data: Record<string, string>): Promise<ConfigMap> {
    return this.configMaps.update({ ...cm, data }, cm.metadata.resourceVersion);
  }

  /**
   * Runs `attempt` again when a concurrent writer got there first (a stale resourceVersion, or a
   * ConfigMap created between our read and our create): the next round sees their write.
   */
  private async write<T>(attempt: () => Promise<T>): Promise<T> {
    for (let round = 1; ; round++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        if (round >= WRITE_ATTEMPTS) throw new RequestError(GrpcCode.Unavailable, `the ConfigMap kept changing under ${WRITE_ATTEMPTS} attempts to write it; try again`);
      }
    }
  }
}

function keyNotFound(ref: LimitRef): RequestError {
  return new RequestError(GrpcCode.NotFound, `key "${ref.key}" not found in ${where(ref)}`);
}

function response(ref: LimitRef, limit: number): SyncLimitResponse {
  return { namespace: ref.namespace, key: ref.key, limit, type: 'CONFIGMAP', cmName: ref.cmName };
}
