import { tableKey } from './lock-ref.js';
import type { HolderLevel, LimitSource, LockDecision, LockRef, LockRequest, Locks } from './types.js';

interface Waiter {
  holder: string;
  workflow: string;
  level: HolderLevel;
  priority: number;
  creation: number;
  since: number;
  /**
   * Order of first enqueue, one per holder across all its queues: breaks ties of `since` (two
   * holders queued in the same millisecond, or from a clock of coarser grain) by arrival, not by name.
   */
  seq: number;
}

interface Lock {
  ref: LockRef;
  /** Last known limit; undefined when it could never be read (a hold carried over a restart). */
  limit: number | undefined;
  holders: Set<string>;
  /** Kept in queue order: priority (high first), creation time, enqueue time, holder key. */
  queue: Waiter[];
}

/** A workflow's locks as its stored status records them: the truth the table follows. */
export interface DurableLocks {
  holds: { holder: string; ref: LockRef }[];
  waits: { holder: string; level: HolderLevel; refs: LockRef[]; since: number }[];
  priority: number;
  creation: string;
}

export interface LockSnapshot {
  ref: LockRef;
  limit: number | undefined;
  holders: string[];
  waiting: { holder: string; priority: number; since: string }[];
}

export interface LockTableHooks {
  /** A holder took a lock after waiting `waitedMs` (0 when it never queued). */
  onTaken?(ref: LockRef, holder: string, waitedMs: number): void;
}

/**
 * Holders and queues of every lock (spec/sync.md §1.17). Pure and synchronous: the engine asks
 * `acquire` during a reconcile, so two reconciles can never both take the last slot; after each
 * save the controller makes the table follow the stored status with `sync`, which is also how
 * releases happen (a holder gone from status is released) and how a restart rebuilds it.
 *
 * Granting: a waiter may take a lock when it is among the first `free` waiters of its queue (or a
 * sibling node of its own workflow is), so K freed slots go to the K best waiters at once, in
 * priority order, whichever of them reconciles first. The methods that free capacity return
 * exactly those waiters' workflows to wake.
 */
export class LockTable implements Locks {
  private readonly locks = new Map<string, Lock>();
  /** Workflow key → holder keys it has in the table (held or queued). */
  private readonly byWorkflow = new Map<string, Set<string>>();
  /** Holder key → table keys it holds / waits for. */
  private readonly held = new Map<string, Set<string>>();
  private readonly waits = new Map<string, Set<string>>();
  private nextSeq = 0;

  constructor(
    private readonly limitOf: LimitSource,
    private readonly hooks: LockTableHooks = {},
  ) {}

  acquire(req: LockRequest): LockDecision {
    const locks: Lock[] = [];
    for (const ref of req.locks) {
      const key = tableKey(ref);
      let lock = this.locks.get(key);
      if (lock?.holders.has(req.holder)) {
        locks.push(lock);
        continue;
      }
      if (lock) this.refresh(lock);
      if (lock?.limit === undefined) {
        const source = this.limitOf(ref);
        if ('error' in source) return { kind: 'error', message: `failed to initialize ${ref.kind} ${ref.id} with limit: ${source.error}` };
        if (source.limit === 0 && !lock) return { kind: 'error', message: `failed to initialize ${ref.kind} ${ref.id} with limit: the limit is 0 (a semaphore that admits no one)` };
        if (lock) lock.limit = source.limit;
        else lock = this.create(ref, source.limit);
      }
      if (req.level === 'template' && lock.holders.has(req.workflow)) {
        return {
          kind: 'error',
          message: `this workflow already holds ${ref.id} at workflow level, so the template would wait forever for its own lock (self-deadlock); request the lock at one level only`,
        };
      }
      locks.push(lock);
    }
    const needed = locks.filter((l) => !l.holders.has(req.holder));
    if (needed.length === 0) {
      this.dequeueEverywhere(req.holder);
      return { kind: 'held' };
    }
    const queued = this.queuedAs(req.holder);
    const since = queued?.since ?? req.now;
    const seq = queued?.seq ?? ++this.nextSeq;
    for (const lock of needed) this.enqueue(lock, { holder: req.holder, workflow: req.workflow, level: req.level, priority: req.priority, creation: toMs(req.creation), since, seq });
    for (const lock of needed) {
      const why = this.blocked(lock, req);
      if (why !== undefined) {
        const holders: Record<string, string[]> = {};
        for (const l of needed) holders[l.ref.id] = [...l.holders];
        return { kind: 'waiting', message: why, failedLock: lock.ref.id, since, holders };
      }
    }
    for (const lock of needed) {
      this.hold(lock, req.holder, req.workflow);
      this.dequeue(lock, req.holder);
      this.hooks.onTaken?.(lock.ref, req.holder, Math.max(0, req.now - since));
    }
    // A holder that asked for fewer locks than it queued for earlier leaves the other queues.
    this.dequeueEverywhere(req.holder);
    return { kind: 'acquired' };
  }

  /**
   * Makes one workflow's entries equal to what its stored status says: holds recorded there are
   * registered (even above the limit: they were granted before a restart or a limit decrease),
   * holds and queue entries no longer recorded are dropped. Returns the workflows to wake.
   */
  sync(workflow: string, durable: DurableLocks | undefined): string[] {
    const changed = new Set<Lock>();
    const wantHolds = new Map<string, Set<string>>();
    for (const { holder, ref } of durable?.holds ?? []) {
      const lock = this.ensure(ref);
      if (!wantHolds.has(holder)) wantHolds.set(holder, new Set());
      wantHolds.get(holder)?.add(tableKey(ref));
      if (!lock.holders.has(holder)) {
        this.hold(lock, holder, workflow);
        this.dequeue(lock, holder);
      }
    }
    const wantWaits = new Map<string, Set<string>>();
    for (const wait of durable?.waits ?? []) {
      const keys = new Set<string>();
      wantWaits.set(wait.holder, keys);
      for (const ref of wait.refs) {
        const key = tableKey(ref);
        keys.add(key);
        const lock = this.ensure(ref);
        if (lock.holders.has(wait.holder) || lock.queue.some((w) => w.holder === wait.holder)) continue;
        const seq = this.queuedAs(wait.holder)?.seq ?? ++this.nextSeq;
        this.enqueue(lock, { holder: wait.holder, workflow, level: wait.level, priority: durable?.priority ?? 0, creation: toMs(durable?.creation), since: wait.since, seq });
        changed.add(lock);
      }
    }
    for (const holder of [...(this.byWorkflow.get(workflow) ?? [])]) {
      for (const key of [...(this.held.get(holder) ?? [])]) {
        if (wantHolds.get(holder)?.has(key)) continue;
        const lock = this.locks.get(key);
        if (lock) {
          this.release(lock, holder);
          changed.add(lock);
        }
      }
      for (const key of [...(this.waits.get(holder) ?? [])]) {
        if (wantWaits.get(holder)?.has(key)) continue;
        const lock = this.locks.get(key);
        if (lock) {
          this.dequeue(lock, holder);
          changed.add(lock);
        }
      }
    }
    return this.wakesFor(changed);
  }

  /**
   * Re-reads every limit (a decrease pre-empts no one). A changed limit wakes every waiter of that
   * lock, as Argo requeues every workflow that uses the ConfigMap: those it now admits first, then
   * the others, whose waiting message (`Lock status: 0/<limit>`, or `Failed to get semaphore limit`
   * at 0) is stale. Limit changes are rare, so this is no write storm.
   */
  refreshLimits(): string[] {
    const changed = new Set<Lock>();
    for (const lock of this.locks.values()) {
      const before = lock.limit;
      this.refresh(lock);
      if (lock.limit !== before) changed.add(lock);
    }
    const out = new Set(this.wakesFor(changed));
    for (const lock of changed) for (const w of lock.queue) out.add(w.workflow);
    return [...out];
  }

  /** Workflows that hold or wait for anything. */
  workflows(): string[] {
    return [...this.byWorkflow.keys()];
  }

  /** Holder keys of one workflow that hold something. */
  holdersOf(workflow: string): string[] {
    return [...(this.byWorkflow.get(workflow) ?? [])].filter((h) => (this.held.get(h)?.size ?? 0) > 0);
  }

  /** Current holders of a lock, undefined when the table does not know it. */
  holdersOfLock(ref: Pick<LockRef, 'kind' | 'id'>): string[] | undefined {
    const lock = this.locks.get(tableKey(ref));
    return lock ? [...lock.holders] : undefined;
  }

  snapshot(): LockSnapshot[] {
    return [...this.locks.values()].map((l) => ({
      ref: l.ref,
      limit: l.limit,
      holders: [...l.holders],
      waiting: l.queue.map((w) => ({ holder: w.holder, priority: w.priority, since: new Date(w.since).toISOString() })),
    }));
  }

  private blocked(lock: Lock, req: LockRequest): string | undefined {
    const limit = lock.limit ?? 0;
    if (limit === 0) return `Failed to get semaphore limit for ${lock.ref.id}`;
    const free = limit - lock.holders.size;
    const status = `Waiting for ${lock.ref.id} lock. Lock status: ${Math.max(0, free)}/${limit}`;
    if (free <= 0) return status;
    const first = lock.queue.slice(0, free);
    if (first.some((w) => w.holder === req.holder)) return undefined;
    // Argo's same-workflow bypass (#6418): a node may take a slot granted to a sibling of its own workflow.
    if (req.level === 'template' && first.some((w) => w.level === 'template' && w.workflow === req.workflow)) return undefined;
    return status;
  }

  private wakesFor(locks: Set<Lock>): string[] {
    const out = new Set<string>();
    for (const lock of locks) {
      const free = (lock.limit ?? 0) - lock.holders.size;
      for (const w of lock.queue.slice(0, Math.max(0, free))) out.add(w.workflow);
    }
    return [...out];
  }

  private refresh(lock: Lock): void {
    const source = this.limitOf(lock.ref);
    // A source that broke keeps the last known limit: holders and waiters go on (Argo #16405).
    if (!('error' in source)) lock.limit = source.limit;
  }

  private create(ref: LockRef, limit: number | undefined): Lock {
    const lock: Lock = { ref, limit, holders: new Set(), queue: [] };
    this.locks.set(tableKey(ref), lock);
    return lock;
  }

  private ensure(ref: LockRef): Lock {
    const existing = this.locks.get(tableKey(ref));
    if (existing) return existing;
    const source = this.limitOf(ref);
    return this.create(ref, 'error' in source ? undefined : source.limit);
  }

  private hold(lock: Lock, holder: string, workflow: string): void {
    lock.holders.add(holder);
    this.index(this.held, holder, tableKey(lock.ref), workflow);
  }

  private release(lock: Lock, holder: string): void {
    lock.holders.delete(holder);
    this.unindex(this.held, holder, tableKey(lock.ref));
    this.forgetIfEmpty(lock);
  }

  private enqueue(lock: Lock, waiter: Waiter): void {
    if (lock.queue.some((w) => w.holder === waiter.holder)) return;
    let i = lock.queue.length;
    while (i > 0 && compareWaiters(waiter, lock.queue[i - 1] as Waiter) < 0) i--;
    lock.queue.splice(i, 0, waiter);
    this.index(this.waits, waiter.holder, tableKey(lock.ref), waiter.workflow);
  }

  private dequeue(lock: Lock, holder: string): void {
    const i = lock.queue.findIndex((w) => w.holder === holder);
    if (i >= 0) lock.queue.splice(i, 1);
    this.unindex(this.waits, holder, tableKey(lock.ref));
    this.forgetIfEmpty(lock);
  }

  private dequeueEverywhere(holder: string): void {
    for (const key of [...(this.waits.get(holder) ?? [])]) {
      const lock = this.locks.get(key);
      if (lock) this.dequeue(lock, holder);
    }
  }

  /** A holder's queue entry, when it already waits somewhere: its enqueue time and order are kept. */
  private queuedAs(holder: string): Waiter | undefined {
    for (const key of this.waits.get(holder) ?? []) {
      const w = this.locks.get(key)?.queue.find((x) => x.holder === holder);
      if (w) return w;
    }
    return undefined;
  }

  /** Mutexes are free to drop when unused (names may be per workflow); semaphores keep their last known limit. */
  private forgetIfEmpty(lock: Lock): void {
    if (lock.ref.kind === 'mutex' && lock.holders.size === 0 && lock.queue.length === 0) this.locks.delete(tableKey(lock.ref));
  }

  private index(map: Map<string, Set<string>>, holder: string, key: string, workflow: string): void {
    if (!map.has(holder)) map.set(holder, new Set());
    map.get(holder)?.add(key);
    if (!this.byWorkflow.has(workflow)) this.byWorkflow.set(workflow, new Set());
    this.byWorkflow.get(workflow)?.add(holder);
  }

  private unindex(map: Map<string, Set<string>>, holder: string, key: string): void {
    const set = map.get(holder);
    set?.delete(key);
    if (set && set.size === 0) map.delete(holder);
    if (!this.held.has(holder) && !this.waits.has(holder)) {
      const workflow = workflowOfHolder(holder);
      const holders = this.byWorkflow.get(workflow);
      holders?.delete(holder);
      if (holders && holders.size === 0) this.byWorkflow.delete(workflow);
    }
  }
}

function compareWaiters(a: Waiter, b: Waiter): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.creation !== b.creation) return a.creation - b.creation;
  if (a.since !== b.since) return a.since - b.since;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0;
}

function toMs(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** `ns/wf` of a holder key `ns/wf` or `ns/wf/nodeId`. */
export function workflowOfHolder(holder: string): string {
  const first = holder.indexOf('/');
  const second = holder.indexOf('/', first + 1);
  return second < 0 ? holder : holder.slice(0, second);
}

