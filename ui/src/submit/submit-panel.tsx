// "Submit new workflow": a dialog with two ways in. YAML: an editor pre-filled with an example,
// linted as it is typed, that POSTs the Workflow. From template: choose a WorkflowTemplate or
// ClusterWorkflowTemplate and fill its parameters. Either way the new workflow's page opens next.
import { useEffect, useState, type ReactNode } from 'react';
import { errorMessage, get, post } from '../api';
import { parseManifest, useLint } from '../editor/lint';
import { YamlEditor } from '../editor/yaml-editor';
import { Dialog } from '../list/dialog';
import { workflowPath } from '../list/model';
import type { TemplateKind } from '../list/resource-api';
import { navigate } from '../router';
import { exampleWorkflow } from './examples';
import { TemplateSubmitForm, type Submitted } from './template-submit';
import './submit.css';

type Tab = 'yaml' | 'template';

export function SubmitPanel(props: { open: boolean; onClose: () => void; namespace: string }): ReactNode {
  const [tab, setTab] = useState<Tab>('yaml');
  const done = (wf: Submitted): void => {
    props.onClose();
    navigate(workflowPath(wf));
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} title="Submit new workflow" className="drawer">
      <div role="tablist" aria-label="Submit from" className="tabs">
        {(
          [
            ['yaml', 'YAML'],
            ['template', 'From template'],
          ] as const
        ).map(([t, label]) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} aria-controls={`submit-${t}`} id={`submit-tab-${t}`} onClick={() => setTab(t)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`submit-${tab}`} aria-labelledby={`submit-tab-${tab}`} className="dialog-body">
        {tab === 'yaml' ? <YamlSubmit namespace={props.namespace} onSubmitted={done} /> : <FromTemplate namespace={props.namespace} onSubmitted={done} />}
      </div>
    </Dialog>
  );
}

function YamlSubmit(props: { namespace: string; onSubmitted: (wf: Submitted) => void }): ReactNode {
  const [text, setText] = useState(() => exampleWorkflow(props.namespace));
  const lint = useLint(text);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const errors = lint.problems.filter((p) => p.severity === 'error').length;

  const submit = async (): Promise<void> => {
    setError(undefined);
    setBusy(true);
    try {
      const wf = parseManifest(text);
      if (wf['kind'] !== 'Workflow') throw new Error(`kind is ${JSON.stringify(wf['kind'])}: this submits a Workflow (templates and cron workflows have their own pages)`);
      const meta = (wf['metadata'] ?? {}) as { namespace?: string };
      const ns = meta.namespace || props.namespace;
      props.onSubmitted(await post<Submitted>(`/api/v1/workflows/${encodeURIComponent(ns)}`, { workflow: wf }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="yaml-submit">
      <YamlEditor label="Workflow manifest" value={text} onChange={setText} problems={lint.problems} status={lint.failure ?? (lint.checking ? 'Checking…' : undefined)} rows={22} />
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-foot">
        <button type="button" className="primary" disabled={busy || errors > 0} onClick={() => void submit()}>
          {busy ? 'Submitting…' : 'Submit'}
        </button>
        {errors > 0 ? <span className="muted">Fix the {errors === 1 ? 'error' : `${errors} errors`} to submit</span> : null}
      </div>
    </div>
  );
}

interface Choice {
  kind: TemplateKind;
  namespace: string;
  name: string;
}

function FromTemplate(props: { namespace: string; onSubmitted: (wf: Submitted) => void }): ReactNode {
  const [choices, setChoices] = useState<Choice[] | undefined>();
  const [chosen, setChosen] = useState<string>('');
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let cancelled = false;
    const names = 'items.metadata.name,items.metadata.namespace';
    Promise.all([
      get<{ items: { metadata: { name?: string; namespace?: string } }[] | null }>(`/api/v1/workflow-templates/${encodeURIComponent(props.namespace)}?fields=${names}`),
      get<{ items: { metadata: { name?: string } }[] | null }>(`/api/v1/cluster-workflow-templates?fields=${names}`),
    ])
      .then(([wts, cwts]) => {
        if (cancelled) return;
        const list: Choice[] = [
          ...(wts.items ?? []).map((t) => ({ kind: 'WorkflowTemplate' as const, namespace: t.metadata.namespace ?? props.namespace, name: t.metadata.name ?? '' })),
          ...(cwts.items ?? []).map((t) => ({ kind: 'ClusterWorkflowTemplate' as const, namespace: props.namespace, name: t.metadata.name ?? '' })),
        ];
        setChoices(list);
        setChosen((c) => c || (list[0] ? valueOf(list[0]) : ''));
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [props.namespace]);

  if (error) return <p className="error">{error}</p>;
  if (!choices) return <p className="muted">Loading templates…</p>;
  if (choices.length === 0) return <p className="muted">No WorkflowTemplates in {props.namespace} and no ClusterWorkflowTemplates.</p>;
  const choice = choices.find((c) => valueOf(c) === chosen);
  return (
    <div className="from-template">
      <label className="field">
        <span>Template</span>
        <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
          {choices.map((c) => (
            <option key={valueOf(c)} value={valueOf(c)}>
              {c.kind === 'WorkflowTemplate' ? `${c.namespace}/${c.name}` : `${c.name} (cluster)`}
            </option>
          ))}
        </select>
      </label>
      {choice ? <TemplateSubmitForm key={chosen} kind={choice.kind} namespace={choice.namespace} name={choice.name} onSubmitted={props.onSubmitted} /> : null}
    </div>
  );
}

const valueOf = (c: Choice): string => `${c.kind}/${c.namespace}/${c.name}`;
