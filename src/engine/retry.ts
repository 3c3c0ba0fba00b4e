import { evaluateExpr } from '../expr/index.js';
import type { NodePhase, NodeStatus, RetryStrategy } from '../spec/types.js';
import type { Operation } from './context.js';
import { parseTime } from './context.js';
import { humanizeDuration, parseDuration } from './duration.js';
import { isFailedOrError, isFulfilled } from './phase.js';

export type RetryDecision =
  /** `deadlineAt` (ms): attempts after the first must end by then (first attempt's start + backoff.maxDuration). */
  | { kind: 'attempt'; index: number; locals: Record<string, string>; deadlineAt?: number }
  | { kind: 'wait'; ms: number; message: string }
  | { kind: 'done'; phase: NodePhase; message?: string; from?: NodeStatus };

/** The attempts of a Retry node, in order: only children flagged `retried` (hooks hang there too). */
export function attemptsOf(op: Operation, retryNode: NodeStatus): NodeStatus[] {
  return (retryNode.children ?? []).map((id) => op.get(id)).filter((n): n is NodeStatus => !!n && !!n.nodeFlag?.retried);
}

/** Argo's processNodeRetries, in its order: success, backoff, policy, limit, expression, next attempt. */
export function decideRetry(op: Operation, retryNode: NodeStatus, strategy: RetryStrategy, exempt = false): RetryDecision {
  const attempts = attemptsOf(op, retryNode);
  const last = attempts[attempts.length - 1];
  if (!last) return { kind: 'attempt', index: 0, locals: firstLocals() };
  if (!isFulfilled(last.phase)) return withDeadline({ kind: 'attempt', index: attempts.length - 1, locals: localsFor(attempts.length - 1, attempts[attempts.length - 2]) }, strategy, attempts[0]);
  if (last.phase === 'Succeeded' || !isFailedOrError(last.phase)) return { kind: 'done', phase: last.phase === 'Succeeded' ? 'Succeeded' : last.phase, from: last };
  if (op.deadline?.exceeded && !exempt) return { kind: 'done', phase: last.phase, message: `retry exceeded workflow deadline ${op.deadline.at}`, from: last };
  if (op.workflow.spec.shutdown) return { kind: 'done', phase: last.phase, message: `Stopped with strategy '${op.workflow.spec.shutdown}'`, from: last };

  const limit = parseLimit(strategy.limit);
  if (limit === 'invalid') return { kind: 'done', phase: 'Error', message: `value '${String(strategy.limit)}' cannot be resolved to an int`, from: last };

  const backoff = strategy.backoff;
  if (backoff) {
    const first = attempts[0];
    const maxMs = parseDuration(backoff.maxDuration);
    const firstStart = parseTime(first?.startedAt) ?? op.now.getTime();
    if (maxMs !== undefined && op.now.getTime() > firstStart + maxMs) return { kind: 'done', phase: last.phase, message: 'Max duration limit exceeded', from: last };
    const base = parseDuration(backoff.duration);
    if (base === undefined) return { kind: 'done', phase: 'Error', message: 'no base duration specified for retryStrategy', from: last };
    const factor = Number(backoff.factor ?? 0);
    let wait = factor > 0 ? base * Math.pow(factor, attempts.length - 1) : base;
    const cap = parseDuration(backoff.cap);
    if (cap !== undefined && wait > cap) wait = cap;
    const deadline = (parseTime(last.finishedAt) ?? op.now.getTime()) + wait;
    if (maxMs !== undefined && deadline > firstStart + maxMs) return { kind: 'done', phase: last.phase, message: 'Backoff would exceed max duration limit', from: last };
    if (op.now.getTime() < deadline && limit !== undefined && attempts.length <= limit && policyRetries(strategy, last)) {
      return { kind: 'wait', ms: deadline - op.now.getTime(), message: `Backoff for ${humanizeDuration(wait)}` };
    }
  }

  if (!policyRetries(strategy, last)) return { kind: 'done', phase: last.phase, ...(last.message ? { message: last.message } : {}), from: last };
  if (limit !== undefined && attempts.length > limit) return { kind: 'done', phase: last.phase, message: 'No more retries left', from: last };
  if (strategy.expression) {
    const env = { retries: String(attempts.length - 1), lastRetry: lastRetry(last) };
    let ok: unknown;
    try {
      ok = evaluateExpr(strategy.expression, env);
    } catch (err) {
      return { kind: 'done', phase: 'Error', message: `retryStrategy.expression: ${err instanceof Error ? err.message : String(err)}`, from: last };
    }
    if (ok !== true) return { kind: 'done', phase: last.phase, message: 'retryStrategy.expression evaluated to false', from: last };
  }
  return withDeadline({ kind: 'attempt', index: attempts.length, locals: localsFor(attempts.length, last) }, strategy, attempts[0]);
}

function parseLimit(limit: number | string | undefined): number | undefined | 'invalid' {
  if (limit === undefined || limit === '') return undefined;
  const n = typeof limit === 'number' ? limit : Number(limit.trim());
  return Number.isInteger(n) ? n : 'invalid';
}

const TRANSIENT = /exceeded quota|the object has been modified|etcdserver|connection refused|i\/o timeout|TLS handshake timeout|transport is closing|no such host/i;

function policyRetries(strategy: RetryStrategy, last: NodeStatus): boolean {
  const policy = strategy.retryPolicy ?? (strategy.expression ? 'Always' : 'OnFailure');
  switch (policy) {
    case 'Always':
      return true;
    case 'OnFailure':
      return last.phase === 'Failed';
    case 'OnError':
      return last.phase === 'Error';
    case 'OnTransientError':
      return TRANSIENT.test(last.message ?? '');
  }
}

function lastRetry(node: NodeStatus): Record<string, string> {
  const started = parseTime(node.startedAt);
  const finished = parseTime(node.finishedAt);
  return {
    exitCode: node.outputs?.exitCode ?? '-1',
    status: node.phase,
    duration: started !== undefined && finished !== undefined ? String(Math.round((finished - started) / 1000)) : '0',
    message: node.message ?? '',
  };
}

function firstLocals(): Record<string, string> {
  return { retries: '0', 'lastRetry.exitCode': '0', 'lastRetry.status': '', 'lastRetry.duration': '0', 'lastRetry.message': '' };
}

function localsFor(index: number, previous: NodeStatus | undefined): Record<string, string> {
  if (!previous) return firstLocals();
  const lr = lastRetry(previous);
  return {
    retries: String(index),
    'lastRetry.exitCode': lr.exitCode ?? '-1',
    'lastRetry.status': lr.status ?? '',
    'lastRetry.duration': lr.duration ?? '0',
    'lastRetry.message': lr.message ?? '',
  };
}

/** Argo gives every attempt after the first the time left before the first one's start + maxDuration as its pod deadline. */
function withDeadline(decision: Extract<RetryDecision, { kind: 'attempt' }>, strategy: RetryStrategy, first: NodeStatus | undefined): RetryDecision {
  const maxMs = parseDuration(strategy.backoff?.maxDuration);
  const start = parseTime(first?.startedAt);
  if (decision.index === 0 || maxMs === undefined || start === undefined) return decision;
  return { ...decision, deadlineAt: start + maxMs };
}
