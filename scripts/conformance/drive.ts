// Files whose expected outcome needs a human (`needs: human`, "Succeeded after resume …"): the
// runner plays that human in server mode. It watches the workflow; when a suspend node named here
// is Running, it supplies the node's `valueFrom.supplied` output parameters (`argot node set
// --output-parameter`) and resumes it (`argot resume --node-field-selector displayName=…`).
// Suspend nodes not named here (those with a `duration`) are left to resume on their own.

import type { NodeStatus, Parameter, Template, Workflow } from '../../src/spec/types.js';

export interface Drive {
  /** Display names of the suspend nodes to answer, each once. */
  resume: string[];
  why: string;
}

export const HUMAN_DRIVES: Readonly<Record<string, Drive>> = {
  // `approve` is a bare `suspend: {}` that waits for `argo resume`; `delay` (duration 20) resumes itself.
  'suspend-template.yaml': { resume: ['approve'], why: 'approve waits for `argo resume`; delay resumes itself after 20 s' },
  // `approve` has an output `message` with `valueFrom.supplied`: the human sets it, then resumes.
  'suspend-template-outputs.yaml': { resume: ['approve'], why: 'approve needs its output `message` supplied, then a resume' },
  // `approval` supplies output `approve`; its input of the same name offers enum YES/NO (default NO).
  // The first enum value, YES, also runs the `deploy-prod` step.
  'intermediate-parameters.yaml': { resume: ['approval'], why: 'approval needs output `approve` (YES|NO) supplied, then a resume' },
};

/** Used for a supplied output that has no enum and no default anywhere. */
export const DEFAULT_SUPPLIED = 'approved';

export interface Answer {
  /** The suspend node's display name, for `--node-field-selector displayName=…`. */
  node: string;
  /** Output parameters to set first (empty: just resume). */
  outputs: Record<string, string>;
}

/** The suspend nodes of `drive` that are Running now and not answered yet, with what to answer. */
export function pendingAnswers(wf: Workflow, drive: Drive, answered: ReadonlySet<string>): Answer[] {
  const answers: Answer[] = [];
  for (const node of Object.values(wf.status?.nodes ?? {})) {
    if (node.type !== 'Suspend' || node.phase !== 'Running') continue;
    if (!drive.resume.includes(node.displayName) || answered.has(node.displayName)) continue;
    if (answers.some((a) => a.node === node.displayName)) continue;
    const template = templateOf(wf, node);
    answers.push({ node: node.displayName, outputs: template ? suppliedOutputs(template) : {} });
  }
  return answers;
}

/**
 * A value for each output parameter the human must supply (`valueFrom.supplied`): the first value
 * of its enum, else its default, looking at the output and then at the input of the same name
 * (where Argo's UI takes the choices from), else "approved".
 */
export function suppliedOutputs(template: Template): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const output of template.outputs?.parameters ?? []) {
    if (!output.valueFrom?.supplied) continue;
    const input = template.inputs?.parameters?.find((p) => p.name === output.name);
    outputs[output.name] = choose(output) ?? (input ? choose(input) : undefined) ?? DEFAULT_SUPPLIED;
  }
  return outputs;
}

function choose(p: Parameter): string | undefined {
  const first = p.enum?.[0];
  if (first !== undefined) return String(first);
  const fallback = p.default ?? p.valueFrom?.default;
  return fallback === undefined ? undefined : String(fallback);
}

/** The node's template: from the workflow spec, a stored template, or the referenced WorkflowTemplate's spec. */
export function templateOf(wf: Workflow, node: NodeStatus): Template | undefined {
  const name = node.templateRef?.template ?? node.templateName;
  if (!name) return undefined;
  const stored = Object.entries(wf.status?.storedTemplates ?? {}).find(([key]) => key === name || key.endsWith(`/${name}`))?.[1];
  return (
    wf.spec.templates?.find((t) => t.name === name) ??
    stored ??
    wf.status?.storedWorkflowTemplateSpec?.templates?.find((t) => t.name === name)
  );
}

/** `approve (message=approved)`: what was answered, for the report line. */
export function describeAnswer(answer: Answer): string {
  const outputs = Object.entries(answer.outputs).map(([k, v]) => `${k}=${v}`);
  return outputs.length ? `${answer.node} (${outputs.join(', ')})` : answer.node;
}
