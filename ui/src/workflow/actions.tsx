// The workflow's action bar: Argo's verbs as PUT /api/v1/workflows/{ns}/{name}/{verb}. Destructive
// ones ask first; a failure shows the server's message where the buttons are.
import { useState, type ReactNode } from 'react';
import { del, errorMessage, put } from '../api';
import { isFinished } from '../format';
import { navigate } from '../router';
import type { Workflow } from './types';

type Verb = 'retry' | 'resubmit' | 'suspend' | 'resume' | 'stop' | 'terminate' | 'delete';

const CONFIRM: Partial<Record<Verb, string>> = {
  stop: 'Stop this workflow? Running steps are stopped; exit handlers still run.',
  terminate: 'Terminate this workflow? Running steps are killed and exit handlers do not run.',
  delete: 'Delete this workflow? Its record and logs are gone for good.',
};

export function ActionBar({ wf }: { wf: Workflow }): ReactNode {
  const [busy, setBusy] = useState<Verb | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const ns = wf.metadata.namespace ?? '';
  const name = wf.metadata.name ?? '';
  const base = `/api/v1/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
  const phase = wf.status?.phase;
  const finished = isFinished(phase);
  const suspended = wf.spec.suspend === true || Object.values(wf.status?.nodes ?? {}).some((n) => n.type === 'Suspend' && n.phase === 'Running');

  const run = async (verb: Verb): Promise<void> => {
    const question = CONFIRM[verb];
    if (question && !window.confirm(question)) return;
    setBusy(verb);
    setError(undefined);
    setDone(undefined);
    try {
      if (verb === 'delete') {
        await del(base);
        navigate(`/workflows/${encodeURIComponent(ns)}`);
        return;
      }
      const result = await put<Workflow>(`${base}/${verb}`, { namespace: ns, name });
      if (verb === 'resubmit' && result.metadata.name) {
        navigate(`/workflows/${encodeURIComponent(result.metadata.namespace ?? ns)}/${encodeURIComponent(result.metadata.name)}`);
        return;
      }
      setDone(`${verb}: done`);
    } catch (e) {
      setError(`${verb} failed: ${errorMessage(e)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const button = (verb: Verb, label: string, enabled: boolean, className?: string): ReactNode => (
    <button type="button" className={className} disabled={!enabled || busy !== undefined} onClick={() => void run(verb)}>
      {busy === verb ? `${label}…` : label}
    </button>
  );
  return (
    <div className="wf-actions">
      <div className="toolbar" role="toolbar" aria-label="Workflow actions">
        {button('retry', 'Retry', phase === 'Failed' || phase === 'Error')}
        {button('resubmit', 'Resubmit', true)}
        {suspended ? button('resume', 'Resume', !finished) : button('suspend', 'Suspend', !finished)}
        {button('stop', 'Stop', !finished, 'danger')}
        {button('terminate', 'Terminate', !finished, 'danger')}
        {button('delete', 'Delete', true, 'danger')}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {done && !error && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
    </div>
  );
}

/**
 * Retry from one node of a failed workflow (Argo's node "Retry"): that node and what follows it run
 * again, even where they had succeeded; the other failed nodes are retried too, as `argo retry` does.
 */
export function RetryNodeButton({ wf, nodeId }: { wf: Workflow; nodeId: string }): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const phase = wf.status?.phase;
  if (phase !== 'Failed' && phase !== 'Error') return null;
  const ns = wf.metadata.namespace ?? '';
  const name = wf.metadata.name ?? '';
  const retry = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await put(`/api/v1/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/retry`, { namespace: ns, name, nodeFieldSelector: `id=${nodeId}`, restartSuccessful: true });
    } catch (e) {
      setError(`retry failed: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="toolbar">
      <button type="button" disabled={busy} onClick={() => void retry()}>
        {busy ? 'Retrying…' : 'Retry from this node'}
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
