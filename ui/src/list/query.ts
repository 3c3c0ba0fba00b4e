// The list's filters live in the URL (Argo's shape: namespace in the path, the rest in the query),
// so a reload or a shared link shows the same rows.
import { qs } from '../api.js';
import { LIST_FIELDS, WATCH_FIELDS, type WorkflowRow } from './model.js';

export const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Error'] as const;
export type NameMode = 'Exact' | 'Prefix' | 'Contains';

export interface Filters {
  /** '' is every namespace. */
  namespace: string;
  phases: string[];
  /** A Kubernetes label selector as typed: `app=x,team!=y`. */
  labels: string;
  name: string;
  nameMode: NameMode;
}

export function filtersFrom(path: string, query: URLSearchParams): Filters {
  const ns = /^\/workflows\/([^/]+)$/.exec(path)?.[1];
  const mode = query.get('nameFilter');
  return {
    namespace: ns ? decodeURIComponent(ns) : '',
    phases: query.getAll('phase').filter((p) => p !== ''),
    labels: query.get('label') ?? '',
    name: query.get('name') ?? '',
    nameMode: mode === 'Exact' || mode === 'Prefix' ? mode : 'Contains',
  };
}

/** The URL that shows `f`, keeping unrelated query parameters (sorting). */
export function urlOf(f: Filters, keep: URLSearchParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of keep) if (!['phase', 'label', 'name', 'nameFilter'].includes(k)) q.append(k, v);
  for (const p of f.phases) q.append('phase', p);
  if (f.labels) q.set('label', f.labels);
  if (f.name) q.set('name', f.name);
  if (f.name && f.nameMode !== 'Contains') q.set('nameFilter', f.nameMode);
  const s = q.toString();
  return `/workflows${f.namespace ? `/${encodeURIComponent(f.namespace)}` : ''}${s ? `?${s}` : ''}`;
}

/** The label selector the server filters on: the user's, plus the phase label Argo's controller sets. */
function labelSelector(f: Filters): string {
  const terms = f.labels.trim() ? [f.labels.trim()] : [];
  if (f.phases.length > 0) terms.push(`workflows.argoproj.io/phase in (${f.phases.join(',')})`);
  return terms.join(',');
}

function selectors(f: Filters): Record<string, string | undefined> {
  return {
    'listOptions.labelSelector': labelSelector(f) || undefined,
    'listOptions.fieldSelector': f.name ? `metadata.name=${f.name}` : undefined,
  };
}

export function listUrl(f: Filters, limit: number, cont?: string): string {
  return `/api/v1/workflows/${encodeURIComponent(f.namespace)}${qs({
    ...selectors(f),
    nameFilter: f.name ? f.nameMode : undefined,
    'listOptions.limit': limit,
    'listOptions.continue': cont,
    fields: LIST_FIELDS,
  })}`;
}

/**
 * The watch after a list: only changes since the list's resourceVersion. The stream knows no
 * nameFilter, so a name that is not Exact is matched here instead (see `matches`).
 */
export function watchUrl(f: Filters, resourceVersion: string): string {
  const s = selectors(f);
  return `/api/v1/workflow-events/${encodeURIComponent(f.namespace)}${qs({
    'listOptions.labelSelector': s['listOptions.labelSelector'],
    'listOptions.fieldSelector': f.nameMode === 'Exact' ? s['listOptions.fieldSelector'] : undefined,
    'listOptions.resourceVersion': resourceVersion,
    fields: WATCH_FIELDS,
  })}`;
}

/**
 * Whether a workflow from the watch still belongs in the rows. The stream only filters on what it
 * is given (a workflow that leaves a phase may not be dropped by it), and knows no nameFilter.
 */
export function matches(f: Filters, wf: WorkflowRow): boolean {
  const name = wf.metadata.name ?? '';
  if (f.phases.length > 0) {
    const phase = wf.metadata.labels?.['workflows.argoproj.io/phase'] ?? wf.status?.phase ?? 'Pending';
    if (!f.phases.includes(phase)) return false;
  }
  if (!f.name) return true;
  if (f.nameMode === 'Exact') return name === f.name;
  if (f.nameMode === 'Prefix') return name.startsWith(f.name);
  return name.includes(f.name);
}
