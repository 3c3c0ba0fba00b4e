import type { ConfigMap, Workflow } from '../spec/types.js';
import type { Store } from '../store/types.js';
import { limitSource } from '../sync/limit.js';
import { LockTable, type LockSnapshot } from '../sync/lock-table.js';
import { durableLocks } from '../sync/status.js';
import type { LockRef } from '../sync/types.js';

export interface LockStats {
  /** Locks taken, by lock key. */
  taken: Map<string, { ref: LockRef; count: number }>;
  /** Seconds waited by holders that had to queue, per WAIT_BUCKETS bucket (+Inf last). */
  waited: { counts: number[]; sum: number };
  /** Workflows found holding locks after they ended: repaired, but each is a bug. */
  leaksRepaired: number;
}

export const WAIT_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300, 1800, 3600];

/** What `/metrics` shows of the locks (argo_workflows_locks_*). */
export interface LockMetrics {
  locks: { type: 'mutex' | 'semaphore'; storage: string; lockName: string; namespace: string; held: number; pending: number; taken: number; limit: number | undefined }[];
  waitSeconds: { buckets: readonly number[]; counts: number[]; sum: number };
  leaksRepaired: number;
}

/**
 * The controller's side of synchronization: the lock table, limits read from the store's
 * ConfigMaps (kept in memory and watched, so a changed limit takes effect at once), and the
 * stats the metrics endpoint reports. Every change that frees capacity calls `wake` with exactly
 * the workflows that may now take it.
 */
export class LockManager {
  readonly table: LockTable;
  readonly stats: LockStats = { taken: new Map(), waited: { counts: new Array<number>(WAIT_BUCKETS.length + 1).fill(0), sum: 0 }, leaksRepaired: 0 };
  private readonly configMaps = new Map<string, ConfigMap>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly wake: (workflows: string[]) => void) {
    this.table = new LockTable(limitSource(this.configMaps), {
      onTaken: (ref, _holder, waitedMs) => {
        const entry = this.stats.taken.get(ref.id) ?? { ref, count: 0 };
        entry.count++;
        this.stats.taken.set(ref.id, entry);
        const seconds = waitedMs / 1000;
        let i = WAIT_BUCKETS.findIndex((le) => seconds <= le);
        if (i < 0) i = WAIT_BUCKETS.length;
        this.stats.waited.counts[i] = (this.stats.waited.counts[i] ?? 0) + 1;
        this.stats.waited.sum += seconds;
      },
    });
  }

  /** Loads the ConfigMaps and follows their changes. */
  async start(store: Store): Promise<void> {
    this.unsubscribe = store.configMaps.watch((change) => {
      const key = `${change.object.metadata.namespace ?? ''}/${change.object.metadata.name ?? ''}`;
      if (change.type === 'DELETED') this.configMaps.delete(key);
      else this.configMaps.set(key, change.object);
      this.wake(this.table.refreshLimits());
    });
    for (const cm of (await store.configMaps.list()).items) this.configMaps.set(`${cm.metadata.namespace ?? ''}/${cm.metadata.name ?? ''}`, cm);
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Restart: every stored hold and queue entry is back before any slot is granted (spec/sync.md G-01, G-02). */
  rebuild(workflows: Workflow[]): void {
    for (const wf of workflows) this.table.sync(keyOf(wf), durableLocks(wf));
  }

  /** After a save (or a failed one, with the state still stored): the table follows the stored status. */
  follow(key: string, wf: Workflow | undefined): void {
    this.wake(this.table.sync(key, wf ? durableLocks(wf) : undefined));
  }

  /** A finished or deleted workflow must hold nothing; returns the holder keys it still had (a leak, now repaired). */
  releaseAll(key: string): string[] {
    const leaked = this.table.holdersOf(key);
    if (leaked.length > 0) this.stats.leaksRepaired++;
    this.follow(key, undefined);
    return leaked;
  }

  /**
   * The workflow as read through the API: `waiting` entries name the lock's holders now, not
   * those stored when it queued (which are kept stale on purpose, to spare a write per hand-off).
   */
  live(wf: Workflow): Workflow {
    const sync = wf.status?.synchronization;
    if (!sync?.semaphore?.waiting && !sync?.mutex?.waiting) return wf;
    const next = structuredClone(sync);
    for (const w of next.semaphore?.waiting ?? []) w.holders = this.table.holdersOfLock({ kind: 'semaphore', id: w.semaphore }) ?? w.holders;
    for (const w of next.mutex?.waiting ?? []) w.holder = this.table.holdersOfLock({ kind: 'mutex', id: w.mutex })?.[0] ?? '';
    return { ...wf, status: { ...wf.status, synchronization: next } };
  }

  snapshot(): LockSnapshot[] {
    return this.table.snapshot();
  }

  metrics(): LockMetrics {
    const locks = this.table.snapshot().map((l) => ({
      type: l.ref.kind,
      storage: l.ref.storage,
      lockName: l.ref.id,
      namespace: l.ref.namespace,
      held: l.holders.length,
      pending: l.waiting.length,
      taken: this.stats.taken.get(l.ref.id)?.count ?? 0,
      limit: l.limit,
    }));
    // Locks no longer in the table still count what they were taken.
    for (const [id, { ref, count }] of this.stats.taken) {
      if (!locks.some((l) => l.lockName === id && l.type === ref.kind)) locks.push({ type: ref.kind, storage: ref.storage, lockName: id, namespace: ref.namespace, held: 0, pending: 0, taken: count, limit: undefined });
    }
    return { locks, waitSeconds: { buckets: WAIT_BUCKETS, counts: [...this.stats.waited.counts], sum: this.stats.waited.sum }, leaksRepaired: this.stats.leaksRepaired };
  }
}

function keyOf(wf: Workflow): string {
  return `${wf.metadata.namespace ?? ''}/${wf.metadata.name ?? ''}`;
}
