// The contract between the engine (which asks for locks while it walks a workflow) and the lock
// table (which decides). Both halves are pure: limits reach the table through a synchronous source
// the controller keeps current from the store's ConfigMaps.

export type LockKind = 'semaphore' | 'mutex';
export type LockStorage = 'configmap' | 'memory' | 'database';

/** One lock a synchronization block asks for, resolved to its identity. */
export interface LockRef {
  kind: LockKind;
  storage: LockStorage;
  namespace: string;
  /** Mutex name, ConfigMap name, or database key. */
  name: string;
  /** ConfigMap key (ConfigMap semaphores only). */
  key?: string;
  /** Argo's lock key, shown in status and messages: `ns/ConfigMap/cm/key`, `ns/Mutex/name`, `ns/Database/name`. */
  id: string;
}

/**
 * Where a lock's limit comes from. `limit` may be 0 (a live semaphore resized to nothing); an
 * `error` says why there is no usable value (missing ConfigMap or key, not an integer, negative).
 */
export type LimitSource = (ref: LockRef) => { limit: number } | { error: string };

export type HolderLevel = 'workflow' | 'template';

export interface LockRequest {
  /** `ns/wf` (workflow level) or `ns/wf/nodeId` (template level). */
  holder: string;
  /** `ns/wf`: whose reconcile this is, and who is woken when the holder may go. */
  workflow: string;
  level: HolderLevel;
  priority: number;
  /** The workflow's metadata.creationTimestamp. */
  creation: string;
  locks: LockRef[];
  /** Milliseconds since the epoch: the enqueue time for a holder that joins the queues now. */
  now: number;
}

export type LockDecision =
  /** Every lock is the holder's now (it was not before this call). */
  | { kind: 'acquired' }
  /** The holder already had every lock. */
  | { kind: 'held' }
  /**
   * Not all locks are free for it, so it holds none of them (all or nothing) and waits in every
   * queue. `failedLock` is the first lock that stopped it; `holders` maps each lock to its holders now.
   */
  | { kind: 'waiting'; message: string; failedLock: string; since: number; holders: Record<string, string[]> }
  /** It can never get these locks as asked (bad limit at first use, self-deadlock). */
  | { kind: 'error'; message: string };

/** What the engine may ask of the lock table during a reconcile. */
export interface Locks {
  acquire(request: LockRequest): LockDecision;
}
