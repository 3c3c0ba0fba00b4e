import type { EventStore, StoredEvent } from '../types.js';

type EventInput = Parameters<EventStore['record']>[0];

export class MemoryEventStore implements EventStore {
  /** In the order of first occurrence, which breaks ties of lastTimestamp. */
  private readonly events = new Map<string, StoredEvent>();

  async record(event: EventInput): Promise<void> {
    const { at, ...rest } = event;
    const o = event.involvedObject;
    // The same object, type, reason and message is one event with a count, as in Kubernetes.
    const identity = JSON.stringify([event.namespace, o.kind, o.namespace, o.name, o.uid ?? '', event.type, event.reason, event.message]);
    const seen = this.events.get(identity);
    this.events.set(
      identity,
      seen ? { ...seen, count: seen.count + 1, lastTimestamp: at } : { ...structuredClone(rest), firstTimestamp: at, lastTimestamp: at, count: 1 },
    );
  }

  /** Oldest first; `limit` keeps the most recent. */
  async list(opts: { namespace?: string; involvedName?: string; limit?: number }): Promise<StoredEvent[]> {
    const matching = [...this.events.values()]
      .filter((e) => (opts.namespace === undefined || e.namespace === opts.namespace) && (opts.involvedName === undefined || e.involvedObject.name === opts.involvedName))
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (a.e.lastTimestamp < b.e.lastTimestamp ? -1 : a.e.lastTimestamp > b.e.lastTimestamp ? 1 : a.i - b.i))
      .map(({ e }) => structuredClone(e));
    return opts.limit ? matching.slice(-opts.limit) : matching;
  }
}
