// Daemon templates (`daemon: true`). A daemon's pod node becomes `daemoned` once its pod runs and
// its readiness probes pass; from then on it counts as fulfilled for what comes after it (Argo's
// NodeStatus.Fulfilled: daemoned and not Pending), though its phase stays Running. When the steps
// or DAG template it belongs to (its boundary) ends, its pod is deleted and the node ends
// `Succeeded` (Argo's killDaemonedChildren); a workflow never finishes with a daemon alive (Argo's
// markWorkflowPhase). A daemon that ends on its own before that ends with its real phase.
import type { PodObservation, ReadinessProbe } from '../runtime/types.js';
import type { Container, NodeStatus, Probe, Template } from '../spec/types.js';
import type { Operation } from './context.js';
import { podName } from './ids.js';
import { isFulfilled } from './phase.js';

/** Why a daemon's pod is deleted when its scope ends (the deletePod action's reason). */
export const DAEMON_SCOPE_ENDED = 'daemoned step killed: its steps/DAG scope ended';

/** Daemoned and past Pending: done as far as dependents and its scope are concerned. */
export function isDaemoned(node: NodeStatus): boolean {
  return node.daemoned === true && node.phase !== 'Pending';
}

/** Argo's Fulfilled (without outputs syncing): a final phase, or a live daemon. */
export function isNodeFulfilled(node: NodeStatus): boolean {
  return isFulfilled(node.phase) || isDaemoned(node);
}

/** The containers of a container or script template that a kubelet would judge for the pod's readiness. */
function probedContainers(template: Template): { name: string; source: Container }[] {
  const main = template.script ?? template.container;
  const out: { name: string; source: Container }[] = main ? [{ name: 'main', source: main }] : [];
  for (const sidecar of template.sidecars ?? []) out.push({ name: sidecar.name, source: sidecar });
  return out;
}

/**
 * A daemon pod is ready when `main` runs and every container with a readinessProbe has passed it
 * (a container without a probe is ready once running, as in Kubernetes).
 */
export function daemonReady(template: Template, obs: PodObservation): boolean {
  if (obs.phase !== 'Running' || obs.containers.main?.state !== 'running') return false;
  return probedContainers(template).every(({ name, source }) => {
    const c = obs.containers[name];
    if (!source.readinessProbe) return true;
    return c?.state === 'running' && c.ready === true;
  });
}

/** The readiness probes the runtime must run for a daemon pod: one per probed container, by container name. */
export function daemonProbes(template: Template): Map<string, ReadinessProbe> {
  const out = new Map<string, ReadinessProbe>();
  if (!template.daemon) return out;
  for (const { name, source } of probedContainers(template)) {
    const probe = source.readinessProbe ? runtimeProbe(source.readinessProbe, source) : undefined;
    if (probe) out.set(name, probe);
  }
  return out;
}

/**
 * The spec's probe as the runtime runs it: named ports resolved through the container's `ports`
 * (a name that resolves to nothing stays NaN: the probe then never passes, as a kubelet's would
 * not). grpc probes are not run locally: the container counts as having no probe.
 */
export function runtimeProbe(probe: Probe, container: Container): ReadinessProbe | undefined {
  const port = (p: number | string): number => {
    if (typeof p === 'number') return p;
    const trimmed = p.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    return container.ports?.find((cp) => cp.name === trimmed)?.containerPort ?? Number.NaN;
  };
  const out: ReadinessProbe = {};
  if (probe.httpGet) {
    const h = probe.httpGet;
    out.httpGet = { port: port(h.port) };
    if (h.host) out.httpGet.host = h.host;
    if (h.path) out.httpGet.path = h.path;
    if (h.scheme) out.httpGet.scheme = h.scheme.toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP';
    if (h.httpHeaders && h.httpHeaders.length > 0) out.httpGet.headers = h.httpHeaders.map((x) => ({ name: x.name, value: x.value }));
  } else if (probe.tcpSocket) {
    out.tcpSocket = { port: port(probe.tcpSocket.port) };
    if (probe.tcpSocket.host) out.tcpSocket.host = probe.tcpSocket.host;
  } else if (probe.exec?.command && probe.exec.command.length > 0) {
    out.exec = { command: probe.exec.command.map(String) };
  } else {
    return undefined;
  }
  for (const key of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const value = probe[key];
    if (value !== undefined && value !== null && Number.isFinite(Number(value))) out[key] = Number(value);
  }
  return out;
}

/**
 * The nodes of this reconcile that are or were daemoned, so a scope that ends need not walk every
 * node of the workflow: built from the stored nodes on first use, then told of every node that
 * becomes daemoned (`markDaemoned`). Entries that stopped being daemons are skipped when read.
 */
const daemonIndex = new WeakMap<Operation, Set<string>>();

function daemonedIds(op: Operation): Set<string> {
  let ids = daemonIndex.get(op);
  if (!ids) {
    ids = new Set();
    for (const node of op.nodes.values()) if (node.daemoned === true) ids.add(node.id);
    daemonIndex.set(op, ids);
  }
  return ids;
}

/** Marks a node daemoned (a ready daemon pod, a Retry or TaskGroup node whose daemon lives). */
export function markDaemoned(op: Operation, id: string): NodeStatus {
  const node = op.update(id, { daemoned: true });
  daemonIndex.get(op)?.add(id);
  return node;
}

/**
 * Argo's killDaemonedChildren: every daemoned node whose boundary is `boundaryId` (every daemoned
 * node at all when undefined: the workflow is ending) ends `Succeeded`, and its pod is deleted.
 * A daemoned Retry node ends with its attempt.
 */
export function killDaemons(op: Operation, boundaryId: string | undefined): void {
  for (const id of [...daemonedIds(op)]) {
    const node = op.get(id);
    if (!node || node.daemoned !== true || isFulfilled(node.phase)) continue;
    if (boundaryId !== undefined && node.boundaryID !== boundaryId) continue;
    killDaemon(op, node);
  }
}

/** Ends one daemoned node `Succeeded`, deleting its pod (a Pod node). */
export function killDaemon(op: Operation, node: NodeStatus): NodeStatus {
  if (node.type === 'Pod') op.actions.push({ type: 'deletePod', pod: podName(op.name, node.name, node.templateName), reason: DAEMON_SCOPE_ENDED });
  return op.update(node.id, { phase: 'Succeeded', daemoned: undefined });
}

/** Keeps a Retry node's `daemoned` in step with its current attempt's (a daemoned attempt makes the Retry node fulfilled). */
export function followAttempt(op: Operation, retryNode: NodeStatus, attempt: NodeStatus | undefined): NodeStatus {
  const daemoned = attempt !== undefined && !isFulfilled(attempt.phase) && isDaemoned(attempt);
  if (daemoned === (retryNode.daemoned === true)) return retryNode;
  return daemoned ? markDaemoned(op, retryNode.id) : op.update(retryNode.id, { daemoned: undefined });
}
