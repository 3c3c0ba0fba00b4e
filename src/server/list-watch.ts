// A consistent "state, then changes" over a list and a change feed, as Kubernetes informers give:
// subscribe first and hold changes back, list, deliver the list, then deliver the held changes that
// the list does not already reflect (resourceVersion newer than the list's), then live changes.
// Subscribing after listing would lose what happens in between.
import type { Change, ListResult } from '../store/types.js';

export interface ListWatchSource<T> {
  list(): Promise<ListResult<T>>;
  watch(listener: (change: Change<T>) => void): () => void;
}

/** Resolves once the initial state was delivered; the returned function unsubscribes. */
export async function listThenWatch<T extends { metadata: { resourceVersion?: string } }>(
  source: ListWatchSource<T>,
  onInitial: (items: T[], resourceVersion: string) => void,
  onChange: (change: Change<T>) => void,
): Promise<() => void> {
  let held: Change<T>[] | undefined = [];
  const unsubscribe = source.watch((change) => {
    if (held) held.push(change);
    else onChange(change);
  });
  let listed: ListResult<T>;
  try {
    listed = await source.list();
  } catch (err) {
    unsubscribe();
    throw err;
  }
  onInitial(listed.items, listed.resourceVersion);
  const pending = held;
  held = undefined;
  for (const change of pending) if (isNewer(change.object.metadata.resourceVersion, listed.resourceVersion)) onChange(change);
  return unsubscribe;
}

/** Store resourceVersions are a store-wide counter; compare them as numbers where they are. */
export function isNewer(version: string | undefined, than: string | undefined): boolean {
  if (version === undefined || than === undefined || than === '') return true;
  if (/^\d+$/.test(version) && /^\d+$/.test(than)) return BigInt(version) > BigInt(than);
  return version !== than;
}
