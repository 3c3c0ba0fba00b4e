// The rows of the workflows list: pages from the list API (newest first, `limit` at a time, so the
// first screen never waits for the whole store), kept current by the watch stream from the first
// page's resourceVersion on. Watch events are applied in batches so a busy cluster does not
// re-render the table per event.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, get } from '../api';
import { useStream, type StreamState } from '../stream';
import { applyEvents, type Loaded } from './merge';
import { keyOf, type ListBody, type WatchEvent, type WorkflowRow } from './model';
import { listUrl, matches, watchUrl, type Filters } from './query';

export interface WorkflowList {
  /** Loaded rows, keyed `namespace/name`, in no particular order (the table sorts). */
  rows: ReadonlyMap<string, WorkflowRow>;
  /** Whether older workflows remain on the server. */
  more: boolean;
  loadMore(): void;
  loading: boolean;
  error: string | undefined;
  /** The watch's state; 'connecting' until the first page arrived. */
  stream: StreamState;
  /** Forgets a row at once (after a delete), without waiting for the watch. */
  forget(key: string): void;
}

const FLUSH_MS = 200;

export function useWorkflowList(filters: Filters, pageSize: number): WorkflowList {
  const filterKey = JSON.stringify(filters);
  const [loaded, setLoaded] = useState<Loaded>({ rows: new Map(), cont: undefined });
  const [resourceVersion, setResourceVersion] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>();
  // A page that arrives after the filters changed belongs to the old filters: dropped.
  const epoch = useRef(0);
  // Watch events waiting for the next flush.
  const pending = useRef<WatchEvent<WorkflowRow>[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const fetchPage = useCallback(
    async (cont: string | undefined, mine: number) => {
      setLoading(true);
      try {
        const body = await get<ListBody<WorkflowRow>>(listUrl(filters, pageSize, cont));
        if (epoch.current !== mine) return;
        setLoaded((prev) => {
          const rows = cont ? new Map(prev.rows) : new Map<string, WorkflowRow>();
          for (const wf of body.items ?? []) rows.set(keyOf(wf), wf);
          return { rows, cont: body.metadata.continue || undefined };
        });
        if (!cont) setResourceVersion(body.metadata.resourceVersion ?? '0');
        setError(undefined);
      } catch (e) {
        if (epoch.current === mine) setError(errorMessage(e));
      } finally {
        if (epoch.current === mine) setLoading(false);
      }
    },
    [filterKey, pageSize],
  );

  useEffect(() => {
    const mine = ++epoch.current;
    pending.current = [];
    setLoaded({ rows: new Map(), cont: undefined });
    setResourceVersion(undefined);
    void fetchPage(undefined, mine);
  }, [fetchPage]);

  const flush = useCallback(() => {
    timer.current = undefined;
    const events = pending.current;
    pending.current = [];
    setLoaded((prev) => ({ ...prev, rows: applyEvents(prev, events, (wf) => matches(filters, wf)) }));
  }, [filterKey]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const stream = useStream<WatchEvent<WorkflowRow>>(resourceVersion === undefined ? undefined : watchUrl(filters, resourceVersion), (event) => {
    pending.current.push(event);
    timer.current ??= setTimeout(flush, FLUSH_MS);
  });

  const loadMore = useCallback(() => {
    if (loaded.cont) void fetchPage(loaded.cont, epoch.current);
  }, [fetchPage, loaded.cont]);
  const forget = useCallback((key: string) => {
    setLoaded((prev) => {
      const rows = new Map(prev.rows);
      rows.delete(key);
      return { ...prev, rows };
    });
  }, []);

  return { rows: loaded.rows, more: loaded.cont !== undefined, loadMore, loading, error, stream, forget };
}
