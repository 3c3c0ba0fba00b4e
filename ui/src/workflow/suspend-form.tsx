// A running suspend node: resume it, or resume it with values for its output parameters (Argo's
// "supplied" outputs, PUT …/set with `outputParameters` as a JSON string, as Argo's UI sends).
import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage, put } from '../api';
import type { NodeStatus, Parameter, Workflow } from './types';

interface TemplateLike {
  name?: string;
  outputs?: { parameters?: (Parameter & { valueFrom?: { supplied?: unknown; default?: string } })[] };
}

/** The node's template as defined in the workflow (or stored from a template it references). */
function templateOf(wf: Workflow, node: NodeStatus): TemplateLike | undefined {
  const name = node.templateRef?.template ?? node.templateName;
  const stored = (wf.status as { storedTemplates?: Record<string, TemplateLike> } | undefined)?.storedTemplates ?? {};
  const local = (wf.spec['templates'] as TemplateLike[] | undefined) ?? [];
  return local.find((t) => t.name === name) ?? Object.values(stored).find((t) => t.name === name);
}

export function SuspendForm({ wf, node }: { wf: Workflow; node: NodeStatus }): ReactNode {
  const params = templateOf(wf, node)?.outputs?.parameters ?? [];
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(params.map((p) => [p.name, p.valueFrom?.default ?? p.default ?? p.enum?.[0] ?? ''])),
  );
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const base = `/api/v1/workflows/${encodeURIComponent(wf.metadata.namespace ?? '')}/${encodeURIComponent(wf.metadata.name ?? '')}`;
  const selector = `id=${node.id}`;

  const act = async (call: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await call();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void act(() => put(`${base}/set`, { nodeFieldSelector: selector, phase: 'Succeeded', outputParameters: JSON.stringify(values) }));
  };

  return (
    <section className="wf-suspend" aria-label="Suspended node">
      <h3>Suspended</h3>
      {params.length > 0 ? (
        <form onSubmit={submit}>
          {params.map((p) => (
            <label key={p.name} className="wf-field">
              <span>
                {p.name}
                {p.description ? <span className="muted"> — {p.description}</span> : null}
              </span>
              {p.enum && p.enum.length > 0 ? (
                <select value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}>
                  {p.enum.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              ) : (
                <input value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })} />
              )}
            </label>
          ))}
          <button type="submit" className="primary" disabled={busy}>
            Resume with these values
          </button>
        </form>
      ) : (
        <button type="button" className="primary" disabled={busy} onClick={() => void act(() => put(`${base}/resume`, { nodeFieldSelector: selector }))}>
          Resume
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
