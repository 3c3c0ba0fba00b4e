import type { Statement } from 'better-sqlite3';
import type { EventStore, StoredEvent } from '../types.js';
import type { Db } from './database.js';

type EventInput = Parameters<EventStore['record']>[0];

interface EventRow {
  namespace: string;
  involved_kind: string;
  involved_namespace: string;
  involved_name: string;
  involved_uid: string;
  type: StoredEvent['type'];
  reason: string;
  message: string;
  first_timestamp: string;
  last_timestamp: string;
  count: number;
}

export class SqliteEventStore implements EventStore {
  private readonly upsert: Statement;

  constructor(private readonly db: Db) {
    // A repeat of the same event (same object, type, reason and message) bumps its count, as
    // Kubernetes does, so a retry loop does not grow the table.
    this.upsert = db.prepare(
      `INSERT INTO events (namespace, involved_kind, involved_namespace, involved_name, involved_uid, type, reason, message, first_timestamp, last_timestamp, count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
       ON CONFLICT (involved_name, namespace, involved_kind, involved_namespace, involved_uid, type, reason, message)
       DO UPDATE SET count = count + 1, last_timestamp = excluded.last_timestamp`,
    );
  }

  async record(event: EventInput): Promise<void> {
    const o = event.involvedObject;
    this.upsert.run(event.namespace, o.kind, o.namespace, o.name, o.uid ?? '', event.type, event.reason, event.message, event.at, event.at);
  }

  /** Oldest first; `limit` keeps the most recent. */
  async list(opts: { namespace?: string; involvedName?: string; limit?: number }): Promise<StoredEvent[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (opts.namespace !== undefined) {
      conditions.push('namespace = ?');
      params.push(opts.namespace);
    }
    if (opts.involvedName !== undefined) {
      conditions.push('involved_name = ?');
      params.push(opts.involvedName);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const limit = opts.limit ? 'LIMIT ?' : '';
    if (opts.limit) params.push(opts.limit);
    const rows = this.db
      .prepare<unknown[], EventRow>(`SELECT * FROM (SELECT * FROM events ${where} ORDER BY last_timestamp DESC, id DESC ${limit}) ORDER BY last_timestamp, id`)
      .all(...params);
    return rows.map(toEvent);
  }
}

function toEvent(row: EventRow): StoredEvent {
  const involvedObject: StoredEvent['involvedObject'] = { kind: row.involved_kind, name: row.involved_name, namespace: row.involved_namespace };
  if (row.involved_uid) involvedObject.uid = row.involved_uid;
  return {
    namespace: row.namespace,
    involvedObject,
    reason: row.reason,
    message: row.message,
    type: row.type,
    firstTimestamp: row.first_timestamp,
    lastTimestamp: row.last_timestamp,
    count: row.count,
  };
}
