// The locks a `synchronization` block asks for, as lint sees them: each with an identity that says
// when two requests are for the same lock, and the problems Argo would only find when the workflow
// tries to take them (sync.md §1.1, §1.2). Argo reads the block in this order: the deprecated
// singular semaphore, the singular mutex, `semaphores`, then `mutexes`; both syntaxes count.

import type { PathSegment } from './path.js';
import { present, type Report } from './lint-util.js';
import type { Mutex, Semaphore, Synchronization } from './types.js';

export interface LockRequest {
  /**
   * Which lock: kind, storage, namespace (a lock that names none is in the workflow's namespace),
   * name and key. Names are compared as written, so `lock-{{inputs.parameters.x}}` only equals
   * itself.
   */
  id: string;
  /** How messages name it: `mutex "m"`, `ConfigMap semaphore "my-config/workflow"`, … */
  label: string;
  path: PathSegment[];
  /** The deprecated singular field it was written in, if any. */
  singular?: 'semaphore' | 'mutex';
}

export interface SyncLintOptions {
  /** The namespace the workflow runs in, when the manifest says so. */
  namespace?: string | undefined;
  /** Whether anything was written at `path`, even something the schema check rejected (and reported). */
  written: (path: PathSegment[]) => boolean;
  /** Points at a place in the document, for messages: `spec.synchronization.mutexes[0] at line 9`. */
  where: (path: PathSegment[]) => string;
}

/**
 * The locks `sync` (found at `path`) requests, in Argo's order. Invalid items and duplicates are
 * reported with `report`, or silently left out without one (for a block in another document).
 */
export function lockRequests(sync: Synchronization | undefined, path: PathSegment[], opts: SyncLintOptions, report?: Report): LockRequest[] {
  if (!sync) return [];
  const items: { kind: 'semaphore' | 'mutex'; item: Semaphore | Mutex; path: PathSegment[]; singular?: 'semaphore' | 'mutex' }[] = [];
  if (sync.semaphore) items.push({ kind: 'semaphore', item: sync.semaphore, path: [...path, 'semaphore'], singular: 'semaphore' });
  if (sync.mutex) items.push({ kind: 'mutex', item: sync.mutex, path: [...path, 'mutex'], singular: 'mutex' });
  for (const [item, i] of present(sync.semaphores)) items.push({ kind: 'semaphore', item, path: [...path, 'semaphores', i] });
  for (const [item, i] of present(sync.mutexes)) items.push({ kind: 'mutex', item, path: [...path, 'mutexes', i] });

  const out: LockRequest[] = [];
  const seen = new Map<string, LockRequest>();
  const problem: Report = report ?? (() => undefined);
  for (const { kind, item, path: at, singular } of items) {
    const request = kind === 'semaphore' ? semaphoreRequest(item as Semaphore, at, opts, problem) : mutexRequest(item as Mutex, at, opts, problem);
    if (!request) continue;
    if (singular) request.singular = singular;
    const first = seen.get(request.id);
    if (first) {
      const deprecated = first.singular ?? request.singular;
      const fix = deprecated ? `remove the deprecated "${deprecated}" field, which asks for the same lock` : 'remove this one';
      problem(
        at,
        `duplicate synchronization item found: ${request.label} is already requested by ${opts.where(first.path)}; a synchronization block lists each lock once (Argo fails the workflow otherwise): ${fix}`,
      );
      continue;
    }
    seen.set(request.id, request);
    out.push(request);
  }
  return out;
}

function semaphoreRequest(s: Semaphore, at: PathSegment[], opts: SyncLintOptions, report: Report): LockRequest | undefined {
  const byConfigMap = opts.written([...at, 'configMapKeyRef']);
  const byDatabase = opts.written([...at, 'database']);
  if (byConfigMap && byDatabase) {
    report(
      at,
      'invalid semaphore with both ConfigMapKeyRef and Database: a semaphore takes its limit either from a ConfigMap or from the database; keep one of "configMapKeyRef" and "database"',
    );
    return undefined;
  }
  if (!byConfigMap && !byDatabase) {
    report(
      at,
      'cannot get LockName for a Semaphore without a ConfigMapRef or Database: say where its limit is, with configMapKeyRef: {name: <ConfigMap>, key: <key>} or database: {key: <key>}',
    );
    return undefined;
  }
  const namespace = s.namespace || opts.namespace || '';
  const where = s.namespace ? ` in namespace "${s.namespace}"` : '';
  if (s.configMapKeyRef) {
    const { name, key } = s.configMapKeyRef;
    const namePath = [...at, 'configMapKeyRef', 'name'];
    let valid = true;
    if (name === '' || (name === undefined && !opts.written(namePath))) {
      report(namePath, 'semaphore configMapKeyRef.name is empty: it must name the ConfigMap that holds the limit; set name: <ConfigMap>');
      valid = false;
    }
    // A missing key is the schema check's ("missing the required field"); an empty one is ours.
    if (key === '') {
      const of = name ? ` of ConfigMap "${name}"` : '';
      report([...at, 'configMapKeyRef', 'key'], `semaphore configMapKeyRef.key is empty: it must name the key${of} whose value is the limit; set key: <key>`);
      valid = false;
    }
    if (!valid || name === undefined || key === undefined) return undefined;
    return { id: JSON.stringify(['semaphore', 'configmap', namespace, name, key]), label: `ConfigMap semaphore "${name}/${key}"${where}`, path: at };
  }
  if (s.database) {
    const { key } = s.database;
    if (key === '') {
      report([...at, 'database', 'key'], 'semaphore database.key is empty: it must name the database semaphore (its limit is in the sync_limit table); set key: <name>');
      return undefined;
    }
    if (key === undefined) return undefined;
    return { id: JSON.stringify(['semaphore', 'database', namespace, key]), label: `database semaphore "${key}"${where}`, path: at };
  }
  return undefined;
}

function mutexRequest(m: Mutex, at: PathSegment[], opts: SyncLintOptions, report: Report): LockRequest | undefined {
  const namePath = [...at, 'name'];
  if (m.name === '' || (m.name === undefined && !opts.written(namePath))) {
    report(
      namePath,
      'mutex name is empty: a mutex is known by its name (Argo errors the workflow with "bug: unable to decode lock"); set name: <lock name>',
    );
    return undefined;
  }
  if (m.name === undefined) return undefined;
  const namespace = m.namespace || opts.namespace || '';
  const storage = m.database ? 'database' : 'memory';
  const where = m.namespace ? ` in namespace "${m.namespace}"` : '';
  return { id: JSON.stringify(['mutex', storage, namespace, m.name]), label: `${m.database ? 'database mutex' : 'mutex'} "${m.name}"${where}`, path: at };
}
