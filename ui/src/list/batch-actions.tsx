// Stop, Terminate or Delete the selected workflows, after a confirmation that names them. Each
// request is independent: one that fails is reported and the others still happen.
import { useState, type ReactNode } from 'react';
import { del, errorMessage, put } from '../api';
import { Confirm } from './dialog';

type Action = 'stop' | 'terminate' | 'delete';

const ACTIONS: { action: Action; label: string; explain: string }[] = [
  { action: 'stop', label: 'Stop', explain: 'Stopping runs exit handlers, then ends each workflow Failed.' },
  { action: 'terminate', label: 'Terminate', explain: 'Terminating ends each workflow at once, without exit handlers.' },
  { action: 'delete', label: 'Delete', explain: 'Deleting removes each workflow and its record for good.' },
];

function request(action: Action, key: string): Promise<unknown> {
  const [ns = '', name = ''] = key.split('/');
  const path = `/api/v1/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
  return action === 'delete' ? del(path) : put(`${path}/${action}`);
}

export function BatchActions(props: { selected: ReadonlySet<string>; onDone: (action: Action, succeeded: string[]) => void }): ReactNode {
  const [asking, setAsking] = useState<Action | undefined>();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const keys = [...props.selected];
  const chosen = ACTIONS.find((a) => a.action === asking);

  const run = async (action: Action): Promise<void> => {
    setAsking(undefined);
    setBusy(true);
    const results = await Promise.allSettled(keys.map((k) => request(action, k)));
    setBusy(false);
    setErrors(results.flatMap((r, i) => (r.status === 'rejected' ? [`${keys[i]}: ${errorMessage(r.reason)}`] : [])));
    props.onDone(
      action,
      keys.filter((_, i) => results[i]?.status === 'fulfilled'),
    );
  };

  return (
    <div className="batch" role="group" aria-label="Batch actions">
      <span className="muted">{keys.length === 0 ? 'Select workflows to act on them' : `${keys.length} selected`}</span>
      {ACTIONS.map((a) => (
        <button key={a.action} type="button" className={a.action === 'delete' ? 'danger' : undefined} disabled={keys.length === 0 || busy} onClick={() => setAsking(a.action)}>
          {a.label}
        </button>
      ))}
      {errors.length > 0 ? (
        <div className="error" role="alert">
          {errors.join('\n')}
        </div>
      ) : null}
      <Confirm
        open={chosen !== undefined}
        title={chosen ? `${chosen.label} ${keys.length} workflow${keys.length === 1 ? '' : 's'}?` : ''}
        action={chosen?.label ?? ''}
        onCancel={() => setAsking(undefined)}
        onConfirm={() => {
          if (asking) void run(asking);
        }}
      >
        <p>{chosen?.explain}</p>
        <ul className="confirm-list">
          {keys.slice(0, 10).map((k) => (
            <li key={k}>{k}</li>
          ))}
          {keys.length > 10 ? <li className="muted">and {keys.length - 10} more</li> : null}
        </ul>
      </Confirm>
    </div>
  );
}
