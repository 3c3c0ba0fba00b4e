/**
 * A deduplicated work queue with bounded workers: a key queued while it is being processed runs
 * once more afterwards, never twice at the same time (the reconcile of one workflow is serial).
 */
export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly workers: number,
    private readonly handle: (key: string) => Promise<void>,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  add(key: string): void {
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.queued.add(key);
    this.pump();
  }

  get depth(): number {
    return this.queued.size;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.queued.size === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.workers) {
      const next = this.queued.values().next();
      if (next.done) break;
      const key = next.value;
      this.queued.delete(key);
      this.active.add(key);
      this.running++;
      this.handle(key)
        .catch((err: unknown) => this.onError(key, err))
        .finally(() => {
          this.active.delete(key);
          this.running--;
          if (this.dirty.delete(key)) this.queued.add(key);
          this.pump();
          if (this.queued.size === 0 && this.running === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}
