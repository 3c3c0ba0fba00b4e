// A pure test world for pods with several containers (containerSets, init containers, sidecars):
// each pod the engine asks for plays a script of observations, one per reconcile, so a test can
// say exactly which container is where when. The clock advances one second per reconcile. Tests
// may also set a pod's observation by hand (a deletion, a graceful one) between steps.
import type { LockTable } from '../../src/sync/lock-table.js';
import { durableLocks } from '../../src/sync/status.js';
import { testLocks } from './harness.js';
import { reconcile, type Action } from '../../src/engine/index.js';
import type { PodObservation, PodSpec } from '../../src/runtime/types.js';
import type { NodeStatus, Workflow } from '../../src/spec/types.js';

type Containers = PodObservation['containers'];
type Observed = Containers[string];

/** What a pod does: its observations after each reconcile, from its creation on; the last one stays. */
export type PodScript = (pod: PodSpec, attempt: number) => Partial<PodObservation>[];

export const running = (startedAt = '2026-01-01T00:00:00Z'): Observed => ({ state: 'running', startedAt });

export function exited(exitCode: number, extra: { reason?: string; result?: string; outputs?: Record<string, string>; at?: string } = {}): Observed {
  const state: Observed = { state: 'terminated', exitCode, finishedAt: extra.at ?? '2026-01-01T00:00:05Z', outputs: extra.outputs ?? {} };
  if (extra.reason) state.reason = extra.reason;
  if (extra.result !== undefined) state.result = extra.result;
  return state;
}

export const runningPod = (containers: Containers = {}): Partial<PodObservation> => ({ phase: 'Running', containers });
export const finishedPod = (phase: 'Succeeded' | 'Failed', containers: Containers, message?: string): Partial<PodObservation> => ({
  phase,
  containers,
  finishedAt: '2026-01-01T00:00:06Z',
  ...(message ? { message } : {}),
});

/** A pod that runs forever (until deleted). */
export const forever: PodScript = () => [runningPod()];

export class PodWorld {
  readonly observed = new Map<string, PodObservation>();
  readonly created: PodSpec[] = [];
  readonly actions: Action[][] = [];
  private readonly scripts = new Map<string, Partial<PodObservation>[]>();
  private readonly attempts = new Map<string, number>();
  now = Date.parse('2026-01-01T00:00:00Z');
  /** A real lock table (mutexes; semaphore limits as `testLocks` takes them); share one between worlds. */
  locks: LockTable = testLocks();

  constructor(
    public workflow: Workflow,
    private readonly script: PodScript = forever,
  ) {}

  get phase(): string | undefined {
    return this.workflow.status?.phase;
  }

  get nodes(): NodeStatus[] {
    return Object.values(this.workflow.status?.nodes ?? {});
  }

  step(): this {
    const iso = new Date(this.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const [pod, script] of this.scripts) {
      const next = script.length > 1 ? script.shift() : script[0];
      if (next) this.observed.set(pod, { name: pod, ...next, containers: { ...(next.containers ?? {}) } } as PodObservation);
    }
    const input = { workflow: this.workflow, observed: this.observed, now: new Date(this.now), config: { namespace: 'argo' }, locks: this.locks };
    const result = reconcile(input as Parameters<typeof reconcile>[0]);
    this.workflow = result.workflow;
    // The controller's part: the lock table follows the status just "saved".
    this.locks.sync(`argo/${this.workflow.metadata.name ?? ''}`, durableLocks(this.workflow));
    this.actions.push(result.actions);
    for (const action of result.actions) {
      if (action.type === 'deletePod') {
        if (this.scripts.delete(action.pod)) this.observed.set(action.pod, { name: action.pod, phase: 'Gone', finishedAt: iso, message: 'pod deleted', containers: this.observed.get(action.pod)?.containers ?? {} });
      }
      if (action.type !== 'createPod' || this.scripts.has(action.pod.name) || this.observed.has(action.pod.name)) continue;
      this.created.push(action.pod);
      const n = this.attempts.get(action.pod.name) ?? 0;
      this.attempts.set(action.pod.name, n + 1);
      this.scripts.set(action.pod.name, [...this.script(action.pod, this.created.length - 1)]);
    }
    this.now += 1000;
    return this;
  }

  /** Steps until the workflow ends or `until` holds. */
  run(until?: (w: PodWorld) => boolean, max = 100): this {
    for (let i = 0; i < max; i++) {
      if (this.phase === 'Succeeded' || this.phase === 'Failed' || this.phase === 'Error') break;
      if (until?.(this)) break;
      this.step();
    }
    return this;
  }

  /** Sets a pod's observation from now on (its script stops): a deletion, a graceful end. */
  set(pod: string, obs: Partial<PodObservation>): this {
    this.scripts.delete(pod);
    const containers = obs.containers ?? this.observed.get(pod)?.containers ?? {};
    this.observed.set(pod, { name: pod, phase: 'Running', ...obs, containers } as PodObservation);
    return this;
  }

  /** An abrupt deletion: the pod is gone, with whatever its containers reported before. */
  delete(pod: string, message = 'pod deleted'): this {
    return this.set(pod, { phase: 'Gone', message, finishedAt: new Date(this.now).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  }

  node(name: string): NodeStatus {
    const found = this.nodes.filter((n) => n.name === name);
    if (found.length !== 1) throw new Error(`expected one node named ${name}, found ${found.length}: ${this.nodes.map((n) => n.name).join(', ')}`);
    return found[0] as NodeStatus;
  }

  has(name: string): boolean {
    return this.nodes.some((n) => n.name === name);
  }

  pod(name: string): PodSpec {
    const found = this.created.filter((p) => p.name === name);
    if (found.length === 0) throw new Error(`no pod ${name}; created: ${this.created.map((p) => p.name).join(', ')}`);
    return found[found.length - 1] as PodSpec;
  }

  /** The pod created for a node (by node name). */
  podOf(nodeName: string): PodSpec {
    const node = this.node(nodeName);
    const found = this.created.filter((p) => p.nodeId === node.id);
    if (found.length === 0) throw new Error(`no pod for ${nodeName}`);
    return found[found.length - 1] as PodSpec;
  }

  /** Every node that is not finished (Pending or Running). */
  unfinished(): NodeStatus[] {
    return this.nodes.filter((n) => n.phase === 'Pending' || n.phase === 'Running');
  }
}
