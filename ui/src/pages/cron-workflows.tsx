// Cron workflows (/cron-workflows[/{ns}[/{name}]]): list with schedule, suspended and last run;
// detail with status, suspend/resume, submit now, YAML edit and delete; create from YAML.
import { useState, type ReactNode } from 'react';
import { errorMessage, post, put } from '../api';
import { ago } from '../format';
import { workflowPath } from '../list/model';
import { resourcePath } from '../list/resource-api';
import { CreateResource, pageOf, ResourceDetail, useResourceList, type Resource } from '../list/resource-views';
import { Link, navigate } from '../router';
import { exampleCronWorkflow } from '../submit/examples';
import { NamespaceFilter } from './templates';
import './resources.css';

const LIST_PATH = '/cron-workflows';

interface Cron extends Resource {
  spec?: { schedule?: string; schedules?: string[]; timezone?: string; suspend?: boolean; concurrencyPolicy?: string };
  status?: { lastScheduledTime?: string; active?: { name: string; namespace?: string }[]; succeeded?: number; failed?: number; phase?: string; conditions?: { type: string; status: string; message?: string }[] };
}

function schedulesOf(c: Cron): string {
  const list = c.spec?.schedules?.length ? c.spec.schedules : c.spec?.schedule ? [c.spec.schedule] : [];
  return list.join(', ') + (c.spec?.timezone ? ` (${c.spec.timezone})` : '');
}

export function CronWorkflowsPage(props: { path: string }): ReactNode {
  const [namespace = '', name] = props.path
    .slice(LIST_PATH.length)
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  if (name !== undefined) return <CronDetail namespace={namespace} name={name} />;
  return <CronList namespace={namespace} />;
}

function CronList(props: { namespace: string }): ReactNode {
  const { namespace } = props;
  const { items, error, reload } = useResourceList<Cron>('CronWorkflow', namespace);
  const [creating, setCreating] = useState(false);
  return (
    <div className="resource-page">
      <header className="toolbar">
        <h1>Cron workflows</h1>
        <NamespaceFilter value={namespace} onChange={(ns) => navigate(ns ? `${LIST_PATH}/${encodeURIComponent(ns)}` : LIST_PATH)} />
        <button type="button" onClick={reload}>
          Refresh
        </button>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          + Create
        </button>
      </header>
      {error ? <p className="error">{error}</p> : null}
      {items === undefined && !error ? <p className="muted">Loading…</p> : null}
      {items?.length === 0 ? <p className="muted">No cron workflows{namespace ? ` in ${namespace}` : ''} yet.</p> : null}
      {items && items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Namespace</th>
              <th>Schedule</th>
              <th>Suspended</th>
              <th>Last scheduled</th>
              <th>Active</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={`${c.metadata.namespace}/${c.metadata.name}`}>
                <td>
                  <Link to={pageOf(LIST_PATH, 'CronWorkflow', c.metadata)}>{c.metadata.name}</Link>
                </td>
                <td>{c.metadata.namespace}</td>
                <td className="mono">{schedulesOf(c)}</td>
                <td>{c.spec?.suspend ? 'yes' : 'no'}</td>
                <td title={c.status?.lastScheduledTime}>{ago(c.status?.lastScheduledTime) || 'never'}</td>
                <td>{c.status?.active?.length ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CreateResource kind="CronWorkflow" namespace={namespace || 'default'} example={exampleCronWorkflow(namespace || 'default')} listPath={LIST_PATH} open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function CronActions(props: { cron: Cron; reload: () => void }): ReactNode {
  const { cron, reload } = props;
  const [error, setError] = useState<string | undefined>();
  const ns = cron.metadata.namespace ?? 'default';
  const name = cron.metadata.name ?? '';
  const run = async (f: () => Promise<void>): Promise<void> => {
    setError(undefined);
    try {
      await f();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const toggle = (): Promise<void> =>
    run(async () => {
      await put(`${resourcePath('CronWorkflow', ns, name)}/${cron.spec?.suspend ? 'resume' : 'suspend'}`, { namespace: ns, name });
      reload();
    });
  const submitNow = (): Promise<void> =>
    run(async () => {
      const wf = await post<{ metadata: { name?: string; namespace?: string } }>(`/api/v1/workflows/${encodeURIComponent(ns)}/submit`, { resourceKind: 'CronWorkflow', resourceName: name });
      navigate(workflowPath(wf));
    });
  return (
    <>
      <button type="button" onClick={() => void toggle()}>
        {cron.spec?.suspend ? 'Resume' : 'Suspend'}
      </button>
      <button type="button" onClick={() => void submitNow()}>
        Submit now
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

function CronDetail(props: { namespace: string; name: string }): ReactNode {
  return (
    <div className="resource-page">
      <header className="toolbar">
        <h1>
          <Link to={LIST_PATH}>Cron workflows</Link> / {props.namespace}/{props.name}
        </h1>
      </header>
      <ResourceDetail<Cron> kind="CronWorkflow" namespace={props.namespace} name={props.name} listPath={LIST_PATH} actions={(c, reload) => <CronActions cron={c} reload={reload} />}>
        {(c) => (
          <dl className="cron-status">
            <dt>Schedule</dt>
            <dd className="mono">{schedulesOf(c)}</dd>
            <dt>Suspended</dt>
            <dd>{c.spec?.suspend ? 'yes' : 'no'}</dd>
            <dt>Last scheduled</dt>
            <dd title={c.status?.lastScheduledTime}>{ago(c.status?.lastScheduledTime) || 'never'}</dd>
            <dt>Active</dt>
            <dd>
              {(c.status?.active ?? []).length === 0
                ? 'none'
                : c.status?.active?.map((a) => (
                    <Link key={a.name} to={workflowPath({ metadata: { namespace: a.namespace ?? props.namespace, name: a.name } })}>
                      {a.name}{' '}
                    </Link>
                  ))}
            </dd>
            <dt>Succeeded / failed</dt>
            <dd>
              {c.status?.succeeded ?? 0} / {c.status?.failed ?? 0}
            </dd>
            {c.status?.conditions?.map((cond) => (
              <div key={cond.type} style={{ display: 'contents' }}>
                <dt>{cond.type}</dt>
                <dd className="error">{cond.message}</dd>
              </div>
            ))}
          </dl>
        )}
      </ResourceDetail>
    </div>
  );
}
