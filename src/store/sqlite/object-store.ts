// Templates, cron workflows and config maps: whole documents in the shared `objects` table.
import type { ObjectMeta } from '../../spec/types.js';
import { ChangeFeed } from '../change-feed.js';
import { OBJECT_FIELDS, parseListOptions } from '../list-query.js';
import { checkExpectedVersion, checkSameObject, createdMillis, createStamp, describeKey, keyOf, stamped, type KindInfo, type ObjectKey } from '../metadata.js';
import { ConflictError, NotFoundError, type Change, type ListOptions, type ListResult, type ObjectStore } from '../types.js';
import type { Db } from './database.js';
import type { Lister, ListSource } from './list-sql.js';
import type { ResourceVersions } from './resource-versions.js';

interface Identity {
  uid: string;
  resource_version: number;
  creation: string;
}

export interface SqliteContext {
  db: Db;
  versions: ResourceVersions;
  lister: Lister;
  now: () => Date;
}

export class SqliteObjectStore<T extends { metadata: ObjectMeta }> implements ObjectStore<T> {
  private readonly feed = new ChangeFeed<T>();
  private readonly source: ListSource;
  private readonly statements: ReturnType<typeof prepare>;

  constructor(
    private readonly ctx: SqliteContext,
    private readonly info: KindInfo,
  ) {
    this.source = { table: 'objects', scope: [{ sql: 'kind = ?', params: [info.kind] }] };
    this.statements = prepare(ctx.db);
  }

  private key(obj: T): ObjectKey {
    return keyOf(this.info, obj.metadata);
  }

  private namespaceOf(namespace: string): string {
    return this.info.clusterScoped ? '' : namespace;
  }

  async create(obj: T): Promise<T> {
    const key = this.key(obj);
    const saved = this.ctx.db
      .transaction(() => {
        if (this.statements.identity.get(this.info.kind, key.namespace, key.name)) throw new ConflictError(this.info.kind, describeKey(key));
        if (obj.metadata.uid && this.statements.uidTaken.get(obj.metadata.uid)) {
          throw new ConflictError(this.info.kind, describeKey(key), `${this.info.kind} "${describeKey(key)}": uid ${obj.metadata.uid} is already taken`);
        }
        const stamp = createStamp(obj.metadata, this.ctx.now(), String(this.ctx.versions.next()));
        const created = createdMillis(this.info, key, stamp.creationTimestamp);
        const out = stamped(this.info, obj, stamp);
        this.statements.insert.run(stamp.uid, this.info.kind, key.namespace, key.name, Number(stamp.resourceVersion), created, labelsJson(out), JSON.stringify(out));
        return out;
      })
      .immediate();
    this.feed.emit('ADDED', saved);
    return saved;
  }

  async get(namespace: string, name: string): Promise<T | undefined> {
    const document = this.statements.document.get(this.info.kind, this.namespaceOf(namespace), name);
    return document === undefined ? undefined : (JSON.parse(document) as T);
  }

  async list(opts: ListOptions = {}): Promise<ListResult<T>> {
    const query = parseListOptions(this.info.clusterScoped ? { ...opts, namespace: undefined } : opts, OBJECT_FIELDS);
    return this.ctx.lister.page(this.source, query, (row) => JSON.parse(row.document) as T);
  }

  async update(obj: T, expectedVersion?: string): Promise<T> {
    const key = this.key(obj);
    const saved = this.ctx.db
      .transaction(() => {
        const stored = this.statements.identity.get(this.info.kind, key.namespace, key.name);
        if (!stored) throw new NotFoundError(this.info.kind, describeKey(key));
        checkSameObject(this.info, key, obj.metadata, stored.uid);
        checkExpectedVersion(this.info, key, String(stored.resource_version), expectedVersion);
        const stamp = { uid: stored.uid, creationTimestamp: stored.creation, resourceVersion: String(this.ctx.versions.next()) };
        const out = stamped(this.info, obj, stamp);
        this.statements.update.run(Number(stamp.resourceVersion), labelsJson(out), JSON.stringify(out), stored.uid);
        return out;
      })
      .immediate();
    this.feed.emit('MODIFIED', saved);
    return saved;
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    const deleted = this.ctx.db
      .transaction(() => {
        const document = this.statements.delete.get(this.info.kind, this.namespaceOf(namespace), name);
        if (document === undefined) return undefined;
        const last = JSON.parse(document) as T;
        // The deletion is a change like any other: watchers resume from its version.
        last.metadata.resourceVersion = String(this.ctx.versions.next());
        return last;
      })
      .immediate();
    if (!deleted) return false;
    this.feed.emit('DELETED', deleted);
    return true;
  }

  watch(listener: (change: Change<T>) => void): () => void {
    return this.feed.watch(listener);
  }

  close(): void {
    this.feed.clear();
  }
}

export function labelsJson(obj: { metadata: ObjectMeta }): string {
  return JSON.stringify(obj.metadata.labels ?? {});
}

function prepare(db: Db) {
  return {
    identity: db.prepare<[string, string, string], Identity>(
      "SELECT uid, resource_version, json_extract(document, '$.metadata.creationTimestamp') AS creation FROM objects WHERE kind = ? AND namespace = ? AND name = ?",
    ),
    document: db.prepare<[string, string, string], string>('SELECT document FROM objects WHERE kind = ? AND namespace = ? AND name = ?').pluck(),
    uidTaken: db.prepare<[string], string>('SELECT kind FROM objects WHERE uid = ?').pluck(),
    insert: db.prepare(
      'INSERT INTO objects (uid, kind, namespace, name, resource_version, creation_timestamp, labels, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    update: db.prepare('UPDATE objects SET resource_version = ?, labels = ?, document = ? WHERE uid = ?'),
    delete: db.prepare<[string, string, string], string>('DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ? RETURNING document').pluck(),
  };
}
