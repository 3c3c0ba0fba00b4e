// Lists as Argo returns them (`{metadata: {resourceVersion, continue}, items}`), and pages for
// filters the store cannot evaluate (nameFilter=Contains, createdAfter, finishedBefore).
import type { ListOptions, ListResult } from '../store/types.js';

export type Lister<T> = (opts: ListOptions) => Promise<ListResult<T>>;

export interface ListBody<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

export function listBody<T>(result: ListResult<T>): ListBody<T> {
  return { metadata: { resourceVersion: result.resourceVersion, ...(result.continue ? { continue: result.continue } : {}) }, items: result.items };
}

/** Every page: for watches and metrics, which need the whole state. */
export async function listAll<T>(list: Lister<T>, opts: ListOptions): Promise<ListResult<T>> {
  // Without a limit the store returns everything in one page.
  const { limit: _limit, continue: _continue, ...rest } = opts;
  return list(rest);
}

/**
 * A page of at most `opts.limit` items that pass `keep`. Store pages are asked for no more than
 * are still missing, so every item scanned is either returned or rejected, and the store's own
 * continue token after the last page scanned is exactly where the next request resumes.
 */
export async function listFiltered<T>(list: Lister<T>, opts: ListOptions, keep: (item: T) => boolean): Promise<ListResult<T>> {
  const limit = opts.limit ?? 0;
  if (limit === 0) {
    const all = await list(opts);
    return { ...all, items: all.items.filter(keep) };
  }
  const items: T[] = [];
  let cont = opts.continue;
  let resourceVersion: string | undefined;
  for (;;) {
    const page = await list({ ...opts, limit: limit - items.length, ...(cont ? { continue: cont } : {}) });
    resourceVersion ??= page.resourceVersion;
    items.push(...page.items.filter(keep));
    cont = page.continue;
    if (!cont || items.length >= limit) break;
  }
  return { items, resourceVersion: resourceVersion ?? '', ...(cont ? { continue: cont } : {}) };
}
