// A workflow's node tree (status.nodes) as the graph the page draws. Pure, so it can be tested
// without a browser, and split from layout so that a phase change (the common live update) costs a
// re-render, not a re-layout: `structureKey` changes only when nodes or edges appear or go.
//
// Argo's tree has two kinds of structure: `children` (what runs after what, drawn as edges) and
// scopes (a Steps/DAG node owns the nodes whose boundaryID is its ID; a Retry, TaskGroup or
// StepGroup owns its children). Collapsing a scope hides what it owns and re-attaches their edges to it.

/** The fields of an Argo NodeStatus the graph reads (a NodeStatus is assignable to it). */
export interface NodeLike {
  id: string;
  name: string;
  displayName: string;
  type: string;
  phase: string;
  templateName?: string;
  boundaryID?: string;
  children?: string[];
  outboundNodes?: string[];
  message?: string;
}

export interface GraphContainer {
  id: string;
  name: string;
  phase: string;
}

export interface GraphNode {
  id: string;
  /** A card for what runs or owns work; a dot for step groups and loops, as Argo draws them. */
  kind: 'card' | 'dot';
  label: string;
  type: string;
  phase: string;
  /** Retry, TaskGroup, multi-step StepGroup and nested Steps/DAG nodes can fold away what they own. */
  collapsible: boolean;
  collapsed: boolean;
  /** How many nodes a collapsed scope hides. */
  hidden: number;
  /** A containerSet pod's containers, drawn inside its card. */
  containers: GraphContainer[];
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Changes only when the set of nodes, their sizes or the edges change: the layout's memo key. */
  structureKey: string;
}

/** Scopes that own more than this many nodes start folded: a 1,000-item loop stays readable. */
export const AUTO_COLLAPSE_OVER = 50;

const SCOPE_TYPES = new Set(['Retry', 'TaskGroup', 'StepGroup', 'Steps', 'DAG']);

/**
 * Builds the graph. `toggled` holds the IDs of scopes the user folded or unfolded: a toggle flips a
 * scope from its default (unfolded, or folded when it owns more than AUTO_COLLAPSE_OVER nodes).
 */
export function buildGraph(nodes: Readonly<Record<string, NodeLike>>, workflowName: string, toggled: ReadonlySet<string> = new Set()): GraphModel {
  const all = Object.values(nodes);
  if (all.length === 0) return { nodes: [], edges: [], structureKey: '' };
  const rootId = nodes[workflowName] ? workflowName : (all.find((n) => !n.boundaryID && !isOwnedChild(n.id, nodes))?.id ?? all[0]?.id ?? '');

  const owner = ownerMap(nodes, rootId);
  const owned = new Map<string, number>();
  for (const id of Object.keys(nodes)) {
    for (const scope of ancestors(id, owner)) owned.set(scope, (owned.get(scope) ?? 0) + 1);
  }
  // A step group folds only when it runs several steps (a loop, or parallel steps): a dot with a
  // toggle on every sequential step would be noise.
  const foldable = (id: string): boolean => {
    const n = nodes[id];
    if (!n || id === rootId || !SCOPE_TYPES.has(n.type) || !owned.get(id)) return false;
    return n.type !== 'StepGroup' || (n.children?.length ?? 0) > 1;
  };
  const collapsed = (id: string): boolean => {
    if (!foldable(id)) return false;
    const byDefault = (owned.get(id) ?? 0) > AUTO_COLLAPSE_OVER;
    return toggled.has(id) ? !byDefault : byDefault;
  };

  // Each node is drawn as itself or as its outermost folded scope.
  const rep = new Map<string, string>();
  for (const id of Object.keys(nodes)) {
    let shown = id;
    for (const scope of ancestors(id, owner)) if (collapsed(scope)) shown = scope;
    rep.set(id, shown);
  }

  const out: GraphNode[] = [];
  const containersOf = new Map<string, GraphContainer[]>();
  for (const n of all) {
    if (n.type !== 'Container') continue;
    const pod = n.boundaryID;
    if (!pod || nodes[pod]?.type !== 'Pod') continue;
    const list = containersOf.get(pod) ?? [];
    list.push({ id: n.id, name: n.displayName || n.name, phase: n.phase });
    containersOf.set(pod, list);
  }
  for (const n of all) {
    if (rep.get(n.id) !== n.id || isContainerOfPod(n, nodes)) continue;
    const isScope = foldable(n.id);
    const isCollapsed = collapsed(n.id);
    out.push({
      id: n.id,
      kind: (n.type === 'StepGroup' || n.type === 'TaskGroup') && !isCollapsed ? 'dot' : 'card',
      label: n.displayName || n.name,
      type: n.type,
      phase: n.phase,
      collapsible: isScope,
      collapsed: isCollapsed,
      hidden: isCollapsed ? (owned.get(n.id) ?? 0) : 0,
      containers: containersOf.get(n.id) ?? [],
    });
  }

  const edges = new Map<string, GraphEdge>();
  const link = (from: string, to: string): void => {
    const source = rep.get(from);
    const target = rep.get(to);
    if (!source || !target || source === target) return;
    const id = `${source}->${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target });
  };
  for (const n of all) {
    if (isContainerOfPod(n, nodes)) continue;
    for (const child of n.children ?? []) {
      const c = nodes[child];
      if (c && !isContainerOfPod(c, nodes)) link(n.id, child);
    }
  }
  // The exit handler runs after everything: Argo's UI joins it to the workflow's last nodes.
  const exit = nodes[`${workflowName}.onExit`] ? `${workflowName}.onExit` : all.find((n) => n.name === `${workflowName}.onExit`)?.id;
  if (exit && exit !== rootId) {
    const last = nodes[rootId]?.outboundNodes?.filter((id) => nodes[id]) ?? [];
    for (const from of last.length > 0 ? last : [rootId]) link(from, exit);
  }

  const edgeList = [...edges.values()];
  const structureKey = [
    out.map((n) => `${n.id}:${n.kind}:${n.containers.length}:${n.collapsed ? 1 : 0}`).join(','),
    edgeList.map((e) => e.id).join(','),
  ].join('|');
  return { nodes: out, edges: edgeList, structureKey };
}

/** Which scope owns each node: a Retry, TaskGroup or StepGroup its children, otherwise the boundary (Steps/DAG) node. */
function ownerMap(nodes: Readonly<Record<string, NodeLike>>, rootId: string): Map<string, string> {
  const owner = new Map<string, string>();
  for (const n of Object.values(nodes)) {
    if (n.boundaryID && n.boundaryID !== rootId && nodes[n.boundaryID] && n.boundaryID !== n.id) owner.set(n.id, n.boundaryID);
  }
  for (const n of Object.values(nodes)) {
    if (n.type !== 'Retry' && n.type !== 'TaskGroup' && n.type !== 'StepGroup') continue;
    for (const child of n.children ?? []) if (nodes[child] && child !== n.id) owner.set(child, n.id);
  }
  return owner;
}

/** The scopes around a node, innermost first; stops on a cycle (a corrupt tree must not hang the page). */
function ancestors(id: string, owner: Map<string, string>): string[] {
  const out: string[] = [];
  const seen = new Set([id]);
  for (let at = owner.get(id); at !== undefined && !seen.has(at); at = owner.get(at)) {
    seen.add(at);
    out.push(at);
  }
  return out;
}

function isContainerOfPod(n: NodeLike, nodes: Readonly<Record<string, NodeLike>>): boolean {
  return n.type === 'Container' && !!n.boundaryID && nodes[n.boundaryID]?.type === 'Pod';
}

function isOwnedChild(id: string, nodes: Readonly<Record<string, NodeLike>>): boolean {
  return Object.values(nodes).some((n) => n.children?.includes(id));
}
