// WorkflowTemplates (/workflow-templates[/{ns}[/{name}]]) and ClusterWorkflowTemplates
// (/cluster-workflow-templates[/{name}]): list, create, view and edit as YAML, delete, and submit
// a workflow from one with its parameters.
import { useState, type ReactNode } from 'react';
import { ago } from '../format';
import { workflowPath } from '../list/model';
import type { TemplateKind } from '../list/resource-api';
import { CreateResource, pageOf, ResourceDetail, useResourceList, type Resource } from '../list/resource-views';
import { Link, navigate } from '../router';
import { exampleTemplate } from '../submit/examples';
import { TemplateSubmitForm } from '../submit/template-submit';
import './resources.css';

const LIST_PATH: Record<TemplateKind, string> = { WorkflowTemplate: '/workflow-templates', ClusterWorkflowTemplate: '/cluster-workflow-templates' };
const TITLE: Record<TemplateKind, string> = { WorkflowTemplate: 'Workflow templates', ClusterWorkflowTemplate: 'Cluster workflow templates' };

interface Template extends Resource {
  spec?: { entrypoint?: string; templates?: unknown[]; arguments?: { parameters?: unknown[] } };
}

export function TemplatesPage(props: { kind: TemplateKind; path: string }): ReactNode {
  const { kind } = props;
  const listPath = LIST_PATH[kind];
  const rest = props.path
    .slice(listPath.length)
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  const namespaced = kind === 'WorkflowTemplate';
  // A WorkflowTemplate's path is {ns}/{name}; a ClusterWorkflowTemplate's is {name}.
  const name = namespaced ? rest[1] : rest[0];
  const namespace = namespaced ? (rest[0] ?? '') : '';
  if (name !== undefined) return <TemplateDetail kind={kind} namespace={namespace} name={name} listPath={listPath} />;
  return <TemplateList kind={kind} namespace={namespace} listPath={listPath} />;
}

function TemplateList(props: { kind: TemplateKind; namespace: string; listPath: string }): ReactNode {
  const { kind, namespace, listPath } = props;
  const { items, error } = useResourceList<Template>(kind, namespace);
  const [creating, setCreating] = useState(false);
  const namespaced = kind === 'WorkflowTemplate';
  return (
    <div className="resource-page">
      <header className="toolbar">
        <h1>{TITLE[kind]}</h1>
        {namespaced ? <NamespaceFilter value={namespace} onChange={(ns) => navigate(ns ? `${listPath}/${encodeURIComponent(ns)}` : listPath)} /> : null}
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          + Create
        </button>
      </header>
      {error ? <p className="error">{error}</p> : null}
      {items === undefined && !error ? <p className="muted">Loading…</p> : null}
      {items?.length === 0 ? <p className="muted">No {TITLE[kind].toLowerCase()}{namespace ? ` in ${namespace}` : ''} yet.</p> : null}
      {items && items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              {namespaced ? <th>Namespace</th> : null}
              <th>Entrypoint</th>
              <th>Parameters</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={`${t.metadata.namespace}/${t.metadata.name}`}>
                <td>
                  <Link to={pageOf(listPath, kind, t.metadata)}>{t.metadata.name}</Link>
                </td>
                {namespaced ? <td>{t.metadata.namespace}</td> : null}
                <td>{t.spec?.entrypoint}</td>
                <td>{t.spec?.arguments?.parameters?.length ?? 0}</td>
                <td title={t.metadata.creationTimestamp}>{ago(t.metadata.creationTimestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CreateResource kind={kind} namespace={namespace || 'default'} example={exampleTemplate(kind, namespace || 'default')} listPath={listPath} open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function TemplateDetail(props: { kind: TemplateKind; namespace: string; name: string; listPath: string }): ReactNode {
  const { kind, namespace, name, listPath } = props;
  return (
    <div className="resource-page">
      <header className="toolbar">
        <h1>
          <Link to={listPath}>{TITLE[kind]}</Link> / {kind === 'WorkflowTemplate' ? `${namespace}/` : ''}
          {name}
        </h1>
      </header>
      <ResourceDetail<Template> kind={kind} namespace={namespace} name={name} listPath={listPath}>
        {() => (
          <details className="submit-box" open>
            <summary>Submit a workflow from this template</summary>
            <TemplateSubmitForm kind={kind} namespace={namespace || 'default'} name={name} onSubmitted={(wf) => navigate(workflowPath(wf))} />
          </details>
        )}
      </ResourceDetail>
    </div>
  );
}

export function NamespaceFilter(props: { value: string; onChange: (ns: string) => void }): ReactNode {
  const [draft, setDraft] = useState(props.value);
  return (
    <form
      className="ns-filter"
      onSubmit={(e) => {
        e.preventDefault();
        props.onChange(draft.trim());
      }}
    >
      <label>
        <span className="muted">Namespace</span> <input type="search" value={draft} placeholder="all" onChange={(e) => setDraft(e.target.value)} onBlur={() => draft.trim() !== props.value && props.onChange(draft.trim())} />
      </label>
    </form>
  );
}
