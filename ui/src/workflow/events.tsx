// The workflow's events (what the controller did), followed live from /api/v1/stream/events.
import { useState, type ReactNode } from 'react';
import { qs } from '../api';
import { ago } from '../format';
import { useStream } from '../stream';

interface CoreEvent {
  metadata: { name: string };
  reason: string;
  message: string;
  type: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
}

export function EventsTab({ namespace, name }: { namespace: string; name: string }): ReactNode {
  const [events, setEvents] = useState<Map<string, CoreEvent>>(new Map());
  const url = `/api/v1/stream/events/${encodeURIComponent(namespace)}${qs({ 'listOptions.fieldSelector': `involvedObject.kind=Workflow,involvedObject.name=${name}` })}`;
  // A reconnect replays every event: keyed by name, a replay replaces rather than repeats.
  const state = useStream<CoreEvent>(url, (e) => setEvents((old) => new Map(old).set(e.metadata.name, e)));
  const list = [...events.values()].sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
  return (
    <section aria-label="Events">
      <p className="muted" role="status">
        {state === 'live' ? 'Live' : state === 'retrying' ? 'Reconnecting…' : 'Connecting…'}
      </p>
      {list.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Type</th>
              <th>Reason</th>
              <th>Message</th>
              <th>Count</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <tr key={e.metadata.name}>
                <td className={e.type === 'Warning' ? 'phase-failed' : undefined}>{e.type}</td>
                <td>{e.reason}</td>
                <td>{e.message}</td>
                <td>{e.count ?? 1}</td>
                <td title={e.lastTimestamp}>{ago(e.lastTimestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
