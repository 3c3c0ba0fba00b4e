// Workflows in memory, stored as the SQL stores store them: the document without status.nodes,
// and each node as its own entry, of which a saveStatus replaces only the listed ones.
import type { NodeStatus, Workflow } from '../../spec/types.js';
import { ChangeFeed } from '../change-feed.js';
import { parseListOptions, WORKFLOW_FIELDS } from '../list-query.js';
import { checkExpectedVersion, checkSameObject, createdMillis, createStamp, describeKey, KINDS, keyOf, stamped, type KindInfo } from '../metadata.js';
import { ConflictError, NotFoundError, type Change, type ListOptions, type ListResult, type WorkflowStore } from '../types.js';
import { Records, type MemoryContext, type MemoryRecord } from './records.js';

const INFO: KindInfo = KINDS.workflow;

interface WorkflowRecord extends MemoryRecord {
  /** Node ID → JSON, in the order the nodes were first written. */
  nodes: Map<string, string>;
}

export class MemoryWorkflowStore implements WorkflowStore {
  private readonly feed = new ChangeFeed<Workflow>();
  private readonly records = new Records<WorkflowRecord>();

  constructor(private readonly ctx: MemoryContext) {}

  async create(wf: Workflow): Promise<Workflow> {
    const key = keyOf(INFO, wf.metadata);
    if (this.records.get(key)) throw new ConflictError(INFO.kind, describeKey(key));
    if (wf.metadata.uid && this.ctx.uids.has(wf.metadata.uid)) {
      throw new ConflictError(INFO.kind, describeKey(key), `${INFO.kind} "${describeKey(key)}": uid ${wf.metadata.uid} is already taken`);
    }
    const stamp = createStamp(wf.metadata, this.ctx.now(), '');
    const created = createdMillis(INFO, key, stamp.creationTimestamp);
    const version = this.ctx.nextVersion();
    const out = stamped(INFO, wf, { ...stamp, resourceVersion: String(version) });
    const record: WorkflowRecord = { uid: stamp.uid, ...key, created, version, labels: {}, document: '', nodes: new Map() };
    this.ctx.uids.add(stamp.uid);
    this.records.set(fill(record, out, Object.keys(out.status?.nodes ?? {}), false));
    this.feed.emit('ADDED', out);
    return out;
  }

  async get(namespace: string, name: string): Promise<Workflow | undefined> {
    const record = this.records.get({ namespace, name });
    return record && assemble(record);
  }

  /** Without status.nodes: see WorkflowStore.list. */
  async list(opts: ListOptions = {}): Promise<ListResult<Workflow>> {
    const page = this.records.page(parseListOptions(opts, WORKFLOW_FIELDS));
    const items = page.records.map((r) => {
      const wf = JSON.parse(r.document) as Workflow;
      if (wf.status) delete wf.status.nodes;
      return wf;
    });
    const result: ListResult<Workflow> = { items, resourceVersion: this.ctx.currentVersion() };
    if (page.continue) result.continue = page.continue;
    return result;
  }

  async update(wf: Workflow, expectedVersion?: string): Promise<Workflow> {
    return this.write(wf, Object.keys(wf.status?.nodes ?? {}), true, expectedVersion);
  }

  async saveStatus(wf: Workflow, changedNodes: readonly string[], opts: { prune?: boolean } = {}): Promise<Workflow> {
    return this.write(wf, changedNodes, opts.prune ?? false, undefined);
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    const record = this.records.delete({ namespace, name });
    if (!record) return false;
    this.ctx.uids.delete(record.uid);
    const last = assemble(record);
    last.metadata.resourceVersion = String(this.ctx.nextVersion());
    this.feed.emit('DELETED', last);
    return true;
  }

  async listUnfinished(): Promise<Workflow[]> {
    return this.records
      .all()
      .filter((r) => r.phase === undefined || r.phase === 'Pending' || r.phase === 'Running')
      .sort((a, b) => a.created - b.created || compareText(a.name, b.name) || compareText(a.namespace, b.namespace))
      .map(assemble);
  }

  watch(listener: (change: Change<Workflow>) => void): () => void {
    return this.feed.watch(listener);
  }

  close(): void {
    this.feed.clear();
  }

  private write(wf: Workflow, nodeIds: readonly string[], prune: boolean, expectedVersion: string | undefined): Workflow {
    const key = keyOf(INFO, wf.metadata);
    const stored = this.records.get(key);
    if (!stored) throw new NotFoundError(INFO.kind, describeKey(key));
    checkSameObject(INFO, key, wf.metadata, stored.uid);
    checkExpectedVersion(INFO, key, String(stored.version), expectedVersion);
    const creationTimestamp = (JSON.parse(stored.document) as Workflow).metadata.creationTimestamp ?? '';
    const version = this.ctx.nextVersion();
    const out = stamped(INFO, wf, { uid: stored.uid, creationTimestamp, resourceVersion: String(version) });
    this.records.set(fill({ ...stored, version, nodes: new Map(stored.nodes) }, out, nodeIds, prune));
    this.feed.emit('MODIFIED', out);
    return out;
  }
}

/** Writes the document and the listed nodes into the record (a listed ID absent from status.nodes is removed). */
function fill(record: WorkflowRecord, wf: Workflow, nodeIds: readonly string[], prune: boolean): WorkflowRecord {
  const status = wf.status;
  const nodes = status?.nodes ?? {};
  for (const id of nodeIds) {
    const node = Object.hasOwn(nodes, id) ? nodes[id] : undefined;
    if (node) record.nodes.set(id, JSON.stringify(node));
    else record.nodes.delete(id);
  }
  if (prune) for (const id of [...record.nodes.keys()]) if (!Object.hasOwn(nodes, id)) record.nodes.delete(id);
  record.labels = { ...wf.metadata.labels };
  if (status?.phase) record.phase = status.phase;
  else delete record.phase;
  record.document = JSON.stringify(status?.nodes ? { ...wf, status: { ...status, nodes: {} } } : wf);
  return record;
}

function assemble(record: WorkflowRecord): Workflow {
  const wf = JSON.parse(record.document) as Workflow;
  if (wf.status?.nodes) {
    const nodes: Record<string, NodeStatus> = {};
    for (const [id, json] of record.nodes) nodes[id] = JSON.parse(json) as NodeStatus;
    wf.status.nodes = nodes;
  }
  return wf;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
