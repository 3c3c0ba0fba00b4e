import type { Parameter, Workflow, WorkflowSpec } from '../spec/types.js';
import { NodeError } from './context.js';
import type { TemplateLookup } from './types.js';

/**
 * The spec a workflow runs: its own, or for `workflowTemplateRef` the template's spec with the
 * workflow's fields over it (arguments merged by name, the workflow's winning). Argo stores the
 * merged spec in status.storedWorkflowTemplateSpec so later edits of the template do not change a
 * running workflow; so does argot.
 */
export function effectiveSpec(wf: Workflow, lookup: TemplateLookup | undefined, namespace: string): WorkflowSpec {
  const ref = wf.spec.workflowTemplateRef;
  if (!ref) return wf.spec;
  const stored = wf.status?.storedWorkflowTemplateSpec;
  if (stored) return stored;
  const source = ref.clusterScope ? lookup?.clusterWorkflowTemplate(ref.name) : lookup?.workflowTemplate(ref.name, wf.metadata.namespace ?? namespace);
  if (!source) throw new NodeError(`${ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} '${ref.name}' not found`);
  const { workflowTemplateRef: _ref, ...own } = wf.spec;
  const merged: WorkflowSpec = { ...structuredClone(source.spec) };
  for (const [key, value] of Object.entries(own)) if (value !== undefined && key !== 'arguments') merged[key] = value;
  const parameters = mergeParameters(source.spec.arguments?.parameters ?? [], own.arguments?.parameters ?? []);
  const artifacts = [...(source.spec.arguments?.artifacts ?? []), ...(own.arguments?.artifacts ?? [])];
  if (parameters.length > 0 || artifacts.length > 0) merged.arguments = { ...(parameters.length ? { parameters } : {}), ...(artifacts.length ? { artifacts } : {}) };
  return merged;
}

function mergeParameters(base: Parameter[], over: Parameter[]): Parameter[] {
  const out = base.map((p) => over.find((o) => o.name === p.name) ?? p);
  for (const p of over) if (!out.some((o) => o.name === p.name)) out.push(p);
  return out;
}
