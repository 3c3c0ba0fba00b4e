// A ListQuery as SQL over a table with the list columns (namespace, name, creation_timestamp,
// labels as JSON, and optionally phase). Label selectors are evaluated with json_extract, so a
// page of 50 reads about 50 rows from the creation index when the selector matches often, and
// never touches node rows.
import type { Statement } from 'better-sqlite3';
import { encodeContinue, type ListQuery } from '../list-query.js';
import type { LabelRequirement } from '../selectors.js';
import type { ListResult } from '../types.js';
import type { Db } from './database.js';
import type { ResourceVersions } from './resource-versions.js';

export interface ListRow {
  document: string;
  creation_timestamp: number;
  name: string;
  namespace: string;
}

export interface ListSource {
  table: string;
  /** Fixed conditions, e.g. the kind in the objects table. */
  scope: { sql: string; params: unknown[] }[];
  /** The column behind the `status.phase` field, where the kind has one. */
  phaseColumn?: string;
}

const FIELD_COLUMNS: Record<string, string> = { 'metadata.name': 'name', 'metadata.namespace': 'namespace' };

function labelPath(key: string): string {
  // Keys were validated by the selector parser and cannot contain a double quote.
  return `$."${key}"`;
}

function labelCondition(r: LabelRequirement): { sql: string; params: unknown[] } {
  const path = labelPath(r.key);
  switch (r.op) {
    case 'exists':
      return { sql: 'json_type(labels, ?) IS NOT NULL', params: [path] };
    case 'notExists':
      return { sql: 'json_type(labels, ?) IS NULL', params: [path] };
    case 'in':
      return { sql: `json_extract(labels, ?) IN (${r.values.map(() => '?').join(', ')})`, params: [path, ...r.values] };
    case 'notin':
      return { sql: `coalesce(json_extract(labels, ?) NOT IN (${r.values.map(() => '?').join(', ')}), 1)`, params: [path, ...r.values] };
  }
}

export function listSql(source: ListSource, query: ListQuery): { sql: string; params: unknown[] } {
  const conditions = [...source.scope];
  if (query.namespace !== undefined) conditions.push({ sql: 'namespace = ?', params: [query.namespace] });
  if (query.namePrefix) conditions.push({ sql: 'substr(name, 1, length(?)) = ?', params: [query.namePrefix, query.namePrefix] });
  for (const r of query.labels) conditions.push(labelCondition(r));
  for (const f of query.fields) {
    const column = f.field === 'status.phase' ? `coalesce(${source.phaseColumn ?? 'NULL'}, '')` : FIELD_COLUMNS[f.field];
    if (!column) throw new Error(`internal: no column for field ${f.field}`);
    conditions.push({ sql: `${column} ${f.op} ?`, params: [f.value] });
  }
  if (query.after) {
    const { created, name, namespace } = query.after;
    // The first term is implied by the second; it lets SQLite range-scan the creation index.
    conditions.push({
      sql: 'creation_timestamp <= ? AND (creation_timestamp < ? OR (creation_timestamp = ? AND (name > ? OR (name = ? AND namespace > ?))))',
      params: [created, created, created, name, name, namespace],
    });
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.map((c) => `(${c.sql})`).join(' AND ')}` : '';
  const limit = query.limit !== undefined ? ' LIMIT ?' : '';
  return {
    sql: `SELECT document, creation_timestamp, name, namespace FROM ${source.table} ${where} ORDER BY creation_timestamp DESC, name, namespace${limit}`,
    params: [...conditions.flatMap((c) => c.params), ...(query.limit !== undefined ? [query.limit + 1] : [])],
  };
}

/** Runs list queries, keeping the prepared statements of the shapes seen recently. */
export class Lister {
  private readonly statements = new Map<string, Statement<unknown[], ListRow>>();

  constructor(
    private readonly db: Db,
    private readonly versions: ResourceVersions,
  ) {}

  /** One read transaction, so the page and the resourceVersion describe the same moment. */
  page<T>(source: ListSource, query: ListQuery, toItem: (row: ListRow) => T): ListResult<T> {
    const { sql, params } = listSql(source, query);
    return this.db
      .transaction(() => {
        const rows = this.statement(sql).all(...params);
        const more = query.limit !== undefined && rows.length > query.limit;
        if (more) rows.pop();
        const result: ListResult<T> = { items: rows.map(toItem), resourceVersion: this.versions.current() };
        const last = rows.at(-1);
        if (more && last) result.continue = encodeContinue({ created: last.creation_timestamp, name: last.name, namespace: last.namespace });
        return result;
      })
      .deferred();
  }

  private statement(sql: string): Statement<unknown[], ListRow> {
    let statement = this.statements.get(sql);
    if (!statement) {
      // Selectors vary without bound: keep the cache small rather than clever.
      if (this.statements.size >= 200) this.statements.clear();
      statement = this.db.prepare<unknown[], ListRow>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
