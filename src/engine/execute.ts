import type { Arguments, NodeStatus, NodeType, Template } from '../spec/types.js';
import { NodeError, type ExecRequest, type Operation } from './context.js';
import { executeDag } from './dag.js';
import { followAttempt } from './daemon.js';
import { acquireTemplateLocks } from './locks.js';
import { podName } from './ids.js';
import { processTemplate } from './inputs.js';
import { isFulfilled } from './phase.js';
import { executeContainerSet } from './container-set.js';
import { executePod } from './pod.js';
import { attemptsOf, decideRetry } from './retry.js';
import { executeSteps } from './steps.js';
import { executeSuspend } from './suspend.js';
import { resolveTemplate, templateKind, type ResolvedTemplate } from './templates.js';

/** Argo's executeTemplate: resolve, wrap in a Retry node when a retryStrategy applies, run by kind. */
export function executeTemplate(op: Operation, req: ExecRequest): NodeStatus {
  const existing = op.byName(req.nodeName);
  if (existing && isFulfilled(existing.phase)) return existing;
  let resolved: ResolvedTemplate;
  try {
    resolved = resolveTemplate(op, req.holder, req.scope);
  } catch (err) {
    return failNode(op, req, existing, 'Skipped', err);
  }
  const strategy = resolved.template.retryStrategy ?? op.workflow.spec.retryStrategy;
  const waiting = acquireTemplateLocks(op, req, resolved.template, existing, strategy ? 'Retry' : nodeTypeOf(templateKind(resolved.template)));
  if (waiting) return waiting;
  if (!strategy) return runKind(op, req, resolved, req.locals ?? {});
  return executeWithRetries(op, req, resolved, op.byName(req.nodeName));
}

function executeWithRetries(op: Operation, req: ExecRequest, resolved: ResolvedTemplate, existing: NodeStatus | undefined): NodeStatus {
  const templateName = resolved.template.name || undefined;
  let retryNode =
    existing ??
    op.initNode(req.nodeName, 'Retry', {
      displayName: req.displayName,
      boundaryId: req.boundaryId,
      phase: 'Running',
      ...(templateName ? { templateName } : {}),
      ...(req.onExit ? { nodeFlag: { hooked: true } } : {}),
    });
  // A started Retry node is walked again without arguments (they were bound when it started): its
  // first attempt recorded them, and every later attempt runs on them too.
  const recorded = existing ? attemptsOf(op, retryNode)[0]?.inputs : undefined;
  if (recorded && isEmptyArgs(req.args)) req = { ...req, args: { parameters: recorded.parameters ?? [], artifacts: recorded.artifacts ?? [] } };
  // The strategy is read from the processed template, so `limit: "{{inputs.parameters.n}}"` works.
  let strategy = resolved.template.retryStrategy ?? op.workflow.spec.retryStrategy ?? {};
  try {
    const processed = processTemplate(resolved.template, req.args, op.globals, { ...(req.locals ?? {}), retries: '0' });
    strategy = processed.template.retryStrategy ?? strategy;
  } catch (err) {
    return op.update(retryNode.id, { phase: 'Error', message: errorMessage(err) });
  }
  for (let guard = 0; guard < 3; guard++) {
    const decision = decideRetry(op, retryNode, strategy, req.exempt === true);
    if (decision.kind === 'done') {
      const patch: Partial<NodeStatus> = { phase: decision.phase };
      if (retryNode.daemoned !== undefined) patch.daemoned = undefined;
      if (decision.message !== undefined) patch.message = decision.message;
      if (decision.from?.outputs) patch.outputs = decision.from.outputs;
      return op.update(retryNode.id, patch);
    }
    if (decision.kind === 'wait') {
      op.requeueIn(decision.ms);
      return retryNode.message === decision.message ? retryNode : op.update(retryNode.id, { message: decision.message });
    }
    if (retryNode.message?.startsWith('Backoff for')) retryNode = op.update(retryNode.id, { message: undefined });
    const attemptName = `${req.nodeName}(${decision.index})`;
    const before = op.byName(attemptName);
    const attempt = runKind(
      op,
      {
        ...req,
        nodeName: attemptName,
        displayName: `${req.displayName ?? retryNode.displayName}(${decision.index})`,
        locals: { ...(req.locals ?? {}), ...decision.locals },
        ...(decision.deadlineAt !== undefined ? { deadlineAt: decision.deadlineAt } : {}),
      },
      resolved,
      { ...(req.locals ?? {}), ...decision.locals },
    );
    if (!before) op.update(attempt.id, { nodeFlag: { ...(attempt.nodeFlag ?? {}), retried: true } });
    op.addChild(retryNode.id, attempt.id);
    retryNode = op.get(retryNode.id) ?? retryNode;
    const current = op.get(attempt.id);
    // A daemoned attempt makes the Retry node fulfilled (daemoned) without completing it: the
    // attempt may still die and be retried (Argo's retry completion waits for childrenFulfilled).
    retryNode = followAttempt(op, retryNode, current);
    if (!isFulfilled(current?.phase ?? 'Pending')) return retryNode;
  }
  return retryNode;
}

function runKind(op: Operation, req: ExecRequest, resolved: ResolvedTemplate, locals: Record<string, string>): NodeStatus {
  const template = resolved.template;
  const kind = templateKind(template);
  const templateName = template.name || undefined;
  const existing = op.byName(req.nodeName);
  if (existing && isFulfilled(existing.phase)) return existing;
  let processed: Template;
  try {
    const pod = podName(op.name, req.nodeName, templateName);
    // A started node keeps the inputs it was started with; its arguments are not resolved again.
    const args = existing?.inputs ? { parameters: existing.inputs.parameters ?? [], artifacts: existing.inputs.artifacts ?? [] } : req.args;
    const result = processTemplate(template, args, op.globals, { ...locals, 'pod.name': pod, 'node.name': req.nodeName });
    processed = result.template;
    const scopedReq: ExecRequest = { ...req, scope: resolved.scope };
    switch (kind) {
      case 'container':
      case 'script':
        return executePod(op, scopedReq, processed, templateName);
      case 'containerSet':
        return executeContainerSet(op, scopedReq, processed, templateName);
      case 'steps':
        return executeSteps(op, scopedReq, processed, result.vars);
      case 'dag':
        return executeDag(op, scopedReq, processed, result.vars);
      case 'suspend':
        return executeSuspend(op, scopedReq, processed);
      case undefined:
        throw new NodeError(`template '${template.name}' has no container, script, steps, dag or other template type`);
      default:
        throw new NodeError(`${kind} templates are not supported by argot's local runtime yet`);
    }
  } catch (err) {
    if (!(err instanceof NodeError)) throw err;
    return failNode(op, req, op.byName(req.nodeName), nodeTypeOf(kind), err);
  }
}

function nodeTypeOf(kind: ReturnType<typeof templateKind>): NodeType {
  switch (kind) {
    case 'container':
    case 'script':
    case 'containerSet':
      return 'Pod';
    case 'steps':
      return 'Steps';
    case 'dag':
      return 'DAG';
    case 'suspend':
      return 'Suspend';
    default:
      return 'Skipped';
  }
}

function failNode(op: Operation, req: ExecRequest, existing: NodeStatus | undefined, type: NodeType, err: unknown): NodeStatus {
  if (!(err instanceof NodeError)) throw err;
  if (existing) return op.update(existing.id, { phase: 'Error', message: err.message });
  return op.initNode(req.nodeName, type, {
    displayName: req.displayName,
    boundaryId: req.boundaryId,
    phase: 'Error',
    message: err.message,
    ...(req.holder.template ? { templateName: req.holder.template } : {}),
  });
}

function isEmptyArgs(args: Arguments): boolean {
  return (args.parameters?.length ?? 0) === 0 && (args.artifacts?.length ?? 0) === 0;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
