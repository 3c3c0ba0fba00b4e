// The workflow at a glance: phase, times, message, parameters, labels, and the locks it holds or waits for.
import type { ReactNode } from 'react';
import { elapsed, phaseClass, phaseIcon } from '../format';
import { Link } from '../router';
import type { Workflow } from './types';

function KeyValues({ title, items }: { title: string; items: [string, string][] }): ReactNode {
  if (items.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <table className="wf-params">
        <tbody>
          {items.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="mono">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function SummaryTab({ wf }: { wf: Workflow }): ReactNode {
  const s = wf.status ?? {};
  const sync = s.synchronization;
  const locks = [
    ...(sync?.semaphore?.holding ?? []).map((h) => `holds ${h.semaphore}`),
    ...(sync?.mutex?.holding ?? []).map((h) => `holds ${h.mutex}`),
    ...(sync?.semaphore?.waiting ?? []).map((h) => `waits for ${h.semaphore}`),
    ...(sync?.mutex?.waiting ?? []).map((h) => `waits for ${h.mutex}`),
  ];
  return (
    <section aria-label="Summary">
      <dl className="wf-facts">
        <div>
          <dt>Phase</dt>
          <dd className={phaseClass(s.phase)}>{`${phaseIcon(s.phase)} ${s.phase ?? 'Pending'}`}</dd>
        </div>
        {s.message && (
          <div>
            <dt>Message</dt>
            <dd>{s.message}</dd>
          </div>
        )}
        <div>
          <dt>Namespace</dt>
          <dd>{wf.metadata.namespace}</dd>
        </div>
        <div>
          <dt>Entrypoint</dt>
          <dd>{wf.spec.entrypoint ?? ''}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{wf.metadata.creationTimestamp ? new Date(wf.metadata.creationTimestamp).toLocaleString() : ''}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{s.startedAt ? new Date(s.startedAt).toLocaleString() : ''}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{s.finishedAt ? new Date(s.finishedAt).toLocaleString() : ''}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{elapsed(s.startedAt, s.finishedAt)}</dd>
        </div>
        {s.progress && (
          <div>
            <dt>Progress</dt>
            <dd>{s.progress}</dd>
          </div>
        )}
      </dl>
      <KeyValues title="Parameters" items={(wf.spec.arguments?.parameters ?? []).map((p) => [p.name, p.value ?? ''])} />
      <KeyValues title="Outputs" items={(s.outputs?.parameters ?? []).map((p) => [p.name, p.value ?? ''])} />
      <KeyValues title="Labels" items={Object.entries(wf.metadata.labels ?? {})} />
      {locks.length > 0 && (
        <>
          <h3>Locks</h3>
          <ul>
            {locks.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          <Link to="/locks">All locks</Link>
        </>
      )}
    </section>
  );
}
