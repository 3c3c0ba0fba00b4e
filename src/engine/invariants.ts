// Invariants of the node graph that must hold after every reconcile (spec/containerset.md §6.2).
//
// I1/I2: a finished Pod node has no unfinished Container node. Every path that ends a pod node
// without its containers' exit states (deleted, deadline, shutdown, lost) ends its containers too;
// `findBrokenPods` finds where that did not happen (state written by an older build, a path someone
// forgot) and `repairBrokenPods` says how to end them, as Argo's markAllContainersDeleted does.
//
// Membership is by `boundaryID == pod.id`, not by direct parentage: in a containerSet only the
// containers without dependencies are children of the pod node; the others hang below the
// containers they depend on (#13951 was exactly this mistake).
import type { NodePhase, NodeStatus } from '../spec/types.js';
import { isFulfilled } from './phase.js';

/** Argo's message on a Container node whose pod went away without its exit state. */
export const CONTAINER_DELETED = 'container deleted';

export interface BrokenPod {
  podNodeId: string;
  /** Unfinished Container nodes of the pod, in node order. */
  containerIds: string[];
}

export interface NodePatch {
  id: string;
  patch: Pick<NodeStatus, 'phase' | 'message' | 'finishedAt'>;
}

type Nodes = Readonly<Record<string, NodeStatus>> | ReadonlyMap<string, NodeStatus>;

function lookup(nodes: Nodes): { get(id: string): NodeStatus | undefined; all(): NodeStatus[] } {
  if (nodes instanceof Map) return { get: (id) => nodes.get(id), all: () => [...nodes.values()] };
  const record = nodes as Readonly<Record<string, NodeStatus>>;
  return { get: (id) => record[id], all: () => Object.values(record) };
}

/**
 * The Container nodes of a pod node: those whose boundary is the pod, plus every Container reached
 * from the pod through Container children (state written before boundaries were set). Not the
 * downstream tasks that hang off the leaf containers: the walk stops at anything not a Container.
 */
export function podContainers(nodes: Nodes, podNodeId: string): NodeStatus[] {
  const n = lookup(nodes);
  const found = new Map<string, NodeStatus>();
  for (const node of n.all()) if (node.type === 'Container' && node.boundaryID === podNodeId) found.set(node.id, node);
  const walk = (id: string): void => {
    for (const childId of n.get(id)?.children ?? []) {
      const child = n.get(childId);
      if (!child || child.type !== 'Container' || found.has(childId)) continue;
      found.set(childId, child);
      walk(childId);
    }
  };
  walk(podNodeId);
  for (const id of [...found.keys()]) walk(id);
  return [...found.values()];
}

/**
 * Finished Pod nodes that still have unfinished Container nodes (Pending or Running). Checked on
 * every reconcile, so it starts from the unfinished containers (few) rather than from every pod.
 */
export function findBrokenPods(nodes: Nodes): BrokenPod[] {
  const n = lookup(nodes);
  const open = n.all().filter((c) => c.type === 'Container' && !isFulfilled(c.phase));
  if (open.length === 0) return [];
  const byPod = new Map<string, string[]>();
  const parentOf = new Map<string, string>();
  for (const node of n.all()) for (const child of node.children ?? []) parentOf.set(child, node.id);
  for (const c of open) {
    // The pod: the boundary, or (state without boundaries) the first non-Container ancestor.
    let podId = c.boundaryID;
    if (!podId || n.get(podId)?.type !== 'Pod') {
      let at: string | undefined = c.id;
      while (at && n.get(at)?.type === 'Container') at = parentOf.get(at);
      podId = at;
    }
    const pod = podId ? n.get(podId) : undefined;
    if (!pod || pod.type !== 'Pod' || !isFulfilled(pod.phase)) continue;
    byPod.set(pod.id, [...(byPod.get(pod.id) ?? []), c.id]);
  }
  return [...byPod].map(([podNodeId, containerIds]) => ({ podNodeId, containerIds }));
}

/**
 * The patches that end every unfinished Container node of a finished Pod node: `Error`
 * `container deleted`, finished now (the pod that could report them is gone). Finished containers
 * keep their phase.
 */
export function repairBrokenPods(nodes: Nodes, now: Date | string): NodePatch[] {
  const finishedAt = typeof now === 'string' ? now : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return findBrokenPods(nodes).flatMap((b) => b.containerIds.map((id) => ({ id, patch: { phase: 'Error' as NodePhase, message: CONTAINER_DELETED, finishedAt } })));
}

/** The nodes with the patches applied (a new record; the input is untouched). */
export function applyNodePatches(nodes: Readonly<Record<string, NodeStatus>>, patches: readonly NodePatch[]): Record<string, NodeStatus> {
  const out: Record<string, NodeStatus> = { ...nodes };
  for (const { id, patch } of patches) {
    const node = out[id];
    if (node) out[id] = { ...node, ...patch };
  }
  return out;
}
