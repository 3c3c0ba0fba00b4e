import type { MutexHolding, QueuedHolder, SemaphoreHolding, SynchronizationStatus, Workflow } from '../spec/types.js';
import { decodeLockId } from './lock-ref.js';
import type { DurableLocks } from './lock-table.js';
import type { LockRef } from './types.js';

/** A holder key's level: `ns/wf` is the workflow, `ns/wf/nodeId` one of its nodes. */
export function holderLevel(holder: string): 'workflow' | 'template' {
  return holder.split('/').length >= 3 ? 'template' : 'workflow';
}

/** What a workflow's stored status says it holds and waits for, in the table's terms. */
export function durableLocks(wf: Workflow): DurableLocks | undefined {
  const sync = wf.status?.synchronization;
  if (!sync) return undefined;
  const holds: DurableLocks['holds'] = [];
  for (const h of sync.semaphore?.holding ?? []) {
    const ref = decodeLockId('semaphore', h.semaphore);
    if (ref) for (const holder of h.holders ?? []) holds.push({ holder, ref });
  }
  for (const h of sync.mutex?.holding ?? []) {
    const ref = decodeLockId('mutex', h.mutex);
    if (ref && h.holder) holds.push({ holder: h.holder, ref });
  }
  const waits: DurableLocks['waits'] = [];
  for (const q of sync.queued ?? []) {
    const refs = [...(q.semaphores ?? []).map((id) => decodeLockId('semaphore', id)), ...(q.mutexes ?? []).map((id) => decodeLockId('mutex', id))].filter(
      (r): r is LockRef => r !== undefined,
    );
    const since = Date.parse(q.since);
    waits.push({ holder: q.holder, level: holderLevel(q.holder), refs, since: Number.isNaN(since) ? 0 : since });
  }
  return { holds, waits, priority: wf.spec.priority ?? 0, creation: wf.metadata.creationTimestamp ?? '' };
}

/**
 * Edits a copy of status.synchronization in Argo's shape (holding and waiting per lock) plus
 * argot's `queued` list. Waiting entries keep the holders seen when the workflow first queued,
 * so a waiter's status is not rewritten on every hand-off of the lock (Argo's etcd write storm, T15).
 */
export class SyncStatusEditor {
  private readonly sync: SynchronizationStatus;

  constructor(status: SynchronizationStatus | undefined) {
    this.sync = structuredClone(status ?? {});
  }

  hold(holder: string, refs: LockRef[]): void {
    this.unqueue(holder);
    for (const ref of refs) {
      if (ref.kind === 'semaphore') {
        const holding = (this.semaphores().holding ??= []);
        const entry = holding.find((h) => h.semaphore === ref.id);
        if (!entry) holding.push({ semaphore: ref.id, holders: [holder] });
        else if (!entry.holders.includes(holder)) entry.holders.push(holder);
      } else {
        const holding = (this.mutexes().holding ??= []);
        if (!holding.some((h) => h.mutex === ref.id && h.holder === holder)) holding.push({ mutex: ref.id, holder });
      }
    }
    this.rebuildWaiting({});
  }

  wait(holder: string, refs: LockRef[], since: number, holders: Record<string, string[]>): void {
    const entry: QueuedHolder = { holder, since: new Date(since).toISOString() };
    const semaphores = refs.filter((r) => r.kind === 'semaphore').map((r) => r.id);
    const mutexes = refs.filter((r) => r.kind === 'mutex').map((r) => r.id);
    if (semaphores.length > 0) entry.semaphores = semaphores;
    if (mutexes.length > 0) entry.mutexes = mutexes;
    const queued = (this.sync.queued ??= []);
    const i = queued.findIndex((q) => q.holder === holder);
    if (i < 0) queued.push(entry);
    else if (JSON.stringify(queued[i]) !== JSON.stringify(entry)) queued[i] = entry;
    this.rebuildWaiting(holders);
  }

  /** Forgets a holder: its holds are released and its queue entries dropped when this status is saved. */
  drop(holder: string): void {
    const sem = this.sync.semaphore;
    if (sem?.holding) {
      for (const h of sem.holding) h.holders = h.holders.filter((x) => x !== holder);
      sem.holding = sem.holding.filter((h) => h.holders.length > 0);
    }
    const mtx = this.sync.mutex;
    if (mtx?.holding) mtx.holding = mtx.holding.filter((h) => h.holder !== holder);
    this.unqueue(holder);
    this.rebuildWaiting({});
  }

  holds(holder: string): boolean {
    return (this.sync.semaphore?.holding ?? []).some((h) => h.holders.includes(holder)) || (this.sync.mutex?.holding ?? []).some((h) => h.holder === holder);
  }

  /** Every holder key the status mentions (holding or queued). */
  holders(): Set<string> {
    const out = new Set<string>();
    for (const h of this.sync.semaphore?.holding ?? []) for (const x of h.holders) out.add(x);
    for (const h of this.sync.mutex?.holding ?? []) out.add(h.holder);
    for (const q of this.sync.queued ?? []) out.add(q.holder);
    return out;
  }

  /** The status to save: undefined once nothing is held or queued (Argo nils it). */
  result(): SynchronizationStatus | undefined {
    const out: SynchronizationStatus = {};
    const sem = this.sync.semaphore;
    if (sem && ((sem.holding?.length ?? 0) > 0 || (sem.waiting?.length ?? 0) > 0)) {
      out.semaphore = {};
      if (sem.holding?.length) out.semaphore.holding = sem.holding;
      if (sem.waiting?.length) out.semaphore.waiting = sem.waiting;
    }
    const mtx = this.sync.mutex;
    if (mtx && ((mtx.holding?.length ?? 0) > 0 || (mtx.waiting?.length ?? 0) > 0)) {
      out.mutex = {};
      if (mtx.holding?.length) out.mutex.holding = mtx.holding;
      if (mtx.waiting?.length) out.mutex.waiting = mtx.waiting;
    }
    if (this.sync.queued?.length) out.queued = this.sync.queued;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private unqueue(holder: string): void {
    if (this.sync.queued) this.sync.queued = this.sync.queued.filter((q) => q.holder !== holder);
  }

  /** Argo's `waiting`: one entry per lock some holder of this workflow is queued on. */
  private rebuildWaiting(holders: Record<string, string[]>): void {
    const semIds = new Set<string>();
    const mtxIds = new Set<string>();
    for (const q of this.sync.queued ?? []) {
      for (const id of q.semaphores ?? []) semIds.add(id);
      for (const id of q.mutexes ?? []) mtxIds.add(id);
    }
    const oldSem = this.sync.semaphore?.waiting ?? [];
    const semWaiting: SemaphoreHolding[] = [...semIds].map((id) => oldSem.find((w) => w.semaphore === id) ?? { semaphore: id, holders: holders[id] ?? [] });
    const oldMtx = this.sync.mutex?.waiting ?? [];
    const mtxWaiting: MutexHolding[] = [...mtxIds].map((id) => oldMtx.find((w) => w.mutex === id) ?? { mutex: id, holder: holders[id]?.[0] ?? '' });
    if (semWaiting.length > 0 || this.sync.semaphore) this.semaphores().waiting = semWaiting;
    if (mtxWaiting.length > 0 || this.sync.mutex) this.mutexes().waiting = mtxWaiting;
  }

  private semaphores(): NonNullable<SynchronizationStatus['semaphore']> {
    return (this.sync.semaphore ??= {});
  }

  private mutexes(): NonNullable<SynchronizationStatus['mutex']> {
    return (this.sync.mutex ??= {});
  }
}
