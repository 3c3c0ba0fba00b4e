// Server-sent event streams in Argo's format (`data: {"result": …}` per message), reconnecting
// after an error as Argo's UI does. The server sends its headers eagerly, so `onopen` means live.
import { useEffect, useRef, useState } from 'react';

export type StreamState = 'connecting' | 'live' | 'retrying';

/**
 * Subscribes to `url` while mounted (and `url` is defined); calls `onResult` with each message's
 * `result`. Returns the connection state so pages can show whether they are live.
 */
export function useStream<T>(url: string | undefined, onResult: (result: T) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onResult);
  handler.current = onResult;
  useEffect(() => {
    if (url === undefined) return undefined;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const open = (): void => {
      source = new EventSource(url);
      source.onopen = () => setState('live');
      source.onmessage = (e: MessageEvent<string>) => {
        try {
          const msg = JSON.parse(e.data) as { result?: T; error?: { message?: string } };
          if (msg.result !== undefined) handler.current(msg.result);
        } catch {
          // a keepalive or a partial line: nothing to do
        }
      };
      source.onerror = () => {
        source?.close();
        if (closed) return;
        setState('retrying');
        timer = setTimeout(open, 1000);
      };
    };
    setState('connecting');
    open();
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      source?.close();
    };
  }, [url]);
  return state;
}
