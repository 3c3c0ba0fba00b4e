// The views the template and cron workflow pages share: a list fetched from the API, a dialog that
// creates an object from YAML, and a detail view that edits one as YAML, saves and deletes it.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { stringify } from 'yaml';
import { del, errorMessage, get, post, put } from '../api';
import { parseManifest, useLint } from '../editor/lint';
import { YamlEditor } from '../editor/yaml-editor';
import { navigate } from '../router';
import { Confirm, Dialog } from './dialog';
import { BODY_KEY, isNamespaced, resourcePath, type ResourceKind, type ResourceMeta } from './resource-api';

export interface Resource {
  apiVersion?: string;
  kind?: string;
  metadata: ResourceMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** The objects of a kind in a namespace ('' for all), sorted by name, with a reload. */
export function useResourceList<T extends Resource>(kind: ResourceKind, namespace: string): { items: T[] | undefined; error: string | undefined; reload: () => void } {
  const [items, setItems] = useState<T[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let cancelled = false;
    get<{ items: T[] | null }>(isNamespaced(kind) ? `${resourcePath(kind, namespace)}${namespace ? '' : '/'}` : resourcePath(kind, ''))
      .then((body) => {
        if (cancelled) return;
        setItems([...(body.items ?? [])].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`)));
        setError(undefined);
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [kind, namespace, generation]);
  return { items, error, reload: useCallback(() => setGeneration((g) => g + 1), []) };
}

/** Where an object's page is: `/workflow-templates/ns/name`, `/cluster-workflow-templates/name`. */
export function pageOf(listPath: string, kind: ResourceKind, meta: ResourceMeta): string {
  const name = encodeURIComponent(meta.name ?? '');
  return isNamespaced(kind) ? `${listPath}/${encodeURIComponent(meta.namespace ?? '')}/${name}` : `${listPath}/${name}`;
}

function checkKind(obj: Record<string, unknown>, kind: ResourceKind): void {
  if (obj['kind'] !== undefined && obj['kind'] !== kind) throw new Error(`kind is ${JSON.stringify(obj['kind'])}: this page creates a ${kind}`);
}

export function CreateResource(props: { kind: ResourceKind; namespace: string; example: string; listPath: string; open: boolean; onClose: () => void }): ReactNode {
  const [text, setText] = useState(props.example);
  const lint = useLint(text);
  const [error, setError] = useState<string | undefined>();
  const errors = lint.problems.filter((p) => p.severity === 'error').length;
  const create = async (): Promise<void> => {
    setError(undefined);
    try {
      const obj = parseManifest(text);
      checkKind(obj, props.kind);
      const meta = (obj['metadata'] ?? {}) as ResourceMeta;
      const ns = meta.namespace || props.namespace;
      const created = await post<Resource>(resourcePath(props.kind, ns), { [BODY_KEY[props.kind]]: obj });
      props.onClose();
      navigate(pageOf(props.listPath, props.kind, created.metadata));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} title={`Create ${props.kind}`} className="drawer">
      <div className="dialog-body">
        <YamlEditor label={`${props.kind} manifest`} value={text} onChange={setText} problems={lint.problems} status={lint.failure ?? (lint.checking ? 'Checking…' : undefined)} rows={22} />
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <footer className="dialog-foot">
        <button type="button" className="primary" disabled={errors > 0} onClick={() => void create()}>
          Create
        </button>
      </footer>
    </Dialog>
  );
}

/** The YAML users edit: everything but status, which the controller owns. */
function editable(obj: Resource): string {
  const { status: _status, ...rest } = obj;
  return stringify(rest);
}

export interface DetailProps<T extends Resource> {
  kind: ResourceKind;
  namespace: string;
  name: string;
  listPath: string;
  /** Actions next to Save and Delete (Submit, Suspend…), given the object and a reload. */
  actions?: (obj: T, reload: () => void) => ReactNode;
  /** Shown above the editor (status, the submit form). */
  children?: (obj: T, reload: () => void) => ReactNode;
}

export function ResourceDetail<T extends Resource>(props: DetailProps<T>): ReactNode {
  const { kind, namespace, name } = props;
  const [obj, setObj] = useState<T | undefined>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const path = resourcePath(kind, namespace, name);
  useEffect(() => {
    let cancelled = false;
    get<T>(path)
      .then((o) => {
        if (cancelled) return;
        setObj(o);
        setText(editable(o));
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [path, generation]);
  const lint = useLint(text);
  const dirty = obj !== undefined && text !== editable(obj);

  const save = async (): Promise<void> => {
    setError(undefined);
    try {
      const edited = parseManifest(text);
      checkKind(edited, kind);
      // The status is not in the editor; an update must not wipe it.
      const saved = await put<T>(path, { [BODY_KEY[kind]]: obj?.status ? { ...edited, status: obj.status } : edited });
      setObj(saved);
      setText(editable(saved));
      setNotice('Saved');
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const remove = async (): Promise<void> => {
    setConfirming(false);
    try {
      await del(path);
      navigate(props.listPath);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (!obj) return error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>;
  const errors = lint.problems.filter((p) => p.severity === 'error').length;
  return (
    <div className="resource-detail">
      <div className="toolbar">
        <button type="button" className="primary" disabled={!dirty || errors > 0} onClick={() => void save()}>
          Save
        </button>
        <button type="button" disabled={!dirty} onClick={() => setText(editable(obj))}>
          Revert
        </button>
        {props.actions?.(obj, reload)}
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete
        </button>
        {notice && !dirty ? (
          <span className="muted" role="status">
            {notice}
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {props.children?.(obj, reload)}
      <YamlEditor label="Manifest" value={text} onChange={setText} problems={lint.problems} status={lint.failure ?? (lint.checking ? 'Checking…' : undefined)} rows={24} />
      <Confirm open={confirming} title={`Delete ${kind} ${name}?`} action="Delete" onCancel={() => setConfirming(false)} onConfirm={() => void remove()}>
        <p>Workflows already submitted from it are not affected.</p>
      </Confirm>
    </div>
  );
}
