import type { ContainerSpec, PodObservation, PodSpec, PodVolume } from '../runtime/types.js';
import type { Container, NodeOutputs, NodeStatus, Parameter, Template, Volume } from '../spec/types.js';
import type { ExecRequest, Operation } from './context.js';
import { parseTime } from './context.js';
import { parseDuration } from './duration.js';
import { podName } from './ids.js';
import { daemonProbes, daemonReady, markDaemoned } from './daemon.js';
import { CONTAINER_DELETED, podContainers } from './invariants.js';
import { isFulfilled } from './phase.js';

/** Container and script templates: one pod with a `main` container (plus init containers and sidecars). */
export function executePod(op: Operation, req: ExecRequest, template: Template, templateName: string | undefined): NodeStatus {
  const pod = podOfNode(op, req, template, templateName);
  if ('done' in pod) return pod.done;
  const { name, node, observation } = pod;
  if (!observation) return requestPod(op, node, template, req, (timeout) => buildPodSpec(op, node, name, template, timeout), name).node;
  return applyObservation(op, node, observation, template);
}

/**
 * What every pod-running template does first: its Pod node (made if new), and the pod as far as
 * it is known, unless the node is already done or a halt or timeout just ended it (`done`).
 */
export function podOfNode(
  op: Operation,
  req: ExecRequest,
  template: Template,
  templateName: string | undefined,
): { done: NodeStatus } | { name: string; node: NodeStatus; observation: PodObservation | undefined } {
  const name = podName(op.name, req.nodeName, templateName);
  const existing = op.byName(req.nodeName);
  if (existing && isFulfilled(existing.phase)) return { done: existing };
  const node = existing ?? initPodNode(op, req, template, templateName);
  const observation = seenPod(op, node, name);
  const halted = haltPod(op, req, node, name, observation) ?? timeoutPending(op, node, name, template, observation);
  return halted ? { done: halted } : { name, node, observation };
}

/**
 * The pod as far as the engine should know it, or undefined when a pod is to be (re)created
 * (spec/containerset.md §2.2, I3). A node whose pod was seen running but of which nothing is known
 * any more (its record vanished while the controller was down) lost it: `pod deleted`. A pod
 * deleted before it ever ran is made again, consuming no retry (Argo re-creates a Pending node's pod).
 */
export function seenPod(op: Operation, node: NodeStatus, name: string): PodObservation | undefined {
  const observation = op.observed.get(name);
  if (!observation) return node.phase === 'Running' ? { name, phase: 'Gone', reason: 'lost', message: 'pod deleted', finishedAt: op.nowIso, containers: {} } : undefined;
  // Whether the pod ever ran is the observation's to say (startedAt): events folded into one
  // reconcile can take a pod from created to deleted without the node ever being seen Running.
  if (observation.phase === 'Gone' && observation.reason === 'deleted' && node.phase === 'Pending' && !everRan(observation) && !op.halt({})) return undefined;
  return observation;
}

function everRan(observation: PodObservation): boolean {
  return observation.startedAt !== undefined || Object.keys(observation.containers).length > 0;
}

/** A Pod node for a template about to run (Pending), with the inputs it runs with. */
export function initPodNode(op: Operation, req: ExecRequest, template: Template, templateName: string | undefined): NodeStatus {
  return op.initNode(req.nodeName, 'Pod', {
    displayName: req.displayName,
    boundaryId: req.boundaryId,
    templateName,
    ...(template.inputs && (template.inputs.parameters || template.inputs.artifacts) ? { inputs: template.inputs } : {}),
  });
}

/**
 * A shutdown or the workflow deadline ends a pod that has not finished: its pod is deleted, the
 * Pod node fails with the halt's message and so does every unfinished Container node of the pod,
 * nested ones included (Argo's handleExecutionControlError; #7635, #10491). Undefined: no halt.
 */
export function haltPod(op: Operation, req: ExecRequest, node: NodeStatus, name: string, observation: PodObservation | undefined): NodeStatus | undefined {
  const halt = op.halt(req);
  if (!halt || (observation && observation.phase !== 'Pending' && observation.phase !== 'Running')) return undefined;
  if (observation) op.actions.push({ type: 'deletePod', pod: name, reason: halt.running });
  const message = observation ? halt.running : halt.unstarted;
  const ended = op.update(node.id, { phase: 'Failed', message, ...(node.daemoned !== undefined ? { daemoned: undefined } : {}) });
  endPodContainers(op, node.id, 'Failed', message);
  return ended;
}

/**
 * `timeout` counts from the node's start, Pending time included, and `pendingTimeout` (v4.1) bounds
 * the time Pending: a pod node still Pending past either ends `Failed` `timeout` and its pod is
 * deleted (spec/containerset.md §3.4). Once the pod runs, `timeout` is its activeDeadlineSeconds.
 */
export function timeoutPending(op: Operation, node: NodeStatus, name: string, template: Template, observation: PodObservation | undefined): NodeStatus | undefined {
  if (node.phase !== 'Pending' || (observation && observation.phase !== 'Pending')) return undefined;
  const limits = [template.timeout, template.pendingTimeout].map((d) => (d ? parseDuration(String(d)) : undefined)).filter((ms): ms is number => ms !== undefined);
  if (limits.length === 0) return undefined;
  const at = (parseTime(node.startedAt) ?? op.now.getTime()) + Math.min(...limits);
  if (op.now.getTime() < at) {
    op.requeueIn(at - op.now.getTime());
    return undefined;
  }
  op.actions.push({ type: 'deletePod', pod: name, reason: 'timeout' });
  const ended = op.update(node.id, { phase: 'Failed', message: 'timeout' });
  endPodContainers(op, node.id, 'Failed', 'timeout');
  return ended;
}

/**
 * Asks for the pod unless the workflow holds new pods back (suspended, spec.parallelism) or the
 * template's time is already up. `requested` says whether a createPod action was issued.
 */
export function requestPod(
  op: Operation,
  node: NodeStatus,
  template: Template,
  req: ExecRequest,
  build: (deadlineSeconds: number | undefined) => PodSpec,
  name?: string,
): { node: NodeStatus; requested: boolean } {
  // A suspended workflow starts nothing new; resuming it enqueues a reconcile that does.
  if (op.workflow.spec.suspend) return { node, requested: false };
  const limit = op.workflow.spec.parallelism;
  if (limit !== undefined && limit > 0 && op.activePods >= limit && !req.onExit) {
    op.requeueIn(1000);
    return { node, requested: false };
  }
  const timeout = deadlineOf(op, node, template, req);
  if (timeout !== undefined && timeout <= 0) return { node: op.mark(node.id, 'Failed', 'Step exceeded its deadline'), requested: false };
  op.activePods++;
  // Created and not reported yet: the controller would skip the create (the pod is the same).
  if (name !== undefined && op.requested?.has(name) && !op.observed.has(name)) return { node, requested: true };
  op.actions.push({ type: 'createPod', pod: build(timeout) });
  return { node, requested: true };
}

/** Seconds left before the template's timeout or activeDeadlineSeconds ends the pod, counted from node start. */
function deadlineOf(op: Operation, node: NodeStatus, template: Template, req: ExecRequest): number | undefined {
  const limits: number[] = [];
  if (req.deadlineAt !== undefined) limits.push((req.deadlineAt - op.now.getTime()) / 1000);
  const ads = template.activeDeadlineSeconds;
  if (ads !== undefined && ads !== '') limits.push(Number(ads));
  if (template.timeout) {
    const ms = parseDuration(template.timeout);
    if (ms !== undefined) {
      const started = parseTime(node.startedAt) ?? op.now.getTime();
      limits.push((started + ms - op.now.getTime()) / 1000);
    }
  }
  const finite = limits.filter((n) => Number.isFinite(n));
  return finite.length > 0 ? Math.min(...finite) : undefined;
}

function applyObservation(op: Operation, node: NodeStatus, obs: PodObservation, template: Template): NodeStatus {
  switch (obs.phase) {
    case 'Pending':
      op.activePods++;
      return node;
    case 'Running': {
      op.activePods++;
      const running = markPodRunning(op, node);
      // A daemon is done for its dependents once it runs and is ready (Argo: daemoned).
      if (template.daemon && running.daemoned !== true && daemonReady(template, obs)) return markDaemoned(op, running.id);
      return running;
    }
    case 'Gone':
      return podGone(op, node, obs);
    case 'Succeeded':
    case 'Failed':
      return complete(op, node, obs, template);
  }
}

export function markPodRunning(op: Operation, node: NodeStatus): NodeStatus {
  return node.phase === 'Pending' ? op.update(node.id, { phase: 'Running', hostNodeName: 'localhost', podIP: '127.0.0.1' }) : node;
}

/** Argo's message on a Container node that was running when its pod failed (v3.7, #14495). */
export const POD_FAILED_WHILST_RUNNING = 'Pod Failed whilst container running';

/**
 * The pod went away without its containers' exit states (deleted, node lost, its deadline): the
 * Pod node ends `Error` `pod deleted` (a deadline: `Failed` with the kubelet's message), and so does
 * every Container node of the pod, transitively: an abrupt loss makes them all `Error`
 * `container deleted`, those that had finished included (Argo, spec/containerset.md §6.3 and
 * PD-01); a deadline ends the unfinished ones `Pod Failed whilst container running`.
 */
export function podGone(op: Operation, node: NodeStatus, obs: PodObservation): NodeStatus {
  const deadline = obs.message?.includes('deadline') === true;
  const ended = op.update(node.id, {
    phase: deadline ? 'Failed' : 'Error',
    message: obs.message ?? 'pod deleted',
    ...(obs.finishedAt ? { finishedAt: obs.finishedAt } : {}),
    ...(node.daemoned !== undefined ? { daemoned: undefined } : {}),
  });
  if (deadline) endPodContainers(op, node.id, 'Failed', POD_FAILED_WHILST_RUNNING);
  else for (const container of podContainers(op.nodes, node.id)) op.overrideContainer(container.id, { phase: 'Error', message: CONTAINER_DELETED });
  return ended;
}

/** Ends every unfinished Container node of the pod node (members by boundary, nested ones included). */
export function endPodContainers(op: Operation, podNodeId: string, phase: 'Failed' | 'Error', message: string): void {
  for (const container of podContainers(op.nodes, podNodeId)) {
    if (!isFulfilled(container.phase)) op.update(container.id, { phase, message });
  }
}

function complete(op: Operation, node: NodeStatus, obs: PodObservation, template: Template): NodeStatus {
  const main = obs.containers.main;
  const collected = mainOutputs(template, main, obs.phase === 'Succeeded' ? 'Succeeded' : 'Failed');
  let phase = collected.phase;
  let message = collected.message;
  if (obs.phase === 'Failed') {
    const failed = firstFailure(template, obs);
    const exitCode = main && main.state === 'terminated' ? main.exitCode : undefined;
    const code = failed ? failed.exitCode : exitCode;
    // A message on the pod itself wins (Argo's inferFailedReason: eviction, graceful deletion).
    message = obs.message ?? failed?.reason ?? (code !== undefined ? `Error (exit code ${code})` : 'Error');
    phase = 'Failed';
  }
  const patch: Partial<NodeStatus> = { phase, outputs: collected.outputs };
  if (message !== undefined) patch.message = message;
  if (obs.finishedAt) patch.finishedAt = obs.finishedAt;
  if (!node.hostNodeName) patch.hostNodeName = 'localhost';
  // A daemon that ended on its own is no longer one (Argo clears daemoned).
  if (node.daemoned !== undefined) patch.daemoned = undefined;
  const done = op.update(node.id, patch);
  endPodContainers(op, node.id, 'Failed', POD_FAILED_WHILST_RUNNING);
  return done;
}

type ObservedContainer = PodObservation['containers'][string];

/**
 * Argo's inferFailedReason order: the init containers, then `main`, then the sidecars, whose 137
 * or 143 is the kill that ends them when main is done, not a failure.
 */
function firstFailure(template: Template, obs: PodObservation): { exitCode: number; reason?: string } | undefined {
  const failedExit = (name: string): { exitCode: number; reason?: string } | undefined => {
    const c = obs.containers[name];
    return c?.state === 'terminated' && c.exitCode !== 0 ? c : undefined;
  };
  for (const init of template.initContainers ?? []) {
    const f = failedExit(init.name);
    if (f) return f;
  }
  const main = failedExit('main');
  if (main) return main;
  for (const sidecar of template.sidecars ?? []) {
    const f = failedExit(sidecar.name);
    if (f && f.exitCode !== 137 && f.exitCode !== 143) return f;
  }
  return undefined;
}

/**
 * A template's outputs from its `main` container: exitCode, result (stdout) and output parameters
 * read from files. A missing output parameter turns a success into `Error` (Argo's message).
 */
export function mainOutputs(
  template: Template,
  main: ObservedContainer | undefined,
  phase: 'Succeeded' | 'Failed',
): { outputs: NodeOutputs; phase: 'Succeeded' | 'Failed' | 'Error'; message?: string } {
  const outputs: NodeOutputs = {};
  let outcome: 'Succeeded' | 'Failed' | 'Error' = phase;
  let message: string | undefined;
  if (main && main.state === 'terminated') outputs.exitCode = String(main.exitCode);
  if (main?.result !== undefined) outputs.result = main.result;
  const parameters: Parameter[] = [];
  for (const p of template.outputs?.parameters ?? []) {
    const value = outputParameter(p, main?.outputs);
    if (value === undefined) {
      if (outcome === 'Succeeded') {
        outcome = 'Error';
        message = `failed to read output parameter '${p.name}': ${p.valueFrom?.path ?? 'no value'}: no such file or directory`;
      }
      continue;
    }
    const out: Parameter = { name: p.name, value };
    if (p.globalName) out.globalName = p.globalName;
    if (p.valueFrom) out.valueFrom = p.valueFrom;
    parameters.push(out);
  }
  if (parameters.length > 0) outputs.parameters = parameters;
  return message === undefined ? { outputs, phase: outcome } : { outputs, phase: outcome, message };
}

function outputParameter(p: Parameter, files: Record<string, string> | undefined): string | undefined {
  if (p.valueFrom?.path) return files?.[p.name] ?? p.valueFrom.default;
  if (p.value !== undefined) return p.value;
  return p.valueFrom?.default;
}

/** The `main` container of a container or script template, with what it must report back. */
function buildPodSpec(op: Operation, node: NodeStatus, name: string, template: Template, deadline: number | undefined): PodSpec {
  const main = (template.script ?? template.container ?? {}) as Container & { source?: string };
  const mainSpec = containerSpec(main, 'main', 'main');
  if (template.script) mainSpec.script = template.script.source;
  reportOutputs(mainSpec, template);
  const pod = assemblePodSpec(op, node, name, template, deadline, [mainSpec]);
  // Readiness matters only to daemons: the runtime probes their containers and reports when they pass.
  const probes = daemonProbes(template);
  for (const c of pod.containers) {
    const probe = c.role === 'init' ? undefined : probes.get(c.name);
    if (probe) c.readinessProbe = probe;
  }
  return pod;
}

/** Output parameter files and stdout, reported when the container exits (for `main`). */
export function reportOutputs(spec: ContainerSpec, template: Template): void {
  const outputFiles: Record<string, string> = {};
  for (const p of template.outputs?.parameters ?? []) if (p.valueFrom?.path) outputFiles[p.name] = p.valueFrom.path;
  if (Object.keys(outputFiles).length > 0) spec.outputFiles = outputFiles;
  spec.captureResult = true;
}

/**
 * The pod around the template's main containers: its init containers first, its sidecars after
 * (`mirrorVolumeMounts` copies the mounts of `main`, or of the first main container), its volumes
 * and raw input artifacts, and the deadline.
 */
export function assemblePodSpec(op: Operation, node: NodeStatus, name: string, template: Template, deadline: number | undefined, mains: ContainerSpec[]): PodSpec {
  const volumes = podVolumes(op, template);
  const containers: ContainerSpec[] = [];
  for (const init of template.initContainers ?? []) containers.push(containerSpec(init, init.name, 'init'));
  containers.push(...mains);
  const mirrored = mains.find((c) => c.name === 'main') ?? mains[0];
  for (const sidecar of template.sidecars ?? []) {
    const spec = containerSpec(sidecar, sidecar.name, 'sidecar');
    if (sidecar.mirrorVolumeMounts && mirrored) spec.volumeMounts = [...spec.volumeMounts, ...mirrored.volumeMounts];
    containers.push(spec);
  }
  const files: Record<string, string> = {};
  for (const a of template.inputs?.artifacts ?? []) if (a.raw && a.path) files[a.path] = a.raw.data;
  const spec: PodSpec = {
    name,
    namespace: op.workflow.metadata.namespace ?? op.config.namespace,
    workflowName: op.name,
    nodeId: node.id,
    volumes,
    containers,
  };
  if (Object.keys(files).length > 0) spec.files = files;
  if (deadline !== undefined) spec.activeDeadlineSeconds = Math.max(1, Math.ceil(deadline));
  return spec;
}

export function containerSpec(c: Container, name: string, role: ContainerSpec['role']): ContainerSpec {
  const spec: ContainerSpec = {
    name,
    role,
    env: (c.env ?? []).filter((e) => e.value !== undefined || e.valueFrom === undefined).map((e) => ({ name: e.name, value: e.value ?? '' })),
    volumeMounts: (c.volumeMounts ?? []).map((m) => ({ ...m })),
  };
  if (c.image) spec.image = c.image;
  if (c.command) spec.command = c.command.map(String);
  if (c.args) spec.args = c.args.map(String);
  if (c.workingDir) spec.workingDir = c.workingDir;
  return spec;
}

function podVolumes(op: Operation, template: Template): PodVolume[] {
  const out: PodVolume[] = [];
  const seen = new Set<string>();
  const add = (v: Volume): void => {
    if (seen.has(v.name)) return;
    seen.add(v.name);
    if (v.persistentVolumeClaim) out.push({ name: v.name, source: { kind: 'persistent', key: v.persistentVolumeClaim.claimName } });
    else if (v.hostPath) out.push({ name: v.name, source: { kind: 'hostPath', path: v.hostPath.path } });
    else if (v.configMap || v.secret) out.push({ name: v.name, source: { kind: 'files', files: {} } });
    else out.push({ name: v.name, source: { kind: 'emptyDir' } });
  };
  for (const v of template.volumes ?? []) add(v);
  for (const v of op.workflow.spec.volumes ?? []) add(v);
  for (const claim of op.workflow.spec.volumeClaimTemplates ?? []) {
    const claimName = claim.metadata.name ?? 'claim';
    if (seen.has(claimName)) continue;
    seen.add(claimName);
    out.push({ name: claimName, source: { kind: 'persistent', key: `${op.name}-${claimName}` } });
  }
  return out;
}
