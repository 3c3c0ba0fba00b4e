import type { ContainerSpec, PodObservation, PodSpec, PodVolume } from '../runtime/types.js';
import type { Container, NodeOutputs, NodeStatus, Parameter, Template, Volume } from '../spec/types.js';
import type { ExecRequest, Operation } from './context.js';
import { parseTime } from './context.js';
import { parseDuration } from './duration.js';
import { podName } from './ids.js';
import { isFulfilled } from './phase.js';

/** Container and script templates: one pod with a `main` container (plus init containers and sidecars). */
export function executePod(op: Operation, req: ExecRequest, template: Template, templateName: string | undefined): NodeStatus {
  const name = podName(op.name, req.nodeName, templateName);
  let node = op.byName(req.nodeName);
  if (node && isFulfilled(node.phase)) return node;
  if (!node) {
    node = op.initNode(req.nodeName, 'Pod', {
      displayName: req.displayName,
      boundaryId: req.boundaryId,
      templateName,
      ...(template.inputs && (template.inputs.parameters || template.inputs.artifacts) ? { inputs: template.inputs } : {}),
    });
  }
  const observation = op.observed.get(name);
  const halt = op.halt(req);
  if (halt && (!observation || observation.phase === 'Pending' || observation.phase === 'Running')) {
    if (observation) op.actions.push({ type: 'deletePod', pod: name, reason: halt.running });
    return op.mark(node.id, 'Failed', observation ? halt.running : halt.unstarted);
  }
  if (!observation) return requestPod(op, node, name, template, req);
  return applyObservation(op, node, observation, template);
}

function requestPod(op: Operation, node: NodeStatus, name: string, template: Template, req: ExecRequest): NodeStatus {
  // A suspended workflow starts nothing new; resuming it enqueues a reconcile that does.
  if (op.workflow.spec.suspend) return node;
  const limit = op.workflow.spec.parallelism;
  if (limit !== undefined && limit > 0 && op.activePods >= limit && !req.onExit) {
    op.requeueIn(1000);
    return node;
  }
  const timeout = deadlineOf(op, node, template);
  if (timeout !== undefined && timeout <= 0) return op.mark(node.id, 'Failed', 'Step exceeded its deadline');
  op.activePods++;
  op.actions.push({ type: 'createPod', pod: buildPodSpec(op, node, name, template, timeout) });
  return node;
}

/** Seconds left before the template's timeout or activeDeadlineSeconds ends the pod, counted from node start. */
function deadlineOf(op: Operation, node: NodeStatus, template: Template): number | undefined {
  const limits: number[] = [];
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
    case 'Running':
      op.activePods++;
      return node.phase === 'Pending' ? op.update(node.id, { phase: 'Running', hostNodeName: 'localhost', podIP: '127.0.0.1' }) : node;
    case 'Gone':
      return op.update(node.id, {
        phase: obs.message?.includes('deadline') ? 'Failed' : 'Error',
        message: obs.message ?? 'pod deleted',
        ...(obs.finishedAt ? { finishedAt: obs.finishedAt } : {}),
      });
    case 'Succeeded':
    case 'Failed':
      return complete(op, node, obs, template);
  }
}

function complete(op: Operation, node: NodeStatus, obs: PodObservation, template: Template): NodeStatus {
  const main = obs.containers.main;
  const outputs: NodeOutputs = {};
  const exitCode = main && main.state === 'terminated' ? main.exitCode : undefined;
  if (exitCode !== undefined) outputs.exitCode = String(exitCode);
  if (main?.result !== undefined) outputs.result = main.result;
  let phase: 'Succeeded' | 'Failed' | 'Error' = obs.phase === 'Succeeded' ? 'Succeeded' : 'Failed';
  let message: string | undefined;
  if (phase === 'Failed') {
    const failed = Object.entries(obs.containers).find(([, c]) => c.state === 'terminated' && c.exitCode !== 0);
    const reason = failed && failed[1].state === 'terminated' ? failed[1].reason : undefined;
    const code = failed && failed[1].state === 'terminated' ? failed[1].exitCode : exitCode;
    message = reason ?? obs.message ?? (code !== undefined ? `Error (exit code ${code})` : 'Error');
  }
  const parameters: Parameter[] = [];
  for (const p of template.outputs?.parameters ?? []) {
    const value = outputParameter(p, main?.outputs);
    if (value === undefined) {
      if (phase === 'Succeeded') {
        phase = 'Error';
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
  const patch: Partial<NodeStatus> = { phase, outputs };
  if (message !== undefined) patch.message = message;
  if (obs.finishedAt) patch.finishedAt = obs.finishedAt;
  if (!node.hostNodeName) patch.hostNodeName = 'localhost';
  return op.update(node.id, patch);
}

function outputParameter(p: Parameter, files: Record<string, string> | undefined): string | undefined {
  if (p.valueFrom?.path) return files?.[p.name] ?? p.valueFrom.default;
  if (p.value !== undefined) return p.value;
  return p.valueFrom?.default;
}

function buildPodSpec(op: Operation, node: NodeStatus, name: string, template: Template, deadline: number | undefined): PodSpec {
  const main = (template.script ?? template.container ?? {}) as Container & { source?: string };
  const volumes = podVolumes(op, template);
  const containers: ContainerSpec[] = [];
  for (const init of template.initContainers ?? []) containers.push(containerSpec(init, init.name, 'init'));
  const mainSpec = containerSpec(main, 'main', 'main');
  if (template.script) mainSpec.script = template.script.source;
  const outputFiles: Record<string, string> = {};
  for (const p of template.outputs?.parameters ?? []) if (p.valueFrom?.path) outputFiles[p.name] = p.valueFrom.path;
  if (Object.keys(outputFiles).length > 0) mainSpec.outputFiles = outputFiles;
  mainSpec.captureResult = true;
  containers.push(mainSpec);
  for (const sidecar of template.sidecars ?? []) {
    const spec = containerSpec(sidecar, sidecar.name, 'sidecar');
    if (sidecar.mirrorVolumeMounts) spec.volumeMounts = [...spec.volumeMounts, ...mainSpec.volumeMounts];
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

function containerSpec(c: Container, name: string, role: ContainerSpec['role']): ContainerSpec {
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
