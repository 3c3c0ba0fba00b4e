// SyncService: semaphore limits kept in ConfigMaps (or, on servers with a lock database, in its
// sync_limit table), as `argo sync` manages them.

import type { Transport } from './transport.js';

export type SyncConfigType = 'CONFIGMAP' | 'DATABASE';

/** sync.SyncLimitResponse, with proto3's left-out defaults filled in (limit 0, type CONFIGMAP). */
export interface SyncLimit {
  namespace: string;
  key: string;
  limit: number;
  type: SyncConfigType;
  /** Empty for DATABASE limits. */
  cmName: string;
}

/** A lock as the server's controller sees it now. */
export interface LockState {
  name: string;
  type: 'semaphore' | 'mutex';
  namespace: string;
  limit?: number;
  holders: string[];
  waiting: { holder: string; priority: number; since: string }[];
}

/** Where a limit lives: `?type=&cmName=` of get and delete. */
export interface SyncLimitRef {
  type: SyncConfigType;
  /** Required for CONFIGMAP. */
  cmName?: string;
}

export class SyncApi {
  constructor(private readonly transport: Transport) {}

  /** `POST /api/v1/sync/{namespace}`; AlreadyExists when the key has a limit. */
  async create(namespace: string, key: string, ref: SyncLimitRef, limit: number): Promise<SyncLimit> {
    const body = { namespace, key, limit, type: ref.type, ...(ref.cmName !== undefined && { cmName: ref.cmName }) };
    return normalise(await this.transport.call('POST', ['api', 'v1', 'sync', namespace], { body, resource: resource(namespace, key) }), namespace, key, ref);
  }

  async get(namespace: string, key: string, ref: SyncLimitRef): Promise<SyncLimit> {
    return normalise(await this.transport.call('GET', path(namespace, key), { query: query(ref), resource: resource(namespace, key) }), namespace, key, ref);
  }

  /** `PUT /api/v1/sync/{namespace}/{key}`; NotFound when there is no such limit. */
  async update(namespace: string, key: string, ref: SyncLimitRef, limit: number): Promise<SyncLimit> {
    const body = { namespace, key, limit, type: ref.type, ...(ref.cmName !== undefined && { cmName: ref.cmName }) };
    return normalise(await this.transport.call('PUT', path(namespace, key), { body, resource: resource(namespace, key) }), namespace, key, ref);
  }

  /** argot's `GET /api/v1/sync-locks[/{namespace}]`: every lock's holders and queue; '' for all namespaces. */
  async locks(namespace: string): Promise<LockState[]> {
    const raw = (await this.transport.call('GET', namespace ? ['api', 'v1', 'sync-locks', namespace] : ['api', 'v1', 'sync-locks'], { resource: { kind: 'lock', namespace } })) as { items?: LockState[] };
    return raw.items ?? [];
  }

  async delete(namespace: string, key: string, ref: SyncLimitRef): Promise<void> {
    await this.transport.call('DELETE', path(namespace, key), { query: query(ref), resource: resource(namespace, key) });
  }
}

const path = (namespace: string, key: string): string[] => ['api', 'v1', 'sync', namespace, key];
const resource = (namespace: string, key: string) => ({ kind: 'sync limit', name: key, namespace });
const query = (ref: SyncLimitRef) => ({ type: ref.type, cmName: ref.cmName });

/** Argo's Go server leaves out zero values; what the request said stands in for what the answer omits. */
function normalise(raw: unknown, namespace: string, key: string, ref: SyncLimitRef): SyncLimit {
  const r = (raw ?? {}) as Partial<Record<keyof SyncLimit, unknown>>;
  const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);
  const limit = typeof r.limit === 'number' ? r.limit : typeof r.limit === 'string' && /^\d+$/.test(r.limit) ? Number(r.limit) : 0;
  const type = r.type === 'DATABASE' || r.type === 1 ? 'DATABASE' : r.type === 'CONFIGMAP' || r.type === 0 ? 'CONFIGMAP' : ref.type;
  return { namespace: str(r.namespace, namespace), key: str(r.key, key), limit, type, cmName: str(r.cmName, ref.cmName ?? '') };
}
