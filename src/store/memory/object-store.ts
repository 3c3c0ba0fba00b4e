import type { ObjectMeta } from '../../spec/types.js';
import { ChangeFeed } from '../change-feed.js';
import { OBJECT_FIELDS, parseListOptions } from '../list-query.js';
import { checkExpectedVersion, checkSameObject, createdMillis, createStamp, describeKey, keyOf, stamped, type KindInfo } from '../metadata.js';
import { ConflictError, NotFoundError, type Change, type ListOptions, type ListResult, type ObjectStore } from '../types.js';
import { Records, type MemoryContext, type MemoryRecord } from './records.js';

export class MemoryObjectStore<T extends { metadata: ObjectMeta }> implements ObjectStore<T> {
  private readonly feed = new ChangeFeed<T>();
  private readonly records = new Records<MemoryRecord>();

  constructor(
    private readonly ctx: MemoryContext,
    private readonly info: KindInfo,
  ) {}

  async create(obj: T): Promise<T> {
    const key = keyOf(this.info, obj.metadata);
    if (this.records.get(key)) throw new ConflictError(this.info.kind, describeKey(key));
    if (obj.metadata.uid && this.ctx.uids.has(obj.metadata.uid)) {
      throw new ConflictError(this.info.kind, describeKey(key), `${this.info.kind} "${describeKey(key)}": uid ${obj.metadata.uid} is already taken`);
    }
    const stamp = createStamp(obj.metadata, this.ctx.now(), '');
    const created = createdMillis(this.info, key, stamp.creationTimestamp);
    const version = this.ctx.nextVersion();
    const out = stamped(this.info, obj, { ...stamp, resourceVersion: String(version) });
    this.ctx.uids.add(stamp.uid);
    this.records.set({ uid: stamp.uid, ...key, created, version, labels: { ...out.metadata.labels }, document: JSON.stringify(out) });
    this.feed.emit('ADDED', out);
    return out;
  }

  async get(namespace: string, name: string): Promise<T | undefined> {
    const record = this.records.get({ namespace: this.namespaceOf(namespace), name });
    return record && (JSON.parse(record.document) as T);
  }

  async list(opts: ListOptions = {}): Promise<ListResult<T>> {
    const query = parseListOptions(this.info.clusterScoped ? { ...opts, namespace: undefined } : opts, OBJECT_FIELDS);
    const page = this.records.page(query);
    const result: ListResult<T> = { items: page.records.map((r) => JSON.parse(r.document) as T), resourceVersion: this.ctx.currentVersion() };
    if (page.continue) result.continue = page.continue;
    return result;
  }

  async update(obj: T, expectedVersion?: string): Promise<T> {
    const key = keyOf(this.info, obj.metadata);
    const stored = this.records.get(key);
    if (!stored) throw new NotFoundError(this.info.kind, describeKey(key));
    checkSameObject(this.info, key, obj.metadata, stored.uid);
    checkExpectedVersion(this.info, key, String(stored.version), expectedVersion);
    const creationTimestamp = (JSON.parse(stored.document) as T).metadata.creationTimestamp ?? '';
    const version = this.ctx.nextVersion();
    const out = stamped(this.info, obj, { uid: stored.uid, creationTimestamp, resourceVersion: String(version) });
    this.records.set({ ...stored, version, labels: { ...out.metadata.labels }, document: JSON.stringify(out) });
    this.feed.emit('MODIFIED', out);
    return out;
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    const record = this.records.delete({ namespace: this.namespaceOf(namespace), name });
    if (!record) return false;
    this.ctx.uids.delete(record.uid);
    const last = JSON.parse(record.document) as T;
    last.metadata.resourceVersion = String(this.ctx.nextVersion());
    this.feed.emit('DELETED', last);
    return true;
  }

  watch(listener: (change: Change<T>) => void): () => void {
    return this.feed.watch(listener);
  }

  close(): void {
    this.feed.clear();
  }

  private namespaceOf(namespace: string): string {
    return this.info.clusterScoped ? '' : namespace;
  }
}
