// `listOptions.*` query parameters and list bodies, shared by every list call.

import type { Query } from './transport.js';
import type { ListQuery, ObjectList } from './types.js';

export function listQuery(query: Pick<ListQuery, 'labelSelector' | 'fieldSelector' | 'limit' | 'continue' | 'resourceVersion' | 'fields'>): Query {
  return {
    'listOptions.labelSelector': query.labelSelector,
    'listOptions.fieldSelector': query.fieldSelector,
    'listOptions.limit': query.limit,
    'listOptions.continue': query.continue,
    'listOptions.resourceVersion': query.resourceVersion,
    fields: query.fields,
  };
}

/** Go marshals an empty slice as null and may leave metadata out. */
export function toList<T>(body: unknown): ObjectList<T> {
  const b = (body ?? {}) as { items?: T[] | null; metadata?: ObjectList<T>['metadata'] | null };
  return { items: b.items ?? [], metadata: b.metadata ?? {} };
}
