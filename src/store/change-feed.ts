import type { Change, ChangeType } from './types.js';

/**
 * The in-process change feed of one kind. Stores emit after the commit and in commit order, so a
 * listener never sees a change that could still roll back.
 */
export class ChangeFeed<T> {
  private readonly listeners = new Set<(change: Change<T>) => void>();

  watch(listener: (change: Change<T>) => void): () => void {
    // A wrapper per subscription, so subscribing the same function twice yields two deliveries
    // and two independent unsubscribes.
    const entry = (change: Change<T>): void => listener(change);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Whether anyone listens: lets a store skip building an object nobody will see. */
  get active(): boolean {
    return this.listeners.size > 0;
  }

  emit(type: ChangeType, object: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener({ type, object });
      } catch (err) {
        // The write has committed: failing it now would tell the caller a lie. A throwing listener
        // is a bug, so it surfaces as an uncaught exception rather than vanishing.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
