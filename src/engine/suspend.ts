import type { NodeStatus, Template } from '../spec/types.js';
import type { ExecRequest, Operation } from './context.js';
import { parseTime } from './context.js';
import { parseDuration } from './duration.js';
import { isFulfilled } from './phase.js';

/** Suspend templates: Running until resumed (the controller's resume marks the node) or until `duration` elapses. */
export function executeSuspend(op: Operation, req: ExecRequest, template: Template): NodeStatus {
  let node = op.byName(req.nodeName);
  if (node && isFulfilled(node.phase)) return node;
  node ??= op.initNode(req.nodeName, 'Suspend', {
    displayName: req.displayName,
    boundaryId: req.boundaryId,
    templateName: template.name,
    phase: 'Running',
  });
  const halt = op.halt(req);
  if (halt) return op.mark(node.id, 'Failed', halt.unstarted);
  const duration = parseDuration(template.suspend?.duration);
  if (duration === undefined) return node;
  const started = parseTime(node.startedAt) ?? op.now.getTime();
  const remaining = started + duration - op.now.getTime();
  if (remaining <= 0) return op.mark(node.id, 'Succeeded');
  op.requeueIn(remaining);
  return node;
}
