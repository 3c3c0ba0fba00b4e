import type { PodObservation } from '../runtime/types.js';
import type { Arguments, Invocation, NodePhase, NodeStatus, NodeType, Template, Workflow } from '../spec/types.js';
import { nodeId } from './ids.js';
import { canTransition, isFulfilled } from './phase.js';
import type { Action, EngineConfig, TemplateLookup } from './types.js';
import type { Locks } from '../sync/types.js';
import { SyncStatusEditor } from '../sync/status.js';

/** Which template library a name resolves in: the workflow's own, or a (Cluster)WorkflowTemplate's. */
export interface TemplateScope {
  kind: 'workflow' | 'namespaced' | 'cluster';
  name?: string;
  templates: readonly Template[];
}

/** What to run and where it hangs in the tree. */
export interface ExecRequest {
  nodeName: string;
  holder: Pick<Invocation, 'template' | 'templateRef' | 'inline'>;
  args: Arguments;
  boundaryId: string;
  scope: TemplateScope;
  displayName?: string;
  onExit?: boolean;
  /** Inside an exit handler: not subject to the workflow's activeDeadlineSeconds. */
  exempt?: boolean;
  /** Variables for tags that are local to this invocation (item, retries, lastRetry.*). */
  locals?: Record<string, string>;
  /** A retry attempt's pod must end by then (ms since the epoch): backoff.maxDuration. */
  deadlineAt?: number;
}

export type Executor = (op: Operation, req: ExecRequest) => NodeStatus;

/** An error that ends a node in Error with this message (invalid template at run time, unresolved tag). */
export class NodeError extends Error {}

/**
 * One reconcile's working state. Nodes are replaced, never mutated in place, so the input workflow
 * stays untouched and the changed set is exact.
 */
export class Operation {
  readonly nodes: Map<string, NodeStatus>;
  private readonly nameToId = new Map<string, string>();
  readonly actions: Action[] = [];
  readonly changed = new Set<string>();
  /**
   * Every node replacement of this reconcile, in order (ids may repeat): a reader that derived
   * something from the nodes catches up from its cursor instead of rescanning them all.
   */
  readonly changeLog: string[] = [];
  readonly nowIso: string;
  requeueAfterMs: number | undefined;
  /** Flat variables visible everywhere: workflow.*, global outputs. */
  readonly globals: Record<string, string>;
  /** Pods created or running in this reconcile, for spec.parallelism. */
  activePods = 0;
  /** spec.activeDeadlineSeconds has passed: no new pods, running ones end (exit handlers exempt). */
  deadline: { exceeded: boolean; at: string } | undefined;
  execute!: Executor;
  /** With workflowTemplateRef: the workflow's own spec (saved back) and the merged one it runs. */
  storedSpec: { own: Workflow['spec']; effective: Workflow['spec'] } | undefined;
  /** The lock table, asked synchronously (spec/sync.md); and this workflow's status.synchronization being edited. */
  locks!: Locks;
  readonly sync: SyncStatusEditor;
  /** See ReconcileInput.requested. */
  requested: ReadonlySet<string> | undefined;

  constructor(
    readonly workflow: Workflow,
    readonly observed: ReadonlyMap<string, PodObservation>,
    readonly now: Date,
    readonly config: EngineConfig,
    readonly lookup: TemplateLookup | undefined,
    globals: Record<string, string>,
  ) {
    this.nodes = new Map(Object.entries(workflow.status?.nodes ?? {}));
    for (const node of this.nodes.values()) this.nameToId.set(node.name, node.id);
    this.nowIso = isoSeconds(now);
    this.globals = globals;
    this.sync = new SyncStatusEditor(workflow.status?.synchronization);
  }

  get name(): string {
    return this.workflow.metadata.name ?? '';
  }

  byName(nodeName: string): NodeStatus | undefined {
    const id = this.nameToId.get(nodeName);
    return id === undefined ? undefined : this.nodes.get(id);
  }

  get(id: string): NodeStatus | undefined {
    return this.nodes.get(id);
  }

  initNode(
    nodeName: string,
    type: NodeType,
    fields: { displayName?: string; boundaryId?: string; templateName?: string; phase?: NodePhase; message?: string } & Partial<NodeStatus>,
  ): NodeStatus {
    const id = nodeId(this.name, nodeName);
    const { displayName, boundaryId, phase, ...rest } = fields;
    const node: NodeStatus = {
      id,
      name: nodeName,
      displayName: displayName ?? defaultDisplayName(nodeName),
      type,
      phase: phase ?? 'Pending',
      startedAt: this.nowIso,
      ...rest,
    };
    if (boundaryId) node.boundaryID = boundaryId;
    if (isFulfilled(node.phase)) node.finishedAt = this.nowIso;
    this.nodes.set(id, node);
    this.nameToId.set(nodeName, id);
    this.changed.add(id);
    this.changeLog.push(id);
    return node;
  }

  update(id: string, patch: Partial<NodeStatus>): NodeStatus {
    const current = this.nodes.get(id);
    if (!current) throw new Error(`internal: no node ${id}`);
    if (patch.phase && !canTransition(current.phase, patch.phase)) return current;
    const next: NodeStatus = { ...current, ...patch };
    for (const key of Object.keys(patch) as (keyof NodeStatus)[]) {
      if (patch[key] === undefined) delete next[key];
    }
    if (patch.phase && isFulfilled(patch.phase) && !isFulfilled(current.phase) && !patch.finishedAt) next.finishedAt = this.nowIso;
    this.nodes.set(id, next);
    this.changed.add(id);
    this.changeLog.push(id);
    return next;
  }

  /**
   * The one exception to terminal stickiness (spec/containerset.md I4, §6.3): a Container node is a
   * view of its pod, and when the pod is lost abruptly every member becomes `Error` `container
   * deleted`, even one that had already succeeded (Argo's markAllContainersDeleted).
   */
  overrideContainer(id: string, patch: Pick<NodeStatus, 'phase' | 'message'>): NodeStatus {
    const current = this.nodes.get(id);
    if (!current) throw new Error(`internal: no node ${id}`);
    if (current.type !== 'Container') throw new Error(`internal: ${id} is a ${current.type} node, not a Container`);
    if (current.phase === patch.phase && current.message === patch.message) return current;
    const next: NodeStatus = { ...current, ...patch, finishedAt: current.finishedAt ?? this.nowIso };
    this.nodes.set(id, next);
    this.changed.add(id);
    this.changeLog.push(id);
    return next;
  }

  /** Move a node to a phase through the transition table; a fulfilled node never changes again. */
  mark(id: string, phase: NodePhase, message?: string): NodeStatus {
    const current = this.nodes.get(id);
    if (!current) throw new Error(`internal: no node ${id}`);
    if (current.phase === phase && (message === undefined || current.message === message)) return current;
    if (!canTransition(current.phase, phase)) return current;
    return this.update(id, message === undefined ? { phase } : { phase, message });
  }

  addChild(parentId: string, childId: string): void {
    const parent = this.nodes.get(parentId);
    if (!parent || parent.children?.includes(childId)) return;
    this.update(parentId, { children: [...(parent.children ?? []), childId] });
  }

  /**
   * Why work under this request must stop now, if it must: the workflow deadline passed (exit
   * handlers exempt), or a shutdown (Stop spares exit handlers; Terminate spares nothing).
   * `running` is the message for a pod that gets killed, `unstarted` for work that never starts.
   */
  halt(req: Pick<ExecRequest, 'exempt'>): { running: string; unstarted: string } | undefined {
    const shutdown = this.workflow.spec.shutdown;
    if (shutdown === 'Terminate' || (shutdown === 'Stop' && !req.exempt)) {
      return { running: `workflow shutdown with strategy: ${shutdown}`, unstarted: `Stopped with strategy '${shutdown}'` };
    }
    if (this.deadline?.exceeded && !req.exempt) return { running: 'Step exceeded its deadline', unstarted: 'Step exceeded its deadline' };
    return undefined;
  }

  requeueIn(ms: number): void {
    const bounded = Math.max(0, Math.ceil(ms));
    this.requeueAfterMs = this.requeueAfterMs === undefined ? bounded : Math.min(this.requeueAfterMs, bounded);
  }

  /** Argo's getOutboundNodes: where the next step group or a dependent task attaches. */
  outboundNodes(id: string): string[] {
    const node = this.nodes.get(id);
    if (!node) return [];
    switch (node.type) {
      case 'Skipped':
      case 'Suspend':
      case 'HTTP':
      case 'Plugin':
      case 'Container':
        return [id];
      case 'Pod': {
        const leaves = this.containerLeaves(node);
        return leaves.length > 0 ? leaves : [id];
      }
      case 'Retry': {
        const attempts = (node.children ?? []).filter((c) => this.nodes.get(c)?.nodeFlag?.retried);
        const last = attempts[attempts.length - 1];
        return last ? [last] : [id];
      }
      case 'TaskGroup': {
        const out = (node.children ?? []).flatMap((c) => this.outboundNodes(c));
        return out.length > 0 ? out : [id];
      }
      default: {
        const out = (node.outboundNodes ?? []).flatMap((c) => this.outboundNodes(c));
        return out.length > 0 ? out : [id];
      }
    }
  }

  private containerLeaves(pod: NodeStatus): string[] {
    const leaves: string[] = [];
    const seen = new Set<string>();
    const walk = (id: string): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const node = this.nodes.get(id);
      if (!node || node.type !== 'Container') return;
      const containerChildren = (node.children ?? []).filter((c) => this.nodes.get(c)?.type === 'Container');
      if (containerChildren.length === 0) leaves.push(id);
      containerChildren.forEach(walk);
    };
    for (const child of pod.children ?? []) walk(child);
    return leaves;
  }
}

/** Display name: the last segment of the node name (after the last '.' outside parentheses and brackets). */
export function defaultDisplayName(nodeName: string): string {
  let depth = 0;
  for (let i = nodeName.length - 1; i >= 0; i--) {
    const ch = nodeName[i];
    if (ch === ')' || ch === ']') depth++;
    else if (ch === '(' || ch === '[') depth--;
    else if (ch === '.' && depth === 0) return nodeName.slice(i + 1);
  }
  return nodeName;
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseTime(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}
