import type { NodeStatus, Parameter, Workflow, WorkflowPhase, WorkflowSpec, WorkflowStatus } from '../spec/types.js';
import { isoSeconds, NodeError, Operation, parseTime } from './context.js';
import { isDaemoned, killDaemons } from './daemon.js';
import { effectiveSpec } from './workflow-template-ref.js';
import { executeTemplate } from './execute.js';
import { acquireWorkflowLocks, releaseFinishedHolders } from './locks.js';
import { runLifecycleHooks } from './hooks.js';
import { isFailedOrError, isFulfilled, isWorkflowFinished, workflowPhaseOf } from './phase.js';
import { workflowScope } from './templates.js';
import type { ReconcileInput, ReconcileResult } from './types.js';
import { globalVars } from './vars.js';

/**
 * One level-triggered pass over a workflow: walk from the entry template, start what is ready, fold
 * in what the pods did, and derive every phase. Pure: the same input gives the same output.
 */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const stored = input.workflow;
  if (isWorkflowFinished(stored.status?.phase)) return { workflow: stored, actions: [], changedNodes: [] };
  let spec: WorkflowSpec;
  try {
    spec = effectiveSpec(stored, input.templates, input.config.namespace);
  } catch (err) {
    if (!(err instanceof NodeError)) throw err;
    const now = isoSeconds(input.now);
    const status: WorkflowStatus = { ...stored.status, phase: 'Error', message: err.message, startedAt: stored.status?.startedAt ?? now, finishedAt: now, nodes: stored.status?.nodes ?? {} };
    return { workflow: { ...stored, status }, actions: [], changedNodes: [] };
  }
  // The engine runs the effective spec; the stored workflow keeps its own (with the ref).
  const wf: Workflow = spec === stored.spec ? stored : { ...stored, spec };
  const name = wf.metadata.name ?? '';
  const globals = globalVars(wf, input.config.namespace);
  addGlobalOutputs(globals, wf.status?.nodes);
  const op = new Operation(wf, input.observed, input.now, input.config, input.templates, globals);
  op.storedSpec = stored.spec === spec ? undefined : { own: stored.spec, effective: spec };
  op.execute = executeTemplate;
  op.locks = input.locks;
  op.requested = input.requested;
  const gate = acquireWorkflowLocks(op);
  if (gate && 'pending' in gate) return waitForLocks(op, wf, gate.pending);
  if (gate) return finish(op, wf, wf.status?.startedAt ?? op.nowIso, 'Failed', gate.failed);
  const startedAt = wf.status?.startedAt ?? op.nowIso;
  globals['workflow.duration'] = String(Math.max(0, (input.now.getTime() - (parseTime(startedAt) ?? input.now.getTime())) / 1000));

  const deadlineSeconds = wf.spec.activeDeadlineSeconds;
  if (deadlineSeconds !== undefined && deadlineSeconds !== null) {
    // Argo counts from status.startedAt truncated to the second; 0 ends a running workflow at once.
    const at = (parseTime(startedAt) ?? input.now.getTime()) + Number(deadlineSeconds) * 1000;
    op.deadline = { exceeded: input.now.getTime() >= at, at: isoSeconds(new Date(at)) };
    if (!op.deadline.exceeded) op.requeueIn(at - input.now.getTime());
  }
  if (!wf.spec.entrypoint) return finish(op, wf, startedAt, 'Error', 'spec.entrypoint is required');
  const root = executeTemplate(op, {
    nodeName: name,
    holder: { template: wf.spec.entrypoint },
    args: wf.spec.arguments ?? {},
    boundaryId: '',
    scope: workflowScope(op),
  });
  let rootNode = op.get(root.id) ?? root;
  // An entrypoint that is itself a daemon is done once ready; nothing outlives the workflow.
  if (!isFulfilled(rootNode.phase) && isDaemoned(rootNode)) {
    killDaemons(op, undefined);
    rootNode = op.get(root.id) ?? rootNode;
  }
  // Workflow-level lifecycle hooks see the workflow Running while its entry runs, then its outcome.
  const hookPhase = isFulfilled(rootNode.phase) ? workflowPhaseOf(rootNode.phase) : 'Running';
  const hooksRunning = runLifecycleHooks(op, wf.spec.hooks, rootNode, { ...globals, 'workflow.status': hookPhase }, '', workflowScope(op));
  rootNode = op.get(root.id) ?? rootNode;
  if (!isFulfilled(rootNode.phase) || hooksRunning) return finish(op, wf, startedAt, 'Running', rootNode.message);

  const entryPhase = workflowPhaseOf(rootNode.phase);
  const exitTemplate = wf.spec.hooks?.exit?.template ?? wf.spec.onExit;
  const exitStarted = op.byName(`${name}.onExit`) !== undefined;
  if (exitTemplate && (wf.spec.shutdown !== 'Terminate' || exitStarted)) {
    globals['workflow.status'] = entryPhase;
    globals['workflow.failures'] = failuresJson([...op.nodes.values()]);
    addGlobalOutputs(globals, Object.fromEntries(op.nodes));
    const exitNode = executeTemplate(op, {
      nodeName: `${name}.onExit`,
      holder: { template: exitTemplate },
      args: wf.spec.hooks?.exit?.arguments ?? {},
      boundaryId: '',
      scope: workflowScope(op),
      displayName: `${name}.onExit`,
      onExit: true,
      exempt: true,
    });
    const exitNow = op.get(exitNode.id) ?? exitNode;
    if (!exitNow.nodeFlag?.hooked) op.update(exitNow.id, { nodeFlag: { ...(exitNow.nodeFlag ?? {}), hooked: true } });
    if (!isFulfilled(exitNow.phase)) return finish(op, wf, startedAt, 'Running', rootNode.message);
    if (entryPhase === 'Succeeded' && isFailedOrError(exitNow.phase)) {
      return finish(op, wf, startedAt, workflowPhaseOf(exitNow.phase), exitNow.message);
    }
  }
  if (wf.spec.shutdown && entryPhase !== 'Succeeded') return finish(op, wf, startedAt, 'Failed', `Stopped with strategy '${wf.spec.shutdown}'`);
  return finish(op, wf, startedAt, entryPhase, entryPhase === 'Succeeded' ? undefined : rootNode.message);
}

/** Workflow-level locks not all free: Pending, no nodes, no pods, the waiting message (Argo). */
function waitForLocks(op: Operation, wf: Workflow, message: string): ReconcileResult {
  const status: WorkflowStatus = { ...(wf.status ?? {}), phase: wf.status?.phase === 'Running' ? 'Running' : 'Pending', message, nodes: Object.fromEntries(op.nodes) };
  setSynchronization(status, op.sync.result());
  const workflow: Workflow = op.storedSpec ? { ...wf, spec: op.storedSpec.own, status } : { ...wf, status };
  return { workflow, actions: op.actions, changedNodes: [...op.changed] };
}

function setSynchronization(status: WorkflowStatus, sync: WorkflowStatus['synchronization']): void {
  if (sync) status.synchronization = sync;
  else delete status.synchronization;
}

function finish(op: Operation, wf: Workflow, startedAt: string, phase: WorkflowPhase, message: string | undefined): ReconcileResult {
  // Argo's markWorkflowPhase: a workflow does not complete with daemons alive; they are killed.
  if (isWorkflowFinished(phase)) killDaemons(op, undefined);
  releaseFinishedHolders(op);
  const nodes = Object.fromEntries(op.nodes);
  const status: WorkflowStatus = { ...(wf.status ?? {}), phase, startedAt, nodes };
  // A finished workflow holds and waits for nothing: its locks go in the write that ends it.
  setSynchronization(status, isWorkflowFinished(phase) ? undefined : op.sync.result());
  if (message) status.message = message;
  else delete status.message;
  if (isWorkflowFinished(phase)) status.finishedAt = op.nowIso;
  const outputs = globalOutputs(nodes);
  if (outputs.length > 0) status.outputs = { parameters: outputs };
  status.progress = progress(nodes);
  if (op.storedSpec) status.storedWorkflowTemplateSpec = op.storedSpec.effective;
  const workflow: Workflow = op.storedSpec ? { ...wf, spec: op.storedSpec.own, status } : { ...wf, status };
  const result: ReconcileResult = { workflow, actions: op.actions, changedNodes: [...op.changed] };
  if (op.requeueAfterMs !== undefined && !isWorkflowFinished(phase)) result.requeueAfterMs = op.requeueAfterMs;
  return result;
}

/**
 * Parameters exported with `globalName`, newest wins (Argo: later nodes overwrite). Only the few
 * nodes that export one are sorted: sorting every node on every reconcile cost n log n per pass.
 */
function globalOutputs(nodes: Record<string, NodeStatus>): Parameter[] {
  const exporting: NodeStatus[] = [];
  for (const id in nodes) {
    const node = nodes[id];
    if (node?.phase === 'Succeeded' && node.outputs?.parameters?.some((p) => p.globalName)) exporting.push(node);
  }
  if (exporting.length === 0) return [];
  const byName = new Map<string, Parameter>();
  // A stable sort of the exporters keeps their relative order, as the sort of all nodes did.
  exporting.sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  for (const node of exporting) {
    for (const p of node.outputs?.parameters ?? []) {
      if (p.globalName && p.value !== undefined) byName.set(p.globalName, { name: p.globalName, value: p.value });
    }
  }
  return [...byName.values()];
}

function addGlobalOutputs(globals: Record<string, string>, nodes: Record<string, NodeStatus> | undefined): void {
  for (const p of globalOutputs(nodes ?? {})) if (p.value !== undefined) globals[`workflow.outputs.parameters.${p.name}`] = p.value;
}

/** {{workflow.failures}}: every Failed or Error node, JSON-encoded (Argo's shape). */
function failuresJson(nodes: NodeStatus[]): string {
  const failed = nodes
    .filter((n) => isFailedOrError(n.phase) && (n.type === 'Pod' || n.type === 'Container' || n.type === 'Skipped'))
    .map((n) => ({
      displayName: n.displayName,
      message: n.message ?? '',
      templateName: n.templateName ?? '',
      phase: n.phase,
      podName: n.type === 'Pod' ? n.id : '',
      finishedAt: n.finishedAt ?? '',
    }));
  return failed.length === 0 ? 'null' : JSON.stringify(failed);
}

function progress(nodes: Record<string, NodeStatus>): string {
  let pods = 0;
  let done = 0;
  for (const id in nodes) {
    const node = nodes[id];
    if (node?.type !== 'Pod') continue;
    pods++;
    if (node.phase === 'Succeeded' || node.phase === 'Skipped') done++;
  }
  return `${done}/${pods}`;
}
