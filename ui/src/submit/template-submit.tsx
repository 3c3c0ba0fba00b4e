// Submitting a workflow from a WorkflowTemplate or ClusterWorkflowTemplate: pick the entrypoint,
// fill the parameters (pre-filled with the template's values; enums become a choice), and POST
// Argo's `…/submit`. Used by the Submit panel of the list and by the template pages.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage, get, post } from '../api';
import { templatePath, type TemplateKind, type TemplateObject } from '../list/resource-api';

interface Param {
  name: string;
  value?: string;
  enum?: string[];
  description?: string;
}

export interface Submitted {
  metadata: { name?: string; namespace?: string };
}

export function TemplateSubmitForm(props: { kind: TemplateKind; name: string; namespace: string; onSubmitted: (wf: Submitted) => void }): ReactNode {
  const { kind, name } = props;
  const [template, setTemplate] = useState<TemplateObject | undefined>();
  const [values, setValues] = useState<Record<string, string>>({});
  const [entrypoint, setEntrypoint] = useState('');
  const [namespace, setNamespace] = useState(props.namespace);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setTemplate(undefined);
    setError(undefined);
    get<TemplateObject>(templatePath(kind, props.namespace, name))
      .then((t) => {
        if (cancelled) return;
        setTemplate(t);
        setEntrypoint(t.spec?.entrypoint ?? '');
        setValues(Object.fromEntries(paramsOf(t).map((p) => [p.name, p.value ?? ''])));
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [kind, name, props.namespace]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const ns = kind === 'WorkflowTemplate' ? props.namespace : namespace.trim() || 'default';
      const wf = await post<Submitted>(`/api/v1/workflows/${encodeURIComponent(ns)}/submit`, {
        resourceKind: kind,
        resourceName: name,
        // Argo's SubmitOpts spells it entryPoint.
        submitOptions: { entryPoint: entrypoint || undefined, parameters: Object.entries(values).map(([k, v]) => `${k}=${v}`) },
      });
      props.onSubmitted(wf);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (!template) return error ? <p className="error">{error}</p> : <p className="muted">Loading {name}…</p>;
  const params = paramsOf(template);
  const entrypoints = (template.spec?.templates ?? []).map((t) => t.name ?? '').filter(Boolean);
  return (
    <form className="submit-form" onSubmit={(e) => void submit(e)}>
      {kind === 'ClusterWorkflowTemplate' ? (
        <label className="field">
          <span>Namespace</span>
          <input value={namespace} onChange={(e) => setNamespace(e.target.value)} required />
        </label>
      ) : null}
      <label className="field">
        <span>Entrypoint</span>
        <select value={entrypoint} onChange={(e) => setEntrypoint(e.target.value)}>
          {entrypoints.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      {params.length === 0 ? <p className="muted">This template takes no parameters.</p> : <h3>Parameters</h3>}
      {params.map((p) => (
        <label key={p.name} className="field">
          <span>{p.name}</span>
          {p.enum && p.enum.length > 0 ? (
            <select value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}>
              {p.enum.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          ) : (
            <input value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })} />
          )}
          {p.description ? <small className="muted">{p.description}</small> : null}
        </label>
      ))}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Submitting…' : 'Submit'}
        </button>
      </div>
    </form>
  );
}

function paramsOf(t: TemplateObject): Param[] {
  return (t.spec?.arguments?.parameters ?? []).map((p) => ({
    name: p.name,
    ...(p.value !== undefined ? { value: String(p.value) } : {}),
    ...(p.enum ? { enum: p.enum.map(String) } : {}),
    ...(p.description ? { description: p.description } : {}),
  }));
}
