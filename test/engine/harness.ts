// A pure test world for the engine: pods "run" instantly (or after a set number of ticks) with an
// outcome chosen by the test; the clock advances one second per reconcile. No processes, no I/O.
import { parse } from 'yaml';
import { reconcile, type Action, type TemplateLookup } from '../../src/engine/index.js';
import type { PodObservation, PodSpec } from '../../src/runtime/types.js';
import type { ConfigMap, NodeStatus, Workflow } from '../../src/spec/types.js';
import { limitSource } from '../../src/sync/limit.js';
import { LockTable } from '../../src/sync/lock-table.js';
import { durableLocks } from '../../src/sync/status.js';

/** A lock table whose ConfigMap limits are `limits` (`ns/name` → data); edit the map to change them. */
export function testLocks(limits: Record<string, Record<string, string>> = {}): LockTable {
  return new LockTable(limitSource(configMapsOf(limits)));
}

export function configMapsOf(limits: Record<string, Record<string, string>>): Map<string, ConfigMap> {
  const out = new Map<string, ConfigMap>();
  for (const [key, data] of Object.entries(limits)) {
    const [namespace = '', name = ''] = key.split('/');
    out.set(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
  }
  return out;
}

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

/** A stepwise world: reconcile, let pods run, advance the clock; tests may edit `workflow` between steps. */
export class World {
  readonly observed = new Map<string, PodObservation>();
  readonly pending = new Map<string, { spec: PodSpec; outcome: PodOutcome; left: number }>();
  readonly created: PodSpec[] = [];
  readonly actions: Action[][] = [];
  private readonly attempts = new Map<string, number>();
  now = Date.parse('2026-01-01T00:00:00Z');
  reconciles = 0;
  templates: TemplateLookup | undefined;
  /** Shared by worlds that run side by side; the controller's part (sync after each save) is done in step(). */
  locks: LockTable = testLocks();
  /** Workflows the last step's lock changes woke. */
  woken: string[] = [];

  constructor(
    public workflow: Workflow,
    private readonly behaviour: Behaviour = () => ({ exitCode: 0 }),
  ) {}

  get phase(): string | undefined {
    return this.workflow.status?.phase;
  }

  /** One reconcile; pods whose time has come finish first. Returns the requeue the engine asked for. */
  step(): void {
    const at = new Date(this.now);
    const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const [name, p] of this.pending) {
      if (p.left > 0) {
        p.left--;
        continue;
      }
      this.pending.delete(name);
      this.observed.set(name, finish(name, p.outcome, iso));
    }
    const result = reconcile({ workflow: this.workflow, observed: this.observed, now: at, config: { namespace: 'argo' }, locks: this.locks, ...(this.templates ? { templates: this.templates } : {}) });
    this.reconciles++;
    this.actions.push(result.actions);
    this.workflow = result.workflow;
    this.woken = this.locks.sync(`${this.workflow.metadata.namespace ?? 'argo'}/${this.workflow.metadata.name ?? ''}`, durableLocks(this.workflow));
    for (const action of result.actions) {
      if (action.type === 'deletePod') {
        if (this.pending.delete(action.pod)) this.observed.set(action.pod, { name: action.pod, phase: 'Gone', finishedAt: iso, message: 'pod deleted', containers: {} });
        continue;
      }
      if (action.type !== 'createPod') continue;
      if (this.observed.has(action.pod.name) || this.pending.has(action.pod.name)) continue;
      this.created.push(action.pod);
      const key = commandOf(action.pod);
      const n = this.attempts.get(key) ?? 0;
      this.attempts.set(key, n + 1);
      const outcome = this.behaviour(action.pod, n);
      this.observed.set(action.pod.name, { name: action.pod.name, phase: 'Running', startedAt: iso, containers: { main: { state: 'running', startedAt: iso } } });
      this.pending.set(action.pod.name, { spec: action.pod, outcome, left: outcome.ticks ?? 0 });
    }
    this.now += Math.max(1000, result.requeueAfterMs ?? 0);
  }

  /** Steps until the workflow finishes or `until` holds. */
  run(until?: (w: World) => boolean, max = 200): this {
    for (let i = 0; i < max; i++) {
      const phase = this.phase;
      if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Error') break;
      if (until?.(this)) break;
      this.step();
    }
    return this;
  }

  /** Forget pods (as the controller does for a retry) so the same names can run again. */
  forget(pods: string[]): void {
    for (const p of pods) {
      this.observed.delete(p);
      this.pending.delete(p);
    }
  }

  node(displayName: string): NodeStatus | undefined {
    return Object.values(this.workflow.status?.nodes ?? {}).find((n) => n.displayName === displayName);
  }
}

export function runWorkflow(wf: Workflow, behaviour: Behaviour = () => ({ exitCode: 0 }), maxReconciles = 200): RunResult {
  const world = new World(wf, behaviour).run(undefined, maxReconciles);
  const current = world.workflow;
  const nodes = Object.values(current.status?.nodes ?? {});
  return {
    workflow: current,
    created: world.created,
    actions: world.actions,
    nodes,
    reconciles: world.reconciles,
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
