// ListOptions turned into one validated query that every store evaluates, and the list order
// with its continue token. Pagination is keyset, not offset: the token holds the sort key of the
// last item returned, so items added or deleted between pages never shift the pages that follow
// (no duplicates, no gaps), and a page costs the same at the end of the list as at the start.
import { parseFieldSelector, parseLabelSelector, type FieldRequirement, type LabelRequirement } from './selectors.js';
import type { ListOptions } from './types.js';

/** A continue token that was not produced by this store, or a bad limit. HTTP 400 at the edge. */
export class InvalidListError extends Error {
  readonly code = 'InvalidArgument';
}

/**
 * The list order, which is also the cursor: newest first (creation time descending, in
 * milliseconds), then name, then namespace, which makes the order total.
 */
export interface SortKey {
  created: number;
  name: string;
  namespace: string;
}

export interface ListQuery {
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  namePrefix?: string;
  /** Items strictly after this key in list order. */
  after?: SortKey;
  /** Undefined: all. */
  limit?: number;
}

export const OBJECT_FIELDS = ['metadata.name', 'metadata.namespace'] as const;
export const WORKFLOW_FIELDS = ['metadata.name', 'metadata.namespace', 'status.phase'] as const;

export function parseListOptions(opts: ListOptions = {}, fields: readonly string[] = OBJECT_FIELDS): ListQuery {
  const query: ListQuery = {
    labels: parseLabelSelector(opts.labelSelector ?? ''),
    fields: parseFieldSelector(opts.fieldSelector ?? '', fields),
  };
  // '' is Kubernetes' NamespaceAll: the UI lists every namespace with /api/v1/workflows/.
  if (opts.namespace) query.namespace = opts.namespace;
  if (opts.namePrefix) query.namePrefix = opts.namePrefix;
  if (opts.continue) query.after = decodeContinue(opts.continue);
  if (opts.limit !== undefined && opts.limit !== 0) {
    if (!Number.isInteger(opts.limit) || opts.limit < 0) throw new InvalidListError(`invalid limit ${opts.limit}: expected a positive integer, or 0 for all`);
    query.limit = opts.limit;
  }
  return query;
}

/** Negative when `a` comes first in a list. */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a.created !== b.created) return b.created - a.created;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return 0;
}

export function encodeContinue(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.created, key.name, key.namespace])).toString('base64url');
}

export function decodeContinue(token: string): SortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[0] !== 'number' || typeof parsed[1] !== 'string' || typeof parsed[2] !== 'string') {
    throw new InvalidListError(`invalid continue token "${token}": pass the token of the previous page unchanged`);
  }
  return { created: parsed[0], name: parsed[1], namespace: parsed[2] };
}
