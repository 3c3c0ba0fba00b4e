import { evaluateExpr, expandVars } from '../expr/index.js';
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

/**
 * Lifecycle hooks other than `exit` (v3.3+): each runs once, as `<owner>.hooks.<name>` (a hooked
 * child of `owner`), as soon as its expression holds, in parallel with the work it watches.
 * `vars` are what the expression sees (workflow.status, steps.X.status…). Returns whether a
 * triggered hook is still running: the owner does not complete before its hooks.
 */
export function runLifecycleHooks(
  op: Operation,
  hooks: Record<string, LifecycleHook> | undefined,
  owner: NodeStatus,
  vars: Vars,
  boundaryId: string,
  scope: TemplateScope,
): boolean {
  let running = false;
  for (const [name, hook] of Object.entries(hooks ?? {})) {
    if (name === 'exit') continue;
    const nodeName = `${owner.name}.hooks.${name}`;
    const existing = op.byName(nodeName);
    if (!existing) {
      if (!hook.expression) continue;
      let fire: unknown;
      try {
        fire = evaluateExpr(hook.expression, expandVars(vars));
      } catch {
        // Variables a hook names may not exist yet (a step not reached): not true, so not yet.
        fire = false;
      }
      if (fire !== true) continue;
    } else if (isFulfilled(existing.phase)) continue;
    let args;
    try {
      args = invocationArgs({ name, arguments: hook.arguments ?? {} }, vars);
    } catch (err) {
      if (!(err instanceof NodeError)) throw err;
      args = {};
    }
    const node = op.execute(op, {
      nodeName,
      holder: { ...(hook.template ? { template: hook.template } : {}), ...(hook.templateRef ? { templateRef: hook.templateRef } : {}) },
      args,
      boundaryId,
      scope,
      exempt: true,
    });
    if (!node.nodeFlag?.hooked) op.update(node.id, { nodeFlag: { ...(node.nodeFlag ?? {}), hooked: true } });
    op.addChild(owner.id, node.id);
    if (!isFulfilled(op.get(node.id)?.phase ?? node.phase)) running = true;
  }
  return running;
}
