import type { Inputs, NodeStatus, NodeType, Synchronization, Template } from '../spec/types.js';
import { lockRefs, LockSpecError } from '../sync/lock-ref.js';
import type { LockRef, LockRequest } from '../sync/types.js';
import { NodeError, type ExecRequest, type Operation } from './context.js';
import { nodeId } from './ids.js';
import { processTemplate } from './inputs.js';
import { isFulfilled } from './phase.js';
import { substituteDeep } from './vars.js';

const ACQUIRE_FAILED = 'Failed to acquire the synchronization lock. ';

/** `ns/wf`: the workflow-level holder key. */
export function workflowHolder(op: Operation): string {
  return `${namespaceOf(op)}/${op.name}`;
}

/**
 * Workflow-level `spec.synchronization` (spec/sync.md §1.7): the whole workflow waits, Pending and
 * with no nodes, until it holds every lock. Returns why it cannot run now, or undefined to go on.
 */
export function acquireWorkflowLocks(op: Operation): { pending: string } | { failed: string } | undefined {
  const spec = op.workflow.spec.synchronization;
  const holder = workflowHolder(op);
  if (!spec) return undefined;
  let refs: LockRef[];
  try {
    refs = lockRefs(substituteDeep(spec, op.globals), namespaceOf(op));
  } catch (err) {
    if (!(err instanceof LockSpecError || err instanceof NodeError)) throw err;
    op.sync.drop(holder);
    return { failed: ACQUIRE_FAILED + err.message };
  }
  if (refs.length === 0) return undefined;
  // Terminate ends a waiting workflow at once; Stop lets it wait, start, and run its exit handler (Argo).
  if (op.workflow.spec.shutdown === 'Terminate' && !op.sync.holds(holder)) {
    op.sync.drop(holder);
    return { failed: `Stopped with strategy 'Terminate'` };
  }
  const decision = op.locks.acquire(request(op, holder, 'workflow', refs));
  switch (decision.kind) {
    case 'acquired':
    case 'held':
      op.sync.hold(holder, refs);
      return undefined;
    case 'waiting':
      op.sync.wait(holder, refs, decision.since, decision.holders);
      return { pending: decision.message };
    case 'error':
      op.sync.drop(holder);
      return { failed: ACQUIRE_FAILED + decision.message };
  }
}

/**
 * Template-level synchronization (§1.8), before the retry wrapper so the retry node holds the lock
 * across attempts and backoff. Returns the node to report while it cannot run (waiting, failed),
 * or undefined once it holds every lock.
 */
export function acquireTemplateLocks(op: Operation, req: ExecRequest, template: Template, existing: NodeStatus | undefined, type: NodeType): NodeStatus | undefined {
  if (!template.synchronization) return undefined;
  // A ready daemon is done as far as its lock goes (released by releaseFinishedHolders); it does not ask again.
  if (existing?.daemoned === true && existing.phase !== 'Pending') return undefined;
  const holder = `${namespaceOf(op)}/${op.name}/${nodeId(op.name, req.nodeName)}`;
  let refs: LockRef[];
  let inputs: Inputs | undefined;
  try {
    const args = existing?.inputs ? { parameters: existing.inputs.parameters ?? [], artifacts: existing.inputs.artifacts ?? [] } : req.args;
    // Only the block itself is processed: lock names may use the template's inputs (fix #3955).
    const slim = { name: template.name, inputs: template.inputs, synchronization: template.synchronization } as Template;
    const processed = processTemplate(slim, args, op.globals, req.locals ?? {});
    refs = lockRefs(processed.template.synchronization as Synchronization, namespaceOf(op));
    // A node that waits is created now, so it records the inputs it was invoked with: steps and DAGs
    // visit a started node again with no arguments, expecting them there.
    const bound = processed.template.inputs;
    if (bound && (bound.parameters || bound.artifacts)) inputs = bound;
  } catch (err) {
    if (err instanceof LockSpecError) return fail(op, req, existing, type, holder, 'Error', err.message);
    // Inputs that do not bind fail the node the same way when it runs; it never gets a lock.
    if (err instanceof NodeError) return undefined;
    throw err;
  }
  if (refs.length === 0) return undefined;
  const held = op.sync.holds(holder);
  const halt = op.halt(req);
  if (halt && !held) return fail(op, req, existing, type, holder, 'Failed', halt.unstarted);
  const limit = op.workflow.spec.parallelism;
  // spec.parallelism is checked before the lock (Argo): a node it holds back does not queue.
  if (!held && (type === 'Pod' || type === 'Retry') && limit !== undefined && limit > 0 && op.activePods >= limit && !req.onExit) {
    op.requeueIn(1000);
    return existing ?? createNode(op, req, type, inputs);
  }
  const decision = op.locks.acquire(request(op, holder, 'template', refs));
  switch (decision.kind) {
    case 'acquired':
    case 'held': {
      op.sync.hold(holder, refs);
      if (existing?.synchronizationStatus) {
        const patch: Partial<NodeStatus> = { synchronizationStatus: undefined, message: undefined };
        if (existing.type !== 'Pod' && existing.phase === 'Pending') patch.phase = 'Running';
        op.update(existing.id, patch);
      }
      return undefined;
    }
    case 'waiting': {
      op.sync.wait(holder, refs, decision.since, decision.holders);
      const node = existing ?? createNode(op, req, type, inputs);
      if (node.synchronizationStatus?.waiting === decision.failedLock && node.message === decision.message) return node;
      return op.update(node.id, { synchronizationStatus: { waiting: decision.failedLock }, message: decision.message });
    }
    case 'error':
      return fail(op, req, existing, type, holder, 'Error', decision.message);
  }
}

/**
 * A fulfilled (or vanished, or ready daemon) node holds and waits for nothing: its holder key leaves the status,
 * and so the table, in the same write that records its end.
 */
export function releaseFinishedHolders(op: Operation): void {
  const prefix = `${workflowHolder(op)}/`;
  for (const holder of op.sync.holders()) {
    if (!holder.startsWith(prefix)) continue;
    const node = op.get(holder.slice(prefix.length));
    // A daemon counts as done once it is ready (Argo's Fulfilled): its template lock goes then.
    if (!node || isFulfilled(node.phase) || (node.daemoned === true && node.phase !== 'Pending')) op.sync.drop(holder);
  }
}

function request(op: Operation, holder: string, level: LockRequest['level'], locks: LockRef[]): LockRequest {
  return {
    holder,
    workflow: workflowHolder(op),
    level,
    priority: op.workflow.spec.priority ?? 0,
    creation: op.workflow.metadata.creationTimestamp ?? '',
    locks,
    now: op.now.getTime(),
  };
}

function fail(op: Operation, req: ExecRequest, existing: NodeStatus | undefined, type: NodeType, holder: string, phase: 'Failed' | 'Error', message: string): NodeStatus {
  op.sync.drop(holder);
  const node = existing ?? createNode(op, req, type);
  return op.update(node.id, { phase, message, synchronizationStatus: undefined });
}

function createNode(op: Operation, req: ExecRequest, type: NodeType, inputs?: Inputs): NodeStatus {
  return op.initNode(req.nodeName, type, {
    ...(inputs ? { inputs } : {}),
    displayName: req.displayName,
    boundaryId: req.boundaryId,
    ...(req.holder.template ? { templateName: req.holder.template } : {}),
    ...(req.onExit ? { nodeFlag: { hooked: true } } : {}),
  });
}

function namespaceOf(op: Operation): string {
  return op.workflow.metadata.namespace ?? op.config.namespace;
}
