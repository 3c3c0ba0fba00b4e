// Every semaphore and mutex the controller knows: limit, holders, and the queue in order, each
// linked to its workflow (what Argo users otherwise dig out of controller logs). Polled: locks
// change when workflows do, and a poll every 1.5 s is cheaper than watching every workflow.
import { useEffect, useState, type ReactNode } from 'react';
import { errorMessage, get } from '../api';
import { ago } from '../format';
import { Link } from '../router';
import './locks.css';

/** GET /api/v1/sync-locks: LockView of src/controller/service.ts. */
interface LockView {
  name: string;
  type: 'semaphore' | 'mutex';
  namespace: string;
  limit?: number;
  holders: string[];
  waiting: { holder: string; priority: number; since: string }[];
}

const POLL_MS = 1500;

/** A holder key, `ns/workflow` or `ns/workflow/nodeId`, as a link to the workflow (and node). */
function HolderLink({ holder }: { holder: string }): ReactNode {
  const [ns, wf, node] = holder.split('/');
  if (!ns || !wf) return <span className="mono">{holder}</span>;
  const to = `/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(wf)}${node ? `?nodeId=${encodeURIComponent(node)}` : ''}`;
  return (
    <Link to={to} className="mono">
      {ns}/{wf}
      {node ? <span className="muted"> (node {node})</span> : null}
    </Link>
  );
}

/** `ns/ConfigMap/cm/key` reads better as `cm/key` with its kind beside it. */
function lockLabel(lock: LockView): string {
  const parts = lock.name.split('/');
  if (parts[1] === 'ConfigMap' && parts.length >= 4) return `${parts[2]}/${parts.slice(3).join('/')}`;
  if (parts[1] === 'Mutex' && parts.length >= 3) return parts.slice(2).join('/');
  return lock.name;
}

export function LocksPage(_props: { namespace?: string; name?: string }): ReactNode {
  const [locks, setLocks] = useState<LockView[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [filter, setFilter] = useState('');

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const res = await get<{ items?: LockView[] }>('/api/v1/sync-locks');
        if (stopped) return;
        setLocks(res.items ?? []);
        setError(undefined);
      } catch (e) {
        if (!stopped) setError(errorMessage(e));
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  const shown = (locks ?? [])
    .filter((l) => !filter || l.name.includes(filter) || l.holders.some((h) => h.includes(filter)) || l.waiting.some((w) => w.holder.includes(filter)))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="locks-page">
      <h1>Locks</h1>
      <p className="muted">Semaphores and mutexes: who holds each one and who waits, first in line at the top.</p>
      <div className="toolbar">
        <label>
          Filter <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="lock, namespace or workflow" />
        </label>
        {locks && <span className="muted">{locks.length === 1 ? '1 lock' : `${locks.length} locks`}</span>}
      </div>
      {error && (
        <p className="error" role="alert">
          Could not read the locks: {error}
        </p>
      )}
      {!locks && !error && <p className="muted">Loading…</p>}
      {locks && shown.length === 0 && <p className="muted">{locks.length === 0 ? 'No workflow uses a semaphore or mutex right now.' : 'No lock matches the filter.'}</p>}
      {shown.length > 0 && (
        <table className="locks-table">
          <thead>
            <tr>
              <th scope="col">Lock</th>
              <th scope="col">Type</th>
              <th scope="col">Namespace</th>
              <th scope="col">Limit</th>
              <th scope="col">Holders</th>
              <th scope="col">Waiting (in order)</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((lock) => (
              <tr key={lock.name} data-lock={lock.name}>
                <th scope="row" title={lock.name}>
                  {lockLabel(lock)}
                </th>
                <td>{lock.type}</td>
                <td>{lock.namespace}</td>
                <td data-col="limit">
                  {lock.limit ?? <span className="muted">unknown</span>}
                  <span className="muted"> ({lock.holders.length} in use)</span>
                </td>
                <td data-col="holders">
                  {lock.holders.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <ul aria-label={`Holders of ${lockLabel(lock)}`}>
                      {lock.holders.map((h) => (
                        <li key={h}>
                          <HolderLink holder={h} />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td data-col="waiting">
                  {lock.waiting.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <ol aria-label={`Queue of ${lockLabel(lock)}`}>
                      {lock.waiting.map((w) => (
                        <li key={w.holder}>
                          <HolderLink holder={w.holder} />{' '}
                          <span className="muted" title={w.since}>
                            waiting {ago(w.since).replace(/ ago$/, '') || '0s'}
                            {w.priority ? `, priority ${w.priority}` : ''}
                          </span>
                        </li>
                      ))}
                    </ol>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
