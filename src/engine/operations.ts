// What `argo suspend|resume|stop|terminate|retry|resubmit|node set` do to a workflow, as pure
// functions from the stored workflow to the new one. The controller saves the result and carries
// out the pod clean-ups they list; the next reconcile does the rest.
import type { NodeStatus, Parameter, Workflow } from '../spec/types.js';
import { isoSeconds } from './context.js';
import { podName } from './ids.js';
import { isFailedOrError, isWorkflowFinished } from './phase.js';

/** An operation that does not apply to the workflow as it is (wrong phase, bad selector). */
export class OperationError extends Error {}

export interface NodeSelector {
  matches(node: NodeStatus): boolean;
}

/** `--node-field-selector`: `key=value`, `key==value`, `key!=value`, comma-joined (AND). */
export function parseNodeSelector(text: string | undefined): NodeSelector {
  if (!text || text.trim() === '') return { matches: () => true };
  const terms = text.split(',').map((raw) => {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(raw);
    if (!m) throw new OperationError(`invalid node field selector term '${raw}': expected key=value or key!=value`);
    return { key: m[1] ?? '', negate: m[2] === '!=', value: m[3] ?? '' };
  });
  return {
    matches(node) {
      return terms.every(({ key, negate, value }) => (nodeField(node, key) === value) !== negate);
    },
  };
}

function nodeField(node: NodeStatus, key: string): string | undefined {
  const param = /^inputs\.parameters\.([^.]+)\.value$/.exec(key);
  if (param) return node.inputs?.parameters?.find((p) => p.name === param[1])?.value;
  const value = (node as unknown as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : value === undefined ? undefined : String(value);
}

function requireRunning(wf: Workflow, verb: string): void {
  if (isWorkflowFinished(wf.status?.phase)) throw new OperationError(`cannot ${verb} workflow ${wf.metadata.name ?? ''}: it has already ${wf.status?.phase}`);
}

export function suspendWorkflow(wf: Workflow): Workflow {
  requireRunning(wf, 'suspend');
  return { ...wf, spec: { ...wf.spec, suspend: true } };
}

/** Clears spec.suspend and completes the suspend nodes the selector names (all of them by default). */
export function resumeWorkflow(wf: Workflow, nodeFieldSelector: string | undefined, now: Date): Workflow {
  requireRunning(wf, 'resume');
  const selector = parseNodeSelector(nodeFieldSelector);
  const { suspend: _suspend, ...spec } = wf.spec;
  const nodes = mapNodes(wf, (n) => (n.type === 'Suspend' && n.phase === 'Running' && selector.matches(n) ? { ...n, phase: 'Succeeded', finishedAt: isoSeconds(now) } : n));
  return { ...wf, spec, status: { ...wf.status, nodes } };
}

export function shutdownWorkflow(wf: Workflow, strategy: 'Stop' | 'Terminate'): Workflow {
  requireRunning(wf, strategy === 'Stop' ? 'stop' : 'terminate');
  return { ...wf, spec: { ...wf.spec, shutdown: strategy } };
}

export interface NodeSet {
  nodeFieldSelector: string;
  phase?: 'Succeeded' | 'Failed';
  message?: string;
  outputParameters?: Record<string, string>;
}

/** `argo node set`: a suspend node's phase, message and supplied output parameters. */
export function setNodes(wf: Workflow, set: NodeSet, now: Date): Workflow {
  requireRunning(wf, 'set nodes of');
  const selector = parseNodeSelector(set.nodeFieldSelector);
  let matched = 0;
  const nodes = mapNodes(wf, (n) => {
    if (!selector.matches(n)) return n;
    matched++;
    const next: NodeStatus = { ...n };
    if (set.message !== undefined) next.message = set.message;
    if (set.outputParameters) {
      const params: Parameter[] = [...(n.outputs?.parameters ?? [])];
      for (const [name, value] of Object.entries(set.outputParameters)) {
        const i = params.findIndex((p) => p.name === name);
        if (i >= 0) params[i] = { ...params[i], name, value };
        else params.push({ name, value });
      }
      next.outputs = { ...n.outputs, parameters: params };
    }
    if (set.phase && (n.phase === 'Running' || n.phase === 'Pending')) {
      next.phase = set.phase;
      next.finishedAt = isoSeconds(now);
    }
    return next;
  });
  if (matched === 0) throw new OperationError(`no node of workflow ${wf.metadata.name ?? ''} matches '${set.nodeFieldSelector}'`);
  return { ...wf, status: { ...wf.status, nodes } };
}

export interface RetryPlan {
  workflow: Workflow;
  /** Pods of the nodes removed for a re-run: the controller deletes them so they can be created again. */
  podsToDelete: string[];
}

const CONTAINERS = new Set(['Pod', 'Container', 'Suspend', 'Skipped', 'HTTP', 'Plugin']);

/**
 * `argo retry` (Argo's FormulateRetryWorkflow): failed leaves (and, with restartSuccessful, the
 * succeeded leaves the selector names) are removed with everything that hangs below them, failed
 * parents go back to Running, exit handlers run again, and the workflow is Running once more.
 */
export function retryWorkflow(wf: Workflow, opts: { restartSuccessful?: boolean; nodeFieldSelector?: string; parameters?: Map<string, string> }): RetryPlan {
  const phase = wf.status?.phase;
  if (phase !== 'Failed' && phase !== 'Error') throw new OperationError(`workflow ${wf.metadata.name ?? ''} must be Failed or Error to retry, it is ${phase ?? 'Pending'}`);
  const name = wf.metadata.name ?? '';
  const nodes = new Map(Object.entries(wf.status?.nodes ?? {}));
  const selector = parseNodeSelector(opts.nodeFieldSelector);
  const remove = new Set<string>();
  const removeWithDescendants = (id: string): void => {
    if (remove.has(id)) return;
    remove.add(id);
    for (const child of nodes.get(id)?.children ?? []) removeWithDescendants(child);
  };
  for (const node of nodes.values()) {
    const leaf = CONTAINERS.has(node.type);
    const failedLeaf = leaf && (isFailedOrError(node.phase) || node.phase === 'Omitted');
    const restart = leaf && node.phase === 'Succeeded' && opts.restartSuccessful === true && opts.nodeFieldSelector !== undefined && selector.matches(node);
    if (failedLeaf || restart || node.name.endsWith('.onExit')) removeWithDescendants(node.id);
  }
  // A failed Retry node would otherwise refuse to try again: its attempts start over.
  for (const node of nodes.values()) if (node.type === 'Retry' && isFailedOrError(node.phase)) for (const c of node.children ?? []) removeWithDescendants(c);
  const podsToDelete = [...remove].map((id) => nodes.get(id)).filter((n): n is NodeStatus => n?.type === 'Pod').map((n) => podName(name, n.name, n.templateName));
  const reopen = ancestorsOf(remove, nodes);
  for (const node of nodes.values()) if (!CONTAINERS.has(node.type) && isFailedOrError(node.phase)) reopen.add(node.id);
  const kept: Record<string, NodeStatus> = {};
  for (const [id, node] of nodes) {
    if (remove.has(id)) continue;
    let next: NodeStatus = { ...node, children: (node.children ?? []).filter((c) => !remove.has(c)) };
    if (node.outboundNodes) next.outboundNodes = node.outboundNodes.filter((c) => !remove.has(c));
    if (reopen.has(id)) {
      const { finishedAt: _f, message: _m, outputs: _o, outboundNodes: _ob, ...rest } = next;
      next = { ...rest, phase: 'Running' };
    }
    if (next.children?.length === 0) delete next.children;
    kept[id] = next;
  }
  const spec = { ...wf.spec };
  delete spec.shutdown;
  if (opts.parameters && opts.parameters.size > 0) spec.arguments = { ...spec.arguments, parameters: overrideParameters(spec.arguments?.parameters ?? [], opts.parameters) };
  const { finishedAt: _f, message: _m, ...status } = wf.status ?? {};
  const labels = { ...(wf.metadata.labels ?? {}) };
  delete labels['workflows.argoproj.io/completed'];
  labels['workflows.argoproj.io/phase'] = 'Running';
  return {
    workflow: { ...wf, metadata: { ...wf.metadata, labels }, spec, status: { ...status, phase: 'Running', nodes: kept } },
    podsToDelete,
  };
}

/** The structural parents (groups, steps, DAGs, retries) and boundaries above removed nodes, up to the root. */
function ancestorsOf(removed: Set<string>, nodes: Map<string, NodeStatus>): Set<string> {
  const structural = new Set(['StepGroup', 'Steps', 'DAG', 'TaskGroup', 'Retry']);
  const parents = new Map<string, string[]>();
  for (const node of nodes.values()) for (const c of node.children ?? []) parents.set(c, [...(parents.get(c) ?? []), node.id]);
  const out = new Set<string>();
  const stack = [...removed];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    const node = nodes.get(id);
    const ups = [...(parents.get(id) ?? []).filter((p) => structural.has(nodes.get(p)?.type ?? '')), ...(node?.boundaryID ? [node.boundaryID] : [])];
    for (const up of ups) {
      if (removed.has(up) || out.has(up) || !nodes.has(up)) continue;
      out.add(up);
      stack.push(up);
    }
  }
  return out;
}

/** `argo resubmit`: a new workflow with the same spec (and overridden parameters). */
export function resubmitWorkflow(wf: Workflow, parameters?: Map<string, string>): Workflow {
  const name = wf.metadata.name ?? '';
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(wf.metadata.labels ?? {})) {
    if (k === 'workflows.argoproj.io/completed' || k === 'workflows.argoproj.io/phase') continue;
    labels[k] = v;
  }
  labels['workflows.argoproj.io/resubmitted-from-workflow'] = name;
  const spec = structuredClone(wf.spec);
  delete spec.shutdown;
  delete spec.suspend;
  if (parameters && parameters.size > 0) spec.arguments = { ...spec.arguments, parameters: overrideParameters(spec.arguments?.parameters ?? [], parameters) };
  const metadata: Workflow['metadata'] = { generateName: wf.metadata.generateName ?? `${name}-`, labels };
  if (wf.metadata.namespace) metadata.namespace = wf.metadata.namespace;
  if (wf.metadata.annotations) metadata.annotations = { ...wf.metadata.annotations };
  return { apiVersion: wf.apiVersion, kind: 'Workflow', metadata, spec };
}

export function overrideParameters(list: Parameter[], values: Map<string, string>): Parameter[] {
  const out = list.map((p) => (values.has(p.name) ? { name: p.name, value: values.get(p.name) ?? '' } : p));
  for (const [name, value] of values) if (!out.some((p) => p.name === name)) out.push({ name, value });
  return out;
}

function mapNodes(wf: Workflow, fn: (n: NodeStatus) => NodeStatus): Record<string, NodeStatus> {
  const out: Record<string, NodeStatus> = {};
  for (const [id, n] of Object.entries(wf.status?.nodes ?? {})) out[id] = fn(n);
  return out;
}
