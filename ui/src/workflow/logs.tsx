// A node's log, streamed from GET /api/v1/workflows/{ns}/{name}/log (Argo's LogEntry messages).
// The server ends a followed stream when the workflow finishes; an EventSource would then reconnect
// and replay everything, so this viewer handles its own connection: it stops at a clean end once
// the workflow is finished, and otherwise reconnects, starting the text afresh (the server resends
// from the start).
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { qs } from '../api';

export interface LogsProps {
  namespace: string;
  workflow: string;
  podName: string;
  container: string;
  /** Whether the workflow has finished: then an ended stream is the whole log. */
  finished: boolean;
}

export function LogViewer({ namespace, workflow, podName, container, finished }: LogsProps): ReactNode {
  const [lines, setLines] = useState<string[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'ended' | 'retrying'>('connecting');
  const [grep, setGrep] = useState('');
  const finishedRef = useRef(finished);
  finishedRef.current = finished;
  const pre = useRef<HTMLPreElement>(null);
  const follow = useRef(true);

  useEffect(() => {
    const url = `/api/v1/workflows/${encodeURIComponent(namespace)}/${encodeURIComponent(workflow)}/log${qs({ podName, 'logOptions.container': container, 'logOptions.follow': true })}`;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const open = (): void => {
      let fresh = true;
      source = new EventSource(url);
      source.onopen = () => setState('live');
      source.onmessage = (e: MessageEvent<string>) => {
        try {
          const msg = JSON.parse(e.data) as { result?: { content?: string }; error?: { message?: string } };
          const content = msg.result?.content;
          if (content === undefined) return;
          setLines((old) => (fresh ? [content] : [...old, content]));
          fresh = false;
        } catch {
          // a keepalive
        }
      };
      source.onerror = () => {
        source?.close();
        if (closed) return;
        if (finishedRef.current) {
          setState('ended');
          return;
        }
        setState('retrying');
        timer = setTimeout(open, 1000);
      };
    };
    setLines([]);
    setState('connecting');
    open();
    return () => {
      closed = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [namespace, workflow, podName, container]);

  useEffect(() => {
    const el = pre.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const shown = grep ? lines.filter((l) => l.includes(grep)) : lines;
  return (
    <section className="wf-logs" aria-label={`Logs of ${podName} (${container})`}>
      <div className="toolbar">
        <label>
          Filter <input type="search" value={grep} onChange={(e) => setGrep(e.target.value)} placeholder="text in the line" />
        </label>
        <span className="muted" role="status">
          {state === 'live' ? 'following' : state === 'ended' ? 'complete' : state}
        </span>
      </div>
      <pre
        ref={pre}
        className="wf-log-text"
        tabIndex={0}
        aria-label="Log lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
      >
        {shown.length > 0 ? shown.join('\n') : <span className="muted">{state === 'ended' ? 'No log lines.' : 'Waiting for log lines…'}</span>}
      </pre>
    </section>
  );
}
