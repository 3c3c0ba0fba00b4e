// What every store does to metadata, the same way: address objects by namespace and name, stamp
// uid / creationTimestamp / resourceVersion, and derive the list order from creationTimestamp.
import { randomUUID } from 'node:crypto';
import type { ObjectMeta } from '../spec/types.js';
import { ConflictError } from './types.js';

/** A kind as stores see it. Cluster-scoped objects live in namespace '' and carry no metadata.namespace. */
export interface KindInfo {
  kind: string;
  clusterScoped: boolean;
}

export const KINDS = {
  workflow: { kind: 'Workflow', clusterScoped: false },
  workflowTemplate: { kind: 'WorkflowTemplate', clusterScoped: false },
  clusterWorkflowTemplate: { kind: 'ClusterWorkflowTemplate', clusterScoped: true },
  cronWorkflow: { kind: 'CronWorkflow', clusterScoped: false },
  configMap: { kind: 'ConfigMap', clusterScoped: false },
} as const satisfies Record<string, KindInfo>;

export interface ObjectKey {
  namespace: string;
  name: string;
}

export interface Stamp {
  uid: string;
  creationTimestamp: string;
  resourceVersion: string;
}

export function keyOf(info: KindInfo, meta: ObjectMeta): ObjectKey {
  if (!meta.name) throw new Error(`${info.kind}: metadata.name is required (resolve generateName before storing)`);
  if (info.clusterScoped) return { namespace: '', name: meta.name };
  if (!meta.namespace) throw new Error(`${info.kind} "${meta.name}": metadata.namespace is required`);
  return { namespace: meta.namespace, name: meta.name };
}

/** How errors and logs name an object: `ns/name`, or `name` when cluster-scoped. */
export function describeKey(key: ObjectKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}

/** Argo's timestamps: RFC 3339 in UTC, whole seconds. */
export function formatTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds since the epoch, for ordering: timestamps with and without fractions sort together. */
export function createdMillis(info: KindInfo, key: ObjectKey, creationTimestamp: string): number {
  const ms = Date.parse(creationTimestamp);
  if (Number.isNaN(ms)) throw new Error(`${info.kind} "${describeKey(key)}": metadata.creationTimestamp "${creationTimestamp}" is not an RFC 3339 time`);
  return ms;
}

/** The identity a create assigns: the caller's uid and creationTimestamp when given. */
export function createStamp(meta: ObjectMeta, now: Date, resourceVersion: string): Stamp {
  return { uid: meta.uid ?? randomUUID(), creationTimestamp: meta.creationTimestamp ?? formatTimestamp(now), resourceVersion };
}

/**
 * An update keeps the stored identity. A different uid means the caller holds an object that was
 * deleted and created again under the same name, so writing would clobber a stranger.
 */
export function checkSameObject(info: KindInfo, key: ObjectKey, meta: ObjectMeta, storedUid: string): void {
  if (meta.uid && meta.uid !== storedUid) {
    throw new ConflictError(info.kind, describeKey(key), `${info.kind} "${describeKey(key)}" was replaced: uid ${meta.uid} is now ${storedUid}`);
  }
}

export function checkExpectedVersion(info: KindInfo, key: ObjectKey, storedVersion: string, expected: string | undefined): void {
  if (expected !== undefined && expected !== storedVersion) {
    throw new ConflictError(
      info.kind,
      describeKey(key),
      `${info.kind} "${describeKey(key)}" was modified: expected resourceVersion ${expected}, it is ${storedVersion}; get it again and retry`,
    );
  }
}

/** A shallow copy with the stamp applied; the caller's object is left as it was. */
export function stamped<T extends { metadata: ObjectMeta }>(info: KindInfo, obj: T, stamp: Stamp): T {
  const metadata: ObjectMeta = { ...obj.metadata, ...stamp };
  if (info.clusterScoped) delete metadata.namespace;
  return { ...obj, metadata };
}

/** Field values for field selectors; unset fields select as ''. */
export function selectableFields(key: ObjectKey, phase?: string): Record<string, string> {
  return { 'metadata.name': key.name, 'metadata.namespace': key.namespace, 'status.phase': phase ?? '' };
}
