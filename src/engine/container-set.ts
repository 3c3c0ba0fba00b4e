// ContainerSet templates (spec/containerset.md §1): one pod runs every container of the set, each
// once the containers it depends on exited 0. The node tree is Argo's: one Pod node, one Container
// node per container (`<node>.<container>`, boundary = the Pod node), the containers without
// dependencies children of the Pod node and the others children of each container they depend on.
// Container nodes follow the pod's per-container states; the template's inputs and outputs are
// those of the container named `main`.
//
// `containerSet.retryStrategy` (retries, duration) re-runs a failed container inside the same pod,
// as Argo's emissary does: the runtime does it (ContainerSpec.retry), the node tree does not change.
import type { ContainerSpec, PodObservation } from '../runtime/types.js';
import type { ContainerNode, NodeStatus, Template } from '../spec/types.js';
import { NodeError, type ExecRequest, type Operation } from './context.js';
import { parseDuration } from './duration.js';
import { isFulfilled } from './phase.js';
import {
  POD_FAILED_WHILST_RUNNING,
  assemblePodSpec,
  containerSpec,
  mainOutputs,
  markPodRunning,
  podGone,
  podOfNode,
  reportOutputs,
  requestPod,
} from './pod.js';

type ObservedContainer = PodObservation['containers'][string];

export function executeContainerSet(op: Operation, req: ExecRequest, template: Template, templateName: string | undefined): NodeStatus {
  const set = template.containerSet;
  const containers = set?.containers ?? [];
  if (containers.length === 0) throw new NodeError(`templates.${template.name}.containerSet.containers must have at least one container`);
  const pod = podOfNode(op, req, template, templateName);
  if ('done' in pod) return pod.done;
  const { name, node, observation } = pod;
  if (!observation) {
    const asked = requestPod(op, node, template, req, (timeout) => assemblePodSpec(op, node, name, template, timeout, setContainerSpecs(template)), name);
    // Argo creates the Container nodes once the pod is created, never for a pod not asked for.
    if (asked.requested) initContainerNodes(op, req, node, containers, templateName);
    return op.get(node.id) ?? asked.node;
  }
  initContainerNodes(op, req, node, containers, templateName);
  return applyObservation(op, req, node, observation, template);
}

/** The set's containers as the runtime runs them: all of them main containers (fail-fast, outputs of `main`). */
function setContainerSpecs(template: Template): ContainerSpec[] {
  const set = template.containerSet;
  const shared = set?.volumeMounts ?? [];
  const retry = inPodRetry(set?.retryStrategy);
  return (set?.containers ?? []).map((c) => {
    const spec = containerSpec({ ...c, volumeMounts: [...(c.volumeMounts ?? []), ...shared] }, c.name, 'main');
    if (c.dependencies && c.dependencies.length > 0) spec.dependencies = [...c.dependencies];
    if (retry) spec.retry = retry;
    if (c.name === 'main') reportOutputs(spec, template);
    return spec;
  });
}

/**
 * `containerSet.retryStrategy`: `retries: N` gives N executions of a failing container, as Argo's
 * code and e2e tests do (the docs say N+1); 0 counts as 1. `duration` is the constant delay
 * between executions (a bare number is seconds).
 */
export function inPodRetry(strategy: { retries?: number | string; duration?: string } | undefined): ContainerSpec['retry'] | undefined {
  if (!strategy) return undefined;
  const raw = strategy.retries;
  const n = raw === undefined || raw === '' ? 1 : Number(typeof raw === 'string' ? raw.trim() : raw);
  if (!Number.isInteger(n) || n < 0) throw new NodeError(`containerSet.retryStrategy.retries: '${String(raw)}' is not a whole number`);
  const delayMs = strategy.duration === undefined || strategy.duration === '' ? 0 : parseDuration(strategy.duration);
  if (delayMs === undefined) throw new NodeError(`containerSet.retryStrategy.duration: '${strategy.duration}' is not a duration`);
  if (delayMs < 0) throw new NodeError('containerSet.retryStrategy.duration: duration has to be positive');
  const executions = Math.max(1, n);
  return executions > 1 ? { executions, delayMs } : undefined;
}

/** One Container node per container, Pending, with Argo's edges (§1.5). Idempotent. */
function initContainerNodes(op: Operation, req: ExecRequest, podNode: NodeStatus, containers: ContainerNode[], templateName: string | undefined): void {
  const ids = new Map<string, string>();
  for (const c of containers) {
    const nodeName = `${req.nodeName}.${c.name}`;
    const existing = op.byName(nodeName);
    const node =
      existing ??
      op.initNode(nodeName, 'Container', {
        displayName: c.name,
        boundaryId: podNode.id,
        ...(templateName ? { templateName } : {}),
      });
    ids.set(c.name, node.id);
  }
  for (const c of containers) {
    const id = ids.get(c.name);
    if (!id) continue;
    const deps = c.dependencies ?? [];
    if (deps.length === 0) op.addChild(podNode.id, id);
    for (const d of deps) {
      const parent = ids.get(d);
      if (parent) op.addChild(parent, id);
    }
  }
}

function applyObservation(op: Operation, req: ExecRequest, node: NodeStatus, obs: PodObservation, template: Template): NodeStatus {
  const containers = template.containerSet?.containers ?? [];
  switch (obs.phase) {
    case 'Pending':
      op.activePods++;
      return node;
    case 'Running': {
      op.activePods++;
      const running = markPodRunning(op, node);
      // Once the init containers are done every container of the set exists; one waiting for its
      // dependencies is reported Running, as Argo does (its emissary is running).
      const initDone = (template.initContainers ?? []).every((c) => obs.containers[c.name]?.state === 'terminated');
      for (const c of containers) applyContainerState(op, req, c.name, obs.containers[c.name], initDone ? 'Running' : 'Pending');
      return running;
    }
    case 'Gone':
      // What the containers reported before the pod went stays; podGone ends the rest.
      for (const c of containers) {
        const state = obs.containers[c.name];
        if (state?.state === 'terminated') applyContainerState(op, req, c.name, state, 'Running');
      }
      return podGone(op, node, obs);
    case 'Succeeded':
    case 'Failed':
      return complete(op, req, node, obs, template);
  }
}

/** A Container node from its container's state; `unstarted` for a container not running yet. */
function applyContainerState(op: Operation, req: ExecRequest, container: string, state: ObservedContainer | undefined, unstarted: 'Pending' | 'Running'): void {
  const node = op.byName(`${req.nodeName}.${container}`);
  if (!node || isFulfilled(node.phase)) return;
  if (!state || state.state === 'waiting') {
    if (node.phase !== unstarted && unstarted === 'Running') op.update(node.id, { phase: 'Running' });
    return;
  }
  if (state.state === 'running') {
    if (node.phase !== 'Running') op.update(node.id, { phase: 'Running' });
    return;
  }
  const patch: Partial<NodeStatus> = { finishedAt: state.finishedAt };
  if (state.startedAt && node.phase === 'Pending') patch.startedAt = state.startedAt;
  if (state.exitCode === 0) op.update(node.id, { ...patch, phase: 'Succeeded' });
  else op.update(node.id, { ...patch, phase: emissaryError(state) ? 'Error' : 'Failed', message: containerMessage(container, state) });
}

/** Argo's Container node message: `<c>: <Reason> (exit code N): <termination message>` (the trailing ": " kept when empty). */
function containerMessage(container: string, state: Extract<ObservedContainer, { state: 'terminated' }>): string {
  return `${container}: Error (exit code ${state.exitCode}): ${state.reason ?? ''}`;
}

/** The container never ran its command (emissary's exit 64: not found, cannot start): `Error`, not `Failed`. */
function emissaryError(state: Extract<ObservedContainer, { state: 'terminated' }>): boolean {
  if (state.exitCode === 64) return true;
  const reason = state.reason ?? '';
  return reason.startsWith('cannot start') || reason.startsWith('command not found') || reason === 'no command';
}

function complete(op: Operation, req: ExecRequest, node: NodeStatus, obs: PodObservation, template: Template): NodeStatus {
  const containers = template.containerSet?.containers ?? [];
  for (const c of containers) applyContainerState(op, req, c.name, obs.containers[c.name], 'Running');
  const main = containers.some((c) => c.name === 'main') ? obs.containers.main : undefined;
  const collected = mainOutputs(template, main, obs.phase === 'Succeeded' ? 'Succeeded' : 'Failed');
  let phase = collected.phase;
  let message = collected.message;
  if (obs.phase === 'Failed') {
    phase = 'Failed';
    message = obs.message ?? failureReason(template, obs);
  }
  const patch: Partial<NodeStatus> = { phase, outputs: collected.outputs };
  if (message !== undefined) patch.message = message;
  if (obs.finishedAt) patch.finishedAt = obs.finishedAt;
  if (!node.hostNodeName) patch.hostNodeName = 'localhost';
  const done = op.update(node.id, patch);
  // A pod that failed with containers not terminated (an init container failed): they fail too.
  for (const c of containers) {
    const member = op.byName(`${req.nodeName}.${c.name}`);
    if (member && !isFulfilled(member.phase)) op.update(member.id, { phase: 'Failed', message: POD_FAILED_WHILST_RUNNING });
  }
  return done;
}

/**
 * Argo's inferFailedReason for a failed pod without a message: the first non-zero exit among the
 * init containers, then the set's containers, then the sidecars (a sidecar's 137 or 143 is its
 * clean-up, ignored). Among the set the earliest failure wins, and one the pod caused (fail-fast
 * kill, dependency never met) counts after one the command itself made.
 */
function failureReason(template: Template, obs: PodObservation): string {
  const terminated = (name: string): Extract<ObservedContainer, { state: 'terminated' }> | undefined => {
    const state = obs.containers[name];
    return state?.state === 'terminated' && state.exitCode !== 0 ? state : undefined;
  };
  const describe = (name: string, state: Extract<ObservedContainer, { state: 'terminated' }>): string =>
    `${name}: Error (exit code ${state.exitCode})${state.reason ? `: ${state.reason}` : ''}`;
  for (const c of template.initContainers ?? []) {
    const state = terminated(c.name);
    if (state) return describe(c.name, state);
  }
  const consequence = (state: Extract<ObservedContainer, { state: 'terminated' }>): number =>
    state.reason === 'killed' || state.reason?.startsWith('dependency ') || state.reason?.startsWith('container ') || state.reason === 'pod deleted' ? 1 : 0;
  const failures = (template.containerSet?.containers ?? [])
    .map((c, index) => ({ name: c.name, index, state: terminated(c.name) }))
    .filter((f): f is { name: string; index: number; state: Extract<ObservedContainer, { state: 'terminated' }> } => f.state !== undefined)
    .sort((a, b) => a.state.finishedAt.localeCompare(b.state.finishedAt) || consequence(a.state) - consequence(b.state) || a.index - b.index);
  const first = failures[0];
  if (first) return describe(first.name, first.state);
  for (const c of template.sidecars ?? []) {
    const state = terminated(c.name);
    if (state && state.exitCode !== 137 && state.exitCode !== 143) return describe(c.name, state);
  }
  return 'Error';
}
