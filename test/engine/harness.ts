// A pure test world for the engine: pods "run" instantly (or after a set number of ticks) with an
// outcome chosen by the test; the clock advances one second per reconcile. No processes, no I/O.
import { parse } from 'yaml';
import { reconcile, type Action } from '../../src/engine/index.js';
import type { PodObservation, PodSpec } from '../../src/runtime/types.js';
import type { NodeStatus, Workflow } from '../../src/spec/types.js';

export interface PodOutcome {
  exitCode?: number;
  result?: string;
  outputs?: Record<string, string>;
  /** Reconciles the pod stays Running before it ends. */
  ticks?: number;
  gone?: string;
}

export type Behaviour = (pod: PodSpec, attempt: number) => PodOutcome;

export interface RunResult {
  workflow: Workflow;
  created: PodSpec[];
  actions: Action[][];
  nodes: NodeStatus[];
  byDisplay(name: string): NodeStatus;
  reconciles: number;
}

export function workflowFrom(yaml: string, name = 'wf'): Workflow {
  const wf = parse(yaml, { version: '1.1' }) as Workflow;
  wf.metadata = { ...(wf.metadata ?? {}), name, namespace: 'argo', creationTimestamp: '2026-01-01T00:00:00Z' };
  return wf;
}

/** A command's text, so tests can pick a behaviour by what the pod runs. */
export function commandOf(pod: PodSpec): string {
  const main = pod.containers.find((c) => c.name === 'main');
  return [...(main?.command ?? []), ...(main?.args ?? []), ...(main?.script ? [main.script] : [])].join(' ');
}

export function runWorkflow(wf: Workflow, behaviour: Behaviour = () => ({ exitCode: 0 }), maxReconciles = 200): RunResult {
  const observed = new Map<string, PodObservation>();
  const pending = new Map<string, { spec: PodSpec; outcome: PodOutcome; left: number }>();
  const created: PodSpec[] = [];
  const actions: Action[][] = [];
  const attempts = new Map<string, number>();
  let now = Date.parse('2026-01-01T00:00:00Z');
  let current = wf;
  let count = 0;
  for (; count < maxReconciles; count++) {
    const at = new Date(now);
    const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const [name, p] of pending) {
      if (p.left > 0) {
        p.left--;
        continue;
      }
      pending.delete(name);
      observed.set(name, finish(name, p.outcome, iso));
    }
    const result = reconcile({ workflow: current, observed, now: at, config: { namespace: 'argo' } });
    actions.push(result.actions);
    current = result.workflow;
    for (const action of result.actions) {
      if (action.type !== 'createPod') continue;
      if (observed.has(action.pod.name) || pending.has(action.pod.name)) continue;
      created.push(action.pod);
      const key = commandOf(action.pod);
      const n = attempts.get(key) ?? 0;
      attempts.set(key, n + 1);
      const outcome = behaviour(action.pod, n);
      observed.set(action.pod.name, { name: action.pod.name, phase: 'Running', startedAt: iso, containers: { main: { state: 'running', startedAt: iso } } });
      pending.set(action.pod.name, { spec: action.pod, outcome, left: outcome.ticks ?? 0 });
    }
    const phase = current.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Error') break;
    now += Math.max(1000, result.requeueAfterMs ?? 0);
  }
  const nodes = Object.values(current.status?.nodes ?? {});
  return {
    workflow: current,
    created,
    actions,
    nodes,
    reconciles: count,
    byDisplay(name) {
      const found = nodes.filter((n) => n.displayName === name);
      if (found.length !== 1) throw new Error(`expected one node named ${name}, found ${found.length}: ${nodes.map((n) => n.displayName).join(', ')}`);
      return found[0] as NodeStatus;
    },
  };
}

function finish(name: string, outcome: PodOutcome, at: string): PodObservation {
  if (outcome.gone) return { name, phase: 'Gone', finishedAt: at, message: outcome.gone, containers: {} };
  const exitCode = outcome.exitCode ?? 0;
  const main: PodObservation['containers'][string] = { state: 'terminated', exitCode, finishedAt: at, outputs: outcome.outputs ?? {} };
  if (outcome.result !== undefined) main.result = outcome.result;
  return { name, phase: exitCode === 0 ? 'Succeeded' : 'Failed', finishedAt: at, containers: { main } };
}
