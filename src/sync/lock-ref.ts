import type { Mutex, Semaphore, Synchronization } from '../spec/types.js';
import type { LockKind, LockRef } from './types.js';

export class LockSpecError extends Error {}

/**
 * The locks a synchronization block asks for, in Argo's order (singular semaphore, singular mutex,
 * semaphores, mutexes). Both syntaxes count: the v3.5 singular form is never ignored. Throws
 * LockSpecError with Argo's messages, prefixed `requested configuration is invalid: `.
 */
export function lockRefs(sync: Synchronization | undefined, namespace: string): LockRef[] {
  if (!sync) return [];
  const refs: LockRef[] = [];
  const ordered: { kind: LockKind; item: Semaphore | Mutex }[] = [
    ...(sync.semaphore ? [{ kind: 'semaphore' as const, item: sync.semaphore }] : []),
    ...(sync.mutex ? [{ kind: 'mutex' as const, item: sync.mutex }] : []),
    ...(sync.semaphores ?? []).map((item) => ({ kind: 'semaphore' as const, item })),
    ...(sync.mutexes ?? []).map((item) => ({ kind: 'mutex' as const, item })),
  ];
  for (const { kind, item } of ordered) {
    const ref = kind === 'semaphore' ? semaphoreRef(item as Semaphore, namespace) : mutexRef(item as Mutex, namespace);
    if (refs.some((r) => tableKey(r) === tableKey(ref))) invalid(`duplicate synchronization item found: ${ref.id}`);
    refs.push(ref);
  }
  return refs;
}

function semaphoreRef(s: Semaphore, wfNamespace: string): LockRef {
  if (s === null || typeof s !== 'object') invalid('a semaphore must be an object with configMapKeyRef or database');
  const namespace = s.namespace || wfNamespace;
  if (s.configMapKeyRef && s.database) invalid('invalid semaphore with both ConfigMapKeyRef and Database');
  if (s.configMapKeyRef) {
    const { name, key } = s.configMapKeyRef;
    if (!name) invalid('semaphore configMapKeyRef.name is empty: name the ConfigMap that holds the limit');
    if (!key) invalid(`semaphore configMapKeyRef.key is empty: name the key of ConfigMap ${name} that holds the limit`);
    return { kind: 'semaphore', storage: 'configmap', namespace, name, key, id: `${namespace}/ConfigMap/${name}/${key}` };
  }
  if (s.database) {
    if (!s.database.key) invalid('semaphore database.key is empty');
    return { kind: 'semaphore', storage: 'database', namespace, name: s.database.key, id: `${namespace}/Database/${s.database.key}` };
  }
  return invalid('cannot get LockName for a Semaphore without a ConfigMapRef or Database');
}

function mutexRef(m: Mutex, wfNamespace: string): LockRef {
  if (m === null || typeof m !== 'object' || !m.name) invalid('mutex name is empty: give the mutex a name');
  const namespace = m.namespace || wfNamespace;
  if (m.database) return { kind: 'mutex', storage: 'database', namespace, name: m.name, id: `${namespace}/Database/${m.name}` };
  return { kind: 'mutex', storage: 'memory', namespace, name: m.name, id: `${namespace}/Mutex/${m.name}` };
}

function invalid(message: string): never {
  throw new LockSpecError(`requested configuration is invalid: ${message}`);
}

/**
 * The table's own key: the lock type is part of it, so a database mutex and a database semaphore
 * of one name stay two locks (Argo conflates them in one controller).
 */
export function tableKey(ref: Pick<LockRef, 'kind' | 'id'>): string {
  return `${ref.kind}:${ref.id}`;
}

/** A lock from its key as recorded in status (`ns/ConfigMap/cm/key`, `ns/Mutex/name`, `ns/Database/name`). */
export function decodeLockId(kind: LockKind, id: string): LockRef | undefined {
  const first = id.indexOf('/');
  const second = id.indexOf('/', first + 1);
  if (first <= 0 || second < 0) return undefined;
  const namespace = id.slice(0, first);
  const type = id.slice(first + 1, second);
  const rest = id.slice(second + 1);
  if (!rest) return undefined;
  if (type === 'Mutex' && kind === 'mutex') return { kind, storage: 'memory', namespace, name: rest, id };
  if (type === 'Database') return { kind, storage: 'database', namespace, name: rest, id };
  if (type === 'ConfigMap' && kind === 'semaphore') {
    const slash = rest.indexOf('/');
    if (slash <= 0 || slash === rest.length - 1 || rest.indexOf('/', slash + 1) >= 0) return undefined;
    return { kind, storage: 'configmap', namespace, name: rest.slice(0, slash), key: rest.slice(slash + 1), id };
  }
  return undefined;
}
