import type { Workflow } from '../spec/types.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../store/selectors.js';
import type { ListOptions } from '../store/types.js';

const FIELDS = ['metadata.name', 'metadata.namespace', 'status.phase'];

/** Whether a changed workflow belongs to a watch's namespace and selectors (parsed once per watch). */
export function workflowFilter(opts: ListOptions): (wf: Workflow) => boolean {
  const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : [];
  const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector, FIELDS) : [];
  return (wf) => {
    if (opts.namespace && wf.metadata.namespace !== opts.namespace) return false;
    if (opts.namePrefix && !(wf.metadata.name ?? '').startsWith(opts.namePrefix)) return false;
    if (!matchesLabels(labels, wf.metadata.labels)) return false;
    return matchesFields(fields, {
      'metadata.name': wf.metadata.name ?? '',
      'metadata.namespace': wf.metadata.namespace ?? '',
      'status.phase': wf.status?.phase ?? '',
    });
  };
}
