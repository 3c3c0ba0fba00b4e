// Workflows: the document without status.nodes in `workflows`, one row per node in
// `workflow_nodes`. The stored document keeps `status.nodes: {}` as a placeholder where the
// workflow had nodes, so `get` knows to fill it and an absent `nodes` stays absent.
import type { NodeStatus, Workflow } from '../../spec/types.js';
import { ChangeFeed } from '../change-feed.js';
import { parseListOptions, WORKFLOW_FIELDS } from '../list-query.js';
import { checkExpectedVersion, checkSameObject, createdMillis, createStamp, describeKey, KINDS, keyOf, stamped, type KindInfo, type ObjectKey, type Stamp } from '../metadata.js';
import { ConflictError, NotFoundError, type Change, type ListOptions, type ListResult, type WorkflowStore } from '../types.js';
import type { Db } from './database.js';
import type { ListSource } from './list-sql.js';
import { labelsJson, type SqliteContext } from './object-store.js';

const INFO: KindInfo = KINDS.workflow;
const SOURCE: ListSource = { table: 'workflows', scope: [], phaseColumn: 'phase' };

interface Identity {
  uid: string;
  resource_version: number;
  creation: string;
}

export class SqliteWorkflowStore implements WorkflowStore {
  private readonly feed = new ChangeFeed<Workflow>();
  private readonly statements: ReturnType<typeof prepare>;

  constructor(private readonly ctx: SqliteContext) {
    this.statements = prepare(ctx.db);
  }

  async create(wf: Workflow): Promise<Workflow> {
    const key = keyOf(INFO, wf.metadata);
    const saved = this.ctx.db
      .transaction(() => {
        if (this.statements.identity.get(key.namespace, key.name)) throw new ConflictError(INFO.kind, describeKey(key));
        if (wf.metadata.uid && this.statements.uidTaken.get(wf.metadata.uid)) {
          throw new ConflictError(INFO.kind, describeKey(key), `${INFO.kind} "${describeKey(key)}": uid ${wf.metadata.uid} is already taken`);
        }
        const stamp = createStamp(wf.metadata, this.ctx.now(), String(this.ctx.versions.next()));
        const out = stamped(INFO, wf, stamp);
        const s = out.status;
        this.statements.insert.run(
          stamp.uid,
          key.namespace,
          key.name,
          Number(stamp.resourceVersion),
          createdMillis(INFO, key, stamp.creationTimestamp),
          s?.phase ?? null,
          s?.finishedAt ?? null,
          labelsJson(out),
          documentJson(out),
        );
        this.writeNodes(stamp, out, Object.keys(s?.nodes ?? {}));
        return out;
      })
      .immediate();
    this.feed.emit('ADDED', saved);
    return saved;
  }

  async get(namespace: string, name: string): Promise<Workflow | undefined> {
    return this.ctx.db
      .transaction(() => {
        const row = this.statements.document.get(namespace, name);
        return row && this.assemble(row.uid, row.document);
      })
      .deferred();
  }

  async version(namespace: string, name: string): Promise<string | undefined> {
    const v = this.statements.version.get(namespace, name);
    return v === undefined ? undefined : String(v);
  }

  /** Without status.nodes: see WorkflowStore.list. */
  async list(opts: ListOptions = {}): Promise<ListResult<Workflow>> {
    return this.ctx.lister.page(SOURCE, parseListOptions(opts, WORKFLOW_FIELDS), (row) => {
      const wf = JSON.parse(row.document) as Workflow;
      if (wf.status) delete wf.status.nodes;
      return wf;
    });
  }

  async update(wf: Workflow, expectedVersion?: string): Promise<Workflow> {
    const saved = this.write(wf, Object.keys(wf.status?.nodes ?? {}), true, expectedVersion);
    this.feed.emit('MODIFIED', saved);
    return saved;
  }

  async saveStatus(wf: Workflow, changedNodes: readonly string[], opts: { prune?: boolean } = {}): Promise<Workflow> {
    const saved = this.write(wf, changedNodes, opts.prune ?? false, undefined);
    this.feed.emit('MODIFIED', saved);
    return saved;
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    const deleted = this.ctx.db
      .transaction(() => {
        const row = this.statements.document.get(namespace, name);
        if (!row) return undefined;
        // Assembling a large workflow costs: only watchers need the last state.
        const last = this.feed.active ? this.assemble(row.uid, row.document) : undefined;
        this.statements.delete.run(row.uid); // nodes go by ON DELETE CASCADE
        const resourceVersion = String(this.ctx.versions.next());
        if (last) last.metadata.resourceVersion = resourceVersion;
        return { last };
      })
      .immediate();
    if (!deleted) return false;
    if (deleted.last) this.feed.emit('DELETED', deleted.last);
    return true;
  }

  async listUnfinished(): Promise<Workflow[]> {
    return this.ctx.db
      .transaction(() => this.statements.unfinished.all().map((row) => this.assemble(row.uid, row.document)))
      .deferred();
  }

  watch(listener: (change: Change<Workflow>) => void): () => void {
    return this.feed.watch(listener);
  }

  close(): void {
    this.feed.clear();
  }

  /** The row, then only the listed nodes: one transaction, so a crash keeps all of it or none. */
  private write(wf: Workflow, nodeIds: readonly string[], prune: boolean, expectedVersion: string | undefined): Workflow {
    const key: ObjectKey = keyOf(INFO, wf.metadata);
    return this.ctx.db
      .transaction(() => {
        const stored = this.statements.identity.get(key.namespace, key.name);
        if (!stored) throw new NotFoundError(INFO.kind, describeKey(key));
        checkSameObject(INFO, key, wf.metadata, stored.uid);
        checkExpectedVersion(INFO, key, String(stored.resource_version), expectedVersion);
        const stamp: Stamp = { uid: stored.uid, creationTimestamp: stored.creation, resourceVersion: String(this.ctx.versions.next()) };
        const out = stamped(INFO, wf, stamp);
        const s = out.status;
        this.statements.update.run(Number(stamp.resourceVersion), s?.phase ?? null, s?.finishedAt ?? null, labelsJson(out), documentJson(out), stored.uid);
        this.writeNodes(stamp, out, nodeIds);
        if (prune) this.statements.prune.run(stored.uid, JSON.stringify(Object.keys(s?.nodes ?? {})));
        return out;
      })
      .immediate();
  }

  /** A listed ID that is no longer in status.nodes was removed: its row goes too. */
  private writeNodes(stamp: Stamp, wf: Workflow, nodeIds: readonly string[]): void {
    const nodes = wf.status?.nodes ?? {};
    const version = Number(stamp.resourceVersion);
    for (const id of nodeIds) {
      const node = Object.hasOwn(nodes, id) ? nodes[id] : undefined;
      if (node) this.statements.upsertNode.run(stamp.uid, id, version, JSON.stringify(node));
      else this.statements.deleteNode.run(stamp.uid, id);
    }
  }

  private assemble(uid: string, document: string): Workflow {
    const wf = JSON.parse(document) as Workflow;
    if (wf.status?.nodes) {
      // One JSON.parse of the whole map is faster than one per node.
      const rows = this.statements.nodes.all(uid);
      const json = `{${rows.map(([id, node]) => `${JSON.stringify(id)}:${node}`).join(',')}}`;
      wf.status.nodes = JSON.parse(json) as Record<string, NodeStatus>;
    }
    return wf;
  }
}

function documentJson(wf: Workflow): string {
  if (!wf.status?.nodes) return JSON.stringify(wf);
  return JSON.stringify({ ...wf, status: { ...wf.status, nodes: {} } });
}

function prepare(db: Db) {
  return {
    identity: db.prepare<[string, string], Identity>(
      "SELECT uid, resource_version, json_extract(document, '$.metadata.creationTimestamp') AS creation FROM workflows WHERE namespace = ? AND name = ?",
    ),
    version: db.prepare<[string, string], number>('SELECT resource_version FROM workflows WHERE namespace = ? AND name = ?').pluck(),
    document: db.prepare<[string, string], { uid: string; document: string }>('SELECT uid, document FROM workflows WHERE namespace = ? AND name = ?'),
    uidTaken: db.prepare<[string], string>('SELECT name FROM workflows WHERE uid = ?').pluck(),
    insert: db.prepare(
      `INSERT INTO workflows (uid, namespace, name, resource_version, creation_timestamp, phase, finished_at, labels, document)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare('UPDATE workflows SET resource_version = ?, phase = ?, finished_at = ?, labels = ?, document = ? WHERE uid = ?'),
    delete: db.prepare('DELETE FROM workflows WHERE uid = ?'),
    unfinished: db.prepare<[], { uid: string; document: string }>(
      "SELECT uid, document FROM workflows WHERE phase IS NULL OR phase IN ('Pending', 'Running') ORDER BY creation_timestamp, name, namespace",
    ),
    // Insertion order (rowid) is the order the engine created the nodes in, which callers see
    // when they iterate status.nodes; an upsert keeps a node's rowid.
    nodes: db.prepare<[string], [string, string]>('SELECT node_id, node FROM workflow_nodes WHERE workflow_uid = ? ORDER BY rowid').raw(),
    upsertNode: db.prepare(
      `INSERT INTO workflow_nodes (workflow_uid, node_id, resource_version, node) VALUES (?, ?, ?, ?)
       ON CONFLICT (workflow_uid, node_id) DO UPDATE SET resource_version = excluded.resource_version, node = excluded.node`,
    ),
    deleteNode: db.prepare('DELETE FROM workflow_nodes WHERE workflow_uid = ? AND node_id = ?'),
    prune: db.prepare('DELETE FROM workflow_nodes WHERE workflow_uid = ? AND node_id NOT IN (SELECT value FROM json_each(?))'),
  };
}
