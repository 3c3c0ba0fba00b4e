// The rows of one kind in memory, with the list semantics every store shares. Documents are kept
// as JSON text, as the SQL stores keep them: callers can never reach into stored state through an
// object they passed in or got back, and what survives a round trip is the same in every store.
import { compareSortKeys, encodeContinue, type ListQuery } from '../list-query.js';
import type { ObjectKey } from '../metadata.js';
import { matchesFields, matchesLabels } from '../selectors.js';

export interface MemoryRecord {
  uid: string;
  namespace: string;
  name: string;
  created: number;
  version: number;
  labels: Record<string, string>;
  phase?: string;
  document: string;
}

/** State shared by every kind of one store: the resourceVersion counter and the uids in use. */
export class MemoryContext {
  private version = 0;
  readonly uids = new Set<string>();

  constructor(readonly now: () => Date) {}

  nextVersion(): number {
    return ++this.version;
  }

  currentVersion(): string {
    return String(this.version);
  }
}

export class Records<R extends MemoryRecord> {
  private readonly byKey = new Map<string, R>();

  get(key: ObjectKey): R | undefined {
    return this.byKey.get(mapKey(key));
  }

  set(record: R): void {
    this.byKey.set(mapKey(record), record);
  }

  delete(key: ObjectKey): R | undefined {
    const record = this.get(key);
    if (record) this.byKey.delete(mapKey(key));
    return record;
  }

  all(): R[] {
    return [...this.byKey.values()];
  }

  /** The page of records matching the query, in list order, and the token of the next page. */
  page(query: ListQuery): { records: R[]; continue?: string } {
    const matching = this.all()
      .filter((r) => {
        if (query.namespace !== undefined && r.namespace !== query.namespace) return false;
        if (query.namePrefix && !r.name.startsWith(query.namePrefix)) return false;
        if (query.after && compareSortKeys(sortKey(r), query.after) <= 0) return false;
        const fields = { 'metadata.name': r.name, 'metadata.namespace': r.namespace, 'status.phase': r.phase ?? '' };
        return matchesLabels(query.labels, r.labels) && matchesFields(query.fields, fields);
      })
      .sort((a, b) => compareSortKeys(sortKey(a), sortKey(b)));
    if (query.limit === undefined || matching.length <= query.limit) return { records: matching };
    const records = matching.slice(0, query.limit);
    const last = records.at(-1) as R;
    return { records, continue: encodeContinue(sortKey(last)) };
  }
}

function sortKey(r: MemoryRecord): { created: number; name: string; namespace: string } {
  return { created: r.created, name: r.name, namespace: r.namespace };
}

function mapKey(key: ObjectKey): string {
  return `${key.namespace}/${key.name}`;
}
