// A watch that survives the network: Argo Server ends watch streams on its own timeouts, proxies
// cut idle connections, and a restarting server refuses for a moment. Each (re)connection starts
// with the server's ADDED events for what exists (Kubernetes semantics), so nothing is lost, only
// repeated; `onConnect` lets the caller re-read state in case a server skips those.

import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, ServerUnavailableError, type ApiResource } from './errors.js';
import type { Query, Transport } from './transport.js';

export interface WatchOptions {
  signal?: AbortSignal;
  /** After each connection is established, before its events are read. */
  onConnect?: () => Promise<void> | void;
  /** A connection failed or dropped; another is tried after a delay. */
  onReconnect?: (attempt: number, cause: unknown) => void;
  /** Consecutive failed connections before giving up (default 10). */
  retries?: number;
  /** First reconnect delay, doubled each time up to 5 s (default 500 ms). */
  retryDelayMs?: number;
  /** Silence (not even a keepalive) for this long counts as a dead connection (default 60 s; Argo sends keepalives every 15 s). */
  idleTimeoutMs?: number;
}

class IdleTimeout extends Error {}

export async function* watchStream(transport: Transport, segments: readonly string[], query: Query, resource: ApiResource, options: WatchOptions = {}): AsyncGenerator<unknown> {
  const { signal } = options;
  const retries = options.retries ?? 10;
  const baseDelay = options.retryDelayMs ?? 500;
  const idleMs = options.idleTimeoutMs ?? 60_000;
  let failures = 0;

  const backOff = async (cause: unknown): Promise<boolean> => {
    failures++;
    if (failures > retries) {
      if (cause instanceof ApiError || cause instanceof ServerUnavailableError) throw cause;
      throw new ServerUnavailableError(transport.server, 'the watch stream kept dropping', { cause });
    }
    options.onReconnect?.(failures, cause);
    try {
      await sleep(Math.min(baseDelay * 2 ** (failures - 1), 5_000), undefined, signal ? { signal } : {});
      return true;
    } catch {
      return false; // aborted while waiting
    }
  };

  while (!signal?.aborted) {
    const connection = new AbortController();
    const combined = signal ? AbortSignal.any([signal, connection.signal]) : connection.signal;
    let response: Response;
    try {
      response = await transport.open(segments, { query, signal: combined, resource, operation: 'watch' });
    } catch (err) {
      if (signal?.aborted) return;
      if (!isRetryable(err)) throw err;
      if (!(await backOff(err))) return;
      continue;
    }

    let idle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(new IdleTimeout()), idleMs);
    };
    let cause: unknown = new Error('the server closed the watch stream');
    try {
      await options.onConnect?.();
      const messages = transport.messages(response, resource, () => {
        if (idle) arm();
      })[Symbol.asyncIterator]();
      for (;;) {
        arm();
        const next = await messages.next();
        clearTimeout(idle);
        idle = undefined;
        if (next.done) break;
        failures = 0;
        yield next.value;
      }
    } catch (err) {
      if (signal?.aborted) return;
      // An error the server sent in the stream is an answer, not a drop, unless it is transient.
      if (err instanceof ApiError && !isRetryable(err)) throw err;
      cause = err;
    } finally {
      clearTimeout(idle);
      connection.abort(); // releases the socket, also when the consumer stops early
    }
    if (!(await backOff(cause))) return;
  }
}

function isRetryable(err: unknown): boolean {
  if (err instanceof ServerUnavailableError) return true;
  if (err instanceof ApiError) return err.status >= 500 || err.status === 429;
  return false;
}
