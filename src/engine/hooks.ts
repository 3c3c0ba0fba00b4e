import type { Invocation, LifecycleHook, NodeStatus } from '../spec/types.js';
import { NodeError, type Operation, type TemplateScope } from './context.js';
import { invocationArgs } from './invocation.js';
import { isFulfilled } from './phase.js';
import type { Vars } from './vars.js';

/** The exit handler of a step or task (`hooks.exit`, or the deprecated `onExit`). */
export function exitHookOf(step: Invocation): LifecycleHook | undefined {
  if (step.hooks?.exit) return step.hooks.exit;
  if (step.onExit) return { template: step.onExit };
  return undefined;
}

/**
 * Runs a step's or task's exit handler once the node is fulfilled, as `<node>.onExit`, a child of
 * the node. Its failure does not fail the step; the caller waits for it to finish.
 */
export function runExitHook(op: Operation, step: Invocation, node: NodeStatus, vars: Vars, boundaryId: string, scope: TemplateScope): NodeStatus | undefined {
  const hook = exitHookOf(step);
  if (!hook || !isFulfilled(node.phase)) return undefined;
  const hookName = `${node.name}.onExit`;
  const existing = op.byName(hookName);
  if (existing && isFulfilled(existing.phase)) return existing;
  let args;
  try {
    args = invocationArgs({ name: 'onExit', arguments: hook.arguments ?? {} }, vars);
  } catch (err) {
    if (!(err instanceof NodeError)) throw err;
    args = {};
  }
  const exitNode = op.execute(op, {
    nodeName: hookName,
    holder: { ...(hook.template ? { template: hook.template } : {}), ...(hook.templateRef ? { templateRef: hook.templateRef } : {}) },
    args,
    boundaryId,
    scope,
    displayName: `${node.displayName}.onExit`,
    onExit: true,
    exempt: true,
  });
  if (!exitNode.nodeFlag?.hooked) op.update(exitNode.id, { nodeFlag: { ...(exitNode.nodeFlag ?? {}), hooked: true } });
  op.addChild(node.id, exitNode.id);
  return op.get(exitNode.id) ?? exitNode;
}
