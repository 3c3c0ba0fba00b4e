import type { ConfigMap, Workflow } from '../spec/types.js';
import type { Store } from '../store/types.js';
import { limitSource } from '../sync/limit.js';
import { LockTable, type LockSnapshot } from '../sync/lock-table.js';
import { durableLocks } from '../sync/status.js';
import type { LockRef } from '../sync/types.js';

export interface LockStats {
  /** Locks taken, by lock key. */
  taken: Map<string, { ref: LockRef; count: number }>;
  /** Seconds waited by holders that had to queue: count and sum (a summary, for metrics). */
  waited: { count: number; sum: number };
  /** Workflows found holding or waiting after they ended: repaired, but each is a bug. */
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
  readonly stats: LockStats = { taken: new Map(), waited: { count: 0, sum: 0 }, leaksRepaired: 0 };
  private readonly configMaps = new Map<string, ConfigMap>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly wake: (workflows: string[]) => void) {
    this.table = new LockTable(limitSource(this.configMaps), {
      onTaken: (ref, _holder, waitedMs) => {
        const entry = this.stats.taken.get(ref.id) ?? { ref, count: 0 };
        entry.count++;
        this.stats.taken.set(ref.id, entry);
        if (waitedMs > 0) {
          this.stats.waited.count++;
          this.stats.waited.sum += waitedMs / 1000;
        }
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

  snapshot(): LockSnapshot[] {
    return this.table.snapshot();
  }
}

function keyOf(wf: Workflow): string {
  return `${wf.metadata.namespace ?? ''}/${wf.metadata.name ?? ''}`;
}
