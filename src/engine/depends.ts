import { evaluateExpr } from '../expr/index.js';
import type { DAGTask, NodeStatus } from '../spec/types.js';
import type { Operation } from './context.js';

const RESULTS = new Set(['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed']);
const TOKEN = /[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z]+)?/g;

/** Task names a task waits for: `dependencies`, or the names in its `depends` expression. */
export function taskDependencies(task: DAGTask): string[] {
  if (task.dependencies) return [...task.dependencies];
  if (!task.depends) return [];
  const names = new Set<string>();
  for (const m of task.depends.matchAll(TOKEN)) {
    const [name, result] = splitToken(m[0]);
    if (result === undefined || RESULTS.has(result)) names.add(name);
  }
  return [...names];
}

function splitToken(token: string): [string, string | undefined] {
  const dot = token.lastIndexOf('.');
  if (dot < 0) return [token, undefined];
  return [token.slice(0, dot), token.slice(dot + 1)];
}

const bare = (name: string): string => `(${name}.Succeeded || ${name}.Skipped || ${name}.Daemoned)`;

/**
 * The task's `depends` as an expr-lang expression over sanitised names (Argo replaces '-' with '_'),
 * with a bare name meaning Succeeded, Skipped or Daemoned. Undefined: no condition.
 */
export function dependsExpression(task: DAGTask): string | undefined {
  if (task.depends && task.depends.trim() !== '') {
    return task.depends.replace(TOKEN, (token) => {
      const [name, result] = splitToken(token);
      return result === undefined ? bare(sanitize(name)) : `${sanitize(name)}.${result}`;
    });
  }
  if (task.dependencies && task.dependencies.length > 0) return task.dependencies.map((d) => bare(sanitize(d))).join(' && ');
  return undefined;
}

export function sanitize(name: string): string {
  return name.replace(/-/g, '_');
}

export function dependsHolds(op: Operation, expression: string, deps: string[], nodes: NodeStatus[]): boolean {
  const env: Record<string, unknown> = {};
  deps.forEach((name, i) => {
    const node = nodes[i];
    if (!node) return;
    let anySucceeded = false;
    let allFailed = false;
    if (node.type === 'TaskGroup') {
      const children = (node.children ?? []).map((id) => op.get(id)).filter((n): n is NodeStatus => !!n);
      allFailed = children.length > 0 && children.every((c) => c.phase === 'Failed');
      anySucceeded = children.some((c) => c.phase === 'Succeeded');
    }
    env[sanitize(name)] = {
      Succeeded: node.phase === 'Succeeded',
      Failed: node.phase === 'Failed',
      Errored: node.phase === 'Error',
      Skipped: node.phase === 'Skipped',
      Omitted: node.phase === 'Omitted',
      Daemoned: node.daemoned === true && node.phase !== 'Pending',
      AnySucceeded: anySucceeded,
      AllFailed: allFailed,
    };
  });
  return evaluateExpr(expression, env) === true;
}
