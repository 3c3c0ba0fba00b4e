import type { NodeStatus, Template, WorkflowStep } from '../spec/types.js';
import { NodeError, type ExecRequest, type Operation } from './context.js';
import { isNodeFulfilled, killDaemons } from './daemon.js';
import { exitHookOf, runExitHook, runLifecycleHooks } from './hooks.js';
import { expandLoop, hasLoop, type Expanded } from './loops.js';
import { continuesOn, invocationArgs, resolveOutputs, skipNode, whenAllows } from './invocation.js';
import { isFailedOrError, isFulfilled } from './phase.js';
import { addAggregateToScope, addNodeToScope } from './scope.js';
import type { Vars } from './vars.js';

/** A steps template: groups run in order, the steps of a group in parallel (Argo's executeSteps). */
export function executeSteps(op: Operation, req: ExecRequest, template: Template, templateVars: Vars): NodeStatus {
  let node =
    op.byName(req.nodeName) ??
    op.initNode(req.nodeName, 'Steps', {
      displayName: req.displayName,
      boundaryId: req.boundaryId,
      phase: 'Running',
      templateName: template.name,
      ...(template.inputs?.parameters ? { inputs: template.inputs } : {}),
      ...(req.onExit ? { nodeFlag: { hooked: true } } : {}),
    });
  if (isFulfilled(node.phase)) return node;
  const scope: Vars = { ...templateVars };
  const groups = template.steps ?? [];
  let previous: NodeStatus | undefined;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? [];
    const groupName = `${req.nodeName}[${i}]`;
    let groupNode = op.byName(groupName);
    if (!groupNode) {
      groupNode = op.initNode(groupName, 'StepGroup', { displayName: `[${i}]`, boundaryId: node.id, phase: 'Running', templateName: template.name });
      connectGroup(op, node, previous, groupNode);
    }
    groupNode = executeGroup(op, req, node, groupNode, group, scope, template);
    if (!isFulfilled(groupNode.phase)) return op.get(node.id) ?? node;
    addGroupToScope(op, scope, groupName, group);
    if (isFailedOrError(groupNode.phase)) {
      if (!scopeSettled(op, node.name, groups)) return op.get(node.id) ?? node;
      node = op.update(node.id, { outboundNodes: outbound(op, groupNode) });
      return endScope(op, op.mark(node.id, 'Failed', groupNode.message ?? `step group ${groupNode.id} failed`));
    }
    previous = groupNode;
  }
  // The scope ends once everything in it is fulfilled (daemons: ready); then its daemons are killed.
  if (!scopeSettled(op, node.name, groups)) return op.get(node.id) ?? node;
  const daemonFailure = failedAfterGroup(op, node.name, groups);
  if (daemonFailure) {
    if (previous) node = op.update(node.id, { outboundNodes: outbound(op, previous) });
    return endScope(op, op.mark(node.id, 'Failed', `child '${daemonFailure.id}' failed`));
  }
  const patch: Partial<NodeStatus> = { phase: 'Succeeded' };
  if (previous) patch.outboundNodes = outbound(op, previous);
  try {
    const outputs = resolveOutputs(template, scope);
    if (outputs) patch.outputs = outputs;
  } catch (err) {
    if (!(err instanceof NodeError)) throw err;
    return endScope(op, op.update(node.id, { phase: 'Error', message: err.message }));
  }
  return endScope(op, op.update(node.id, patch));
}

/**
 * Every step of every group reached is fulfilled (a daemon counts once ready): a group that was
 * done may hold a daemon being retried, whose new attempt is not ready yet.
 */
function scopeSettled(op: Operation, stepsName: string, groups: WorkflowStep[][]): boolean {
  for (let i = 0; i < groups.length; i++) {
    const groupNode = op.byName(`${stepsName}[${i}]`);
    if (!groupNode) break;
    for (const { node } of groupChildren(op, groupNode, groups[i] ?? [])) if (!isNodeFulfilled(node)) return false;
  }
  return true;
}

/** Argo kills a steps template's daemoned children when it ends, whatever its phase. */
function endScope(op: Operation, node: NodeStatus): NodeStatus {
  if (isFulfilled(node.phase)) killDaemons(op, node.id);
  return op.get(node.id) ?? node;
}

/**
 * A child of a group that had succeeded and that failed since, uncovered by continueOn: only a
 * daemon does that (it let the group succeed once ready, then died on its own). It fails the scope.
 */
function failedAfterGroup(op: Operation, stepsName: string, groups: WorkflowStep[][]): NodeStatus | undefined {
  for (let i = 0; i < groups.length; i++) {
    const groupNode = op.byName(`${stepsName}[${i}]`);
    if (!groupNode || groupNode.phase !== 'Succeeded') continue;
    for (const { step, node } of groupChildren(op, groupNode, groups[i] ?? [])) {
      if (isFailedOrError(node.phase) && !continuesOn(step, node.phase)) return node;
    }
  }
  return undefined;
}

/** A group's child nodes with the steps they run (loop expansions map to their step). */
function groupChildren(op: Operation, groupNode: NodeStatus, group: WorkflowStep[]): GroupChild[] {
  const out: GroupChild[] = [];
  const prefix = `${groupNode.name}.`;
  for (const id of groupNode.children ?? []) {
    const node = op.get(id);
    if (!node || !node.name.startsWith(prefix)) continue;
    const rest = node.name.slice(prefix.length);
    const step = group.find((s) => rest === s.name || rest.startsWith(`${s.name}(`));
    if (step) out.push({ step, node });
  }
  return out;
}

function connectGroup(op: Operation, stepsNode: NodeStatus, previous: NodeStatus | undefined, groupNode: NodeStatus): void {
  if (!previous) {
    op.addChild(stepsNode.id, groupNode.id);
    return;
  }
  const children = op.get(previous.id)?.children ?? [];
  if (children.length === 0) {
    op.addChild(previous.id, groupNode.id);
    return;
  }
  for (const child of children) for (const out of op.outboundNodes(child)) op.addChild(out, groupNode.id);
}

function outbound(op: Operation, groupNode: NodeStatus): string[] {
  const children = op.get(groupNode.id)?.children ?? [];
  return children.flatMap((c) => op.outboundNodes(c));
}

interface GroupChild {
  step: WorkflowStep;
  node: NodeStatus;
}

function executeGroup(
  op: Operation,
  req: ExecRequest,
  stepsNode: NodeStatus,
  groupNode: NodeStatus,
  group: WorkflowStep[],
  scope: Vars,
  template: Template,
): NodeStatus {
  if (isFulfilled(groupNode.phase)) {
    // A group done with a daemon still alive in it: the daemon is followed until its scope ends (its
    // pod may end on its own, a Retry node may start another attempt).
    for (const { step, node } of groupChildren(op, groupNode, group)) {
      if (isFulfilled(node.phase)) continue;
      op.execute(op, { nodeName: node.name, holder: step, args: {}, boundaryId: stepsNode.id, scope: req.scope, displayName: node.displayName, ...(req.exempt ? { exempt: true } : {}) });
    }
    return groupNode;
  }
  const children: GroupChild[] = [];
  let waiting = false;
  let errored: string | undefined;
  let running = 0;
  const limit = template.parallelism;
  for (const step of group) {
    let expanded: Expanded<WorkflowStep>[];
    try {
      expanded = hasLoop(step) ? expandLoop(step, scope) : [{ name: step.name, step, itemVars: {}, item: undefined }];
    } catch (err) {
      if (!(err instanceof NodeError)) throw err;
      return op.mark(groupNode.id, 'Error', err.message);
    }
    if (hasLoop(step) && expanded.length === 0) {
      const skipped = op.byName(`${groupNode.name}.${step.name}`) ?? skipNode(op, `${groupNode.name}.${step.name}`, stepsNode.id, 'Skipped', 'Skipped, empty params', step, req.scope);
      op.addChild(groupNode.id, skipped.id);
      children.push({ step, node: skipped });
      continue;
    }
    for (const e of expanded) {
      const childName = `${groupNode.name}.${e.name}`;
      let child = op.byName(childName);
      if (!child) {
        if (limit !== undefined && limit > 0 && running >= limit) {
          waiting = true;
          continue;
        }
        const vars = { ...scope, ...e.itemVars };
        const allowed = whenAllows(e.step, vars);
        if (allowed !== true) {
          child = skipNode(op, childName, stepsNode.id, allowed.phase, allowed.message, e.step, req.scope, e.name);
          op.addChild(groupNode.id, child.id);
          if (allowed.phase === 'Error') errored = allowed.message;
          children.push({ step: e.step, node: child });
          continue;
        }
        let args;
        try {
          args = invocationArgs(e.step, vars);
        } catch (err) {
          if (!(err instanceof NodeError)) throw err;
          child = skipNode(op, childName, stepsNode.id, 'Error', err.message, e.step, req.scope, e.name);
          op.addChild(groupNode.id, child.id);
          errored = err.message;
          children.push({ step: e.step, node: child });
          continue;
        }
        child = op.execute(op, { nodeName: childName, holder: e.step, args, boundaryId: stepsNode.id, scope: req.scope, displayName: e.name, ...(req.exempt ? { exempt: true } : {}) });
        op.addChild(groupNode.id, child.id);
      } else if (!isFulfilled(child.phase)) {
        // A started node runs on the inputs recorded when it started.
        child = op.execute(op, { nodeName: childName, holder: e.step, args: {}, boundaryId: stepsNode.id, scope: req.scope, displayName: e.name, ...(req.exempt ? { exempt: true } : {}) });
      }
      child = op.get(child.id) ?? child;
      // Lifecycle hooks of the step (`hooks.<name>: {expression}`): the group waits for those that fired.
      const hooksRunning = e.step.hooks !== undefined && runLifecycleHooks(op, e.step.hooks, child, stepVars(op, scope, e.step, e.name, child), stepsNode.id, req.scope);
      if (!isNodeFulfilled(child)) {
        waiting = true;
        running++;
      } else if (hooksRunning) {
        waiting = true;
      } else if (isFulfilled(child.phase) && !hookDone(op, e.step, child, scope, stepsNode.id, req, e.name)) {
        waiting = true;
      }
      children.push({ step: e.step, node: op.get(child.id) ?? child });
    }
  }
  if (waiting) return op.get(groupNode.id) ?? groupNode;
  if (errored !== undefined) return op.mark(groupNode.id, 'Error', errored);
  for (const { step, node } of children) {
    if (isFailedOrError(node.phase) && !continuesOn(step, node.phase)) return op.mark(groupNode.id, 'Failed', `child '${node.id}' failed`);
  }
  return op.mark(groupNode.id, 'Succeeded');
}

function stepVars(op: Operation, scope: Vars, step: WorkflowStep, name: string, child: NodeStatus): Vars {
  const vars = { ...scope };
  addNodeToScope(op, vars, `steps.${name}`, child);
  addNodeToScope(op, vars, `steps.${step.name}`, child);
  return vars;
}

function hookDone(op: Operation, step: WorkflowStep, child: NodeStatus, scope: Vars, boundaryId: string, req: ExecRequest, name: string): boolean {
  // Most steps have no exit hook: building their variables (a copy of the scope) for every finished
  // step on every reconcile made a wide fan-out quadratic.
  if (!exitHookOf(step)) return true;
  const vars = stepVars(op, scope, step, name, child);
  const hook = runExitHook(op, step, child, vars, boundaryId, req.scope);
  return hook === undefined || isFulfilled(hook.phase);
}

function addGroupToScope(op: Operation, scope: Vars, groupName: string, group: WorkflowStep[]): void {
  for (const step of group) {
    const prefix = `steps.${step.name}`;
    const direct = op.byName(`${groupName}.${step.name}`);
    if (!hasLoop(step)) {
      if (direct) addNodeToScope(op, scope, prefix, direct);
      continue;
    }
    const group = op.get(op.byName(groupName)?.id ?? '');
    const prefixName = `${groupName}.${step.name}(`;
    const children = (group?.children ?? [])
      .map((id) => op.get(id))
      .filter((n): n is NodeStatus => !!n && n.name.startsWith(prefixName))
      .sort((a, b) => loopIndex(a.name, prefixName) - loopIndex(b.name, prefixName));
    addAggregateToScope(op, scope, prefix, children);
    if (direct) scope[`${prefix}.status`] = direct.phase;
  }
}

function loopIndex(name: string, prefix: string): number {
  return Number.parseInt(name.slice(prefix.length), 10) || 0;
}
