// Turns the flat `status.nodes` map into the tree `argo get` draws. The status graph is not that
// tree: `children` links a step to the *next* step group and a DAG task to its dependants, while
// the drawing nests by scope. Like Argo we nest by kind:
//  - a node listed in the `children` of a StepGroup or Retry hangs under it (steps of a group,
//    attempts of a retry);
//  - otherwise it hangs under its `boundaryID` (the Steps or DAG node whose template it runs in);
//  - nodes without either are roots; only the workflow's root and its `.onExit` root are drawn.
// TaskGroup nodes (a DAG task's loop) are not drawn: their items hang under the DAG, as in Argo.
// Container nodes of a containerSet, which Argo leaves out, hang under their pod.

import type { NodeStatus, NodeType, Workflow } from '../../spec/types.js';

export interface TreeNode {
  node: NodeStatus;
  children: TreeNode[];
}

export interface NodeForest {
  main?: TreeNode;
  onExit?: TreeNode;
}

const GROUP_TYPES: ReadonlySet<NodeType> = new Set(['StepGroup', 'Retry']);
const HIDDEN_TYPES: ReadonlySet<NodeType> = new Set(['TaskGroup']);

export function onExitNodeName(wf: Workflow): string {
  return `${wf.metadata.name ?? ''}.onExit`;
}

export function buildNodeForest(wf: Workflow): NodeForest {
  const nodes = wf.status?.nodes ?? {};
  const wfName = wf.metadata.name ?? '';
  const exitName = onExitNodeName(wf);
  const byName = new Map(Object.values(nodes).map((n) => [n.name, n]));

  const groupOf = new Map<string, string>();
  for (const [id, node] of Object.entries(nodes)) {
    if (!GROUP_TYPES.has(node.type)) continue;
    for (const child of node.children ?? []) if (child !== id) groupOf.set(child, id);
  }

  const tree = new Map<string, TreeNode>();
  for (const [id, node] of Object.entries(nodes)) {
    if (!HIDDEN_TYPES.has(node.type)) tree.set(id, { node, children: [] });
  }

  const parentOf = (id: string, node: NodeStatus): string | undefined => {
    if (node.name === exitName || id === wfName) return undefined;
    const group = groupOf.get(id);
    if (group !== undefined && tree.has(group)) return group;
    if (node.type === 'Container') {
      const pod = byName.get(node.name.slice(0, node.name.lastIndexOf('.')));
      if (pod && pod.type === 'Pod' && tree.has(pod.id)) return pod.id;
    }
    if (node.boundaryID && node.boundaryID !== id && tree.has(node.boundaryID)) return node.boundaryID;
    return undefined;
  };

  for (const [id, entry] of tree) {
    const parent = parentOf(id, entry.node);
    if (parent !== undefined) tree.get(parent)?.children.push(entry);
  }

  const main = tree.get(wfName) ?? [...tree.values()].find((t) => t.node.name === wfName);
  const onExit = [...tree.values()].find((t) => t.node.name === exitName);
  const order = discoveryOrder(nodes, [main?.node.id, onExit?.node.id]);
  for (const entry of tree.values()) entry.children.sort((a, b) => compareSiblings(a.node, b.node, order));
  return { main, onExit };
}

// Siblings are ordered by the `children` arrays: a breadth-first walk from the roots visits step
// groups, DAG levels and retry attempts in the order the engine created them, without relying on
// timestamps (pending nodes have none).
function discoveryOrder(nodes: Record<string, NodeStatus>, roots: (string | undefined)[]): Map<string, number> {
  const order = new Map<string, number>();
  const queue = roots.filter((id): id is string => id !== undefined && id in nodes);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    if (order.has(id)) continue;
    order.set(id, order.size);
    for (const child of nodes[id]?.children ?? []) if (!order.has(child) && child in nodes) queue.push(child);
  }
  return order;
}

// Unreached nodes fall back to Argo's own rule: start time, then loop index `name(3:x)`, then name.
function compareSiblings(a: NodeStatus, b: NodeStatus, order: Map<string, number>): number {
  const byOrder = (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity);
  if (byOrder !== 0 && !Number.isNaN(byOrder)) return byOrder;
  const byStart = (Date.parse(a.startedAt ?? '') || Infinity) - (Date.parse(b.startedAt ?? '') || Infinity);
  if (byStart !== 0 && !Number.isNaN(byStart)) return byStart;
  const ia = loopIndex(a.displayName);
  const ib = loopIndex(b.displayName);
  if (ia !== undefined && ib !== undefined && ia !== ib) return ia - ib;
  return a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0;
}

function loopIndex(displayName: string): number | undefined {
  const match = /\((\d+):.*\)$/.exec(displayName);
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}
