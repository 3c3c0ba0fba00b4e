// The slice of a Workflow the list shows. The list and its watch ask the server for these fields
// only (`fields=`), so a row never carries status.nodes, which can be megabytes.

export interface WorkflowMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
}

export interface WorkflowRow {
  metadata: WorkflowMeta;
  spec?: { suspend?: boolean };
  status?: {
    phase?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    progress?: string;
  };
}

export interface ListBody<T> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[] | null;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | string;
  object: T;
}

const ROW_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.creationTimestamp',
  'metadata.resourceVersion',
  'metadata.labels',
  'spec.suspend',
  'status.phase',
  'status.message',
  'status.startedAt',
  'status.finishedAt',
  'status.progress',
];

/** `fields=` of a list request: the page's metadata and each item's row fields. */
export const LIST_FIELDS = ['metadata', ...ROW_FIELDS.map((f) => `items.${f}`)].join(',');
/** `fields=` of a watch: the event type and the object's row fields. */
export const WATCH_FIELDS = ['result.type', ...ROW_FIELDS.map((f) => `result.object.${f}`)].join(',');

export function keyOf(wf: { metadata: { namespace?: string; name?: string } }): string {
  return `${wf.metadata.namespace ?? ''}/${wf.metadata.name ?? ''}`;
}

export function workflowPath(wf: { metadata: { namespace?: string; name?: string } }): string {
  return `/workflows/${encodeURIComponent(wf.metadata.namespace ?? '')}/${encodeURIComponent(wf.metadata.name ?? '')}`;
}
