// Acceptance scenarios of spec/sync.md §3 against a running server: the in-process stack (memory
// store, real Controller and engine, fastify app, FakeRuntime), driven through the HTTP API as a
// user would. Every environment carries a LockMonitor that checks the universal invariant INV on
// every store write and every pod creation, and each test ends by asserting it found nothing.
import { afterEach, expect } from 'vitest';
import type { PodEvent, PodSpec } from '../../src/runtime/types.js';
import { call, type Reply } from '../../src/server/test-helpers/api.js';
import { startStack, type Stack, type StackOptions } from '../../src/server/test-helpers/stack.js';
import type { ConfigMap, Mutex, NodeStatus, Semaphore, Synchronization, Template, Workflow, WorkflowSpec } from '../../src/spec/types.js';
import type { Change } from '../../src/store/types.js';

/** The scenarios' namespace. */
export const NS = 'argo';
export const WORKFLOW_SEMAPHORE = 'argo/ConfigMap/my-config/workflow';
export const TEMPLATE_SEMAPHORE = 'argo/ConfigMap/my-config/template';

// ---------------------------------------------------------------------------------------------
// Workflows

/** creationTimestamps "tN": whole seconds, N seconds after a base an hour ago (spec: ≥ 1 s apart). */
const BASE = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
export function at(n: number): string {
  return new Date(BASE + n * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A template whose fake pod runs `script` (fake-runtime.ts: `hold`, `sleep <ms>`, `exit <n>`, `say x`, `pending`). */
export function pod(name: string, script = 'hold', extra: Partial<Template> = {}): Template {
  return { name, container: { image: 'fake', args: [script] }, ...extra };
}

export function cmSemaphore(key: string, cm = 'my-config', namespace?: string): Semaphore {
  return { configMapKeyRef: { name: cm, key }, ...(namespace ? { namespace } : {}) };
}

export function mutexes(...names: string[]): Synchronization {
  return { mutexes: names.map((name): Mutex => ({ name })) };
}

export function semaphores(...keys: string[]): Synchronization {
  return { semaphores: keys.map((k) => cmSemaphore(k)) };
}

export interface WfOptions {
  ns?: string;
  priority?: number;
  /** creationTimestamp at(created). */
  created?: number;
  /** Workflow-level synchronization. */
  sync?: Synchronization;
  /** Default: one template `main`, a pod running `script`. */
  templates?: Template[];
  script?: string;
  parameters?: Record<string, string>;
  spec?: Partial<WorkflowSpec>;
}

export function wf(name: string, o: WfOptions = {}): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: o.ns ?? NS, ...(o.created !== undefined ? { creationTimestamp: at(o.created) } : {}) },
    spec: {
      entrypoint: 'main',
      templates: o.templates ?? [pod('main', o.script ?? 'hold')],
      ...(o.sync ? { synchronization: o.sync } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.parameters ? { arguments: { parameters: Object.entries(o.parameters).map(([n, value]) => ({ name: n, value })) } } : {}),
      ...o.spec,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// INV

type Holds = Map<string, Set<string>>;

interface WfView {
  phase: string | undefined;
  finished: boolean;
  /** Lock key → holder keys, as status.synchronization.*.holding records them. */
  holds: Holds;
  /** Node ID → parent node ID (from `children`). */
  parents: Map<string, string>;
  /** Whether the workflow's own spec asks for workflow-level locks. */
  wantsWorkflowLock: boolean;
  hasSyncStatus: boolean;
}

/** One stored state of a workflow, kept for scenario-specific checks (all-or-nothing, write counts). */
export interface WfState {
  type: Change<Workflow>['type'];
  phase: string | undefined;
  message: string | undefined;
  /** Lock key → holder keys. */
  holds: Record<string, string[]>;
  at: number;
}

const FINISHED = new Set(['Succeeded', 'Failed', 'Error']);

function viewOf(w: Workflow): WfView {
  const holds: Holds = new Map();
  const add = (lock: string, holder: string): void => {
    if (!holds.has(lock)) holds.set(lock, new Set());
    holds.get(lock)?.add(holder);
  };
  const sync = w.status?.synchronization;
  for (const h of sync?.semaphore?.holding ?? []) for (const holder of h.holders ?? []) add(h.semaphore, holder);
  for (const h of sync?.mutex?.holding ?? []) if (h.holder) add(h.mutex, h.holder);
  const parents = new Map<string, string>();
  for (const node of Object.values(w.status?.nodes ?? {})) for (const c of node.children ?? []) parents.set(c, node.id);
  const s = w.spec.synchronization;
  const wantsWorkflowLock = !!s && (!!s.semaphore || !!s.mutex || (s.semaphores?.length ?? 0) > 0 || (s.mutexes?.length ?? 0) > 0);
  const phase = w.status?.phase;
  return { phase, finished: FINISHED.has(phase ?? ''), holds, parents, wantsWorkflowLock, hasSyncStatus: sync !== undefined };
}

const keyOf = (w: Workflow): string => `${w.metadata.namespace ?? ''}/${w.metadata.name ?? ''}`;

/**
 * INV (spec/sync.md §3): no lock ever has more holders than its limit, except holders carried over
 * a limit decrease or a restart. Checked as "no holder is ever newly admitted while that makes
 * the count exceed the limit" (§1.17 I1), in two independent ways:
 * - status: the holders recorded in every stored workflow's status.synchronization, on every write;
 * - pods: the distinct holders (workflow, or the node above the pod) that have a live pod, on every
 *   pod creation: a pod belongs to the holders covering it when it is created.
 * Limits are read from the stored ConfigMaps (a broken source keeps the last known value).
 * Also checked: a finished workflow records no synchronization; a workflow whose own spec asks for
 * workflow-level locks never gets a pod without holding them.
 */
export class LockMonitor {
  readonly violations: string[] = [];
  /** Highest number of distinct holders with a live pod, per lock. */
  readonly peaks = new Map<string, number>();
  /** (time, lock, holders with a live pod), at every change. */
  readonly samples: { t: number; lock: string; holders: number }[] = [];
  /** Workflow key → time (performance.now) its first pod was created. */
  readonly starts = new Map<string, number>();
  readonly startOrder: string[] = [];
  /** Workflow key → every stored state. */
  readonly states = new Map<string, WfState[]>();
  /** Pod name → workflow key, for pods created. */
  readonly podOwners = new Map<string, string>();
  private readonly views = new Map<string, WfView>();
  private readonly statusHolders = new Map<string, Set<string>>();
  private readonly configMaps = new Map<string, Record<string, string>>();
  private readonly lastKnown = new Map<string, number>();
  private readonly live = new Map<string, { wf: string; locks: Map<string, string> }>();
  private readonly liveHolders = new Map<string, Map<string, number>>();
  private readonly stops: (() => void)[] = [];

  constructor(private readonly stack: Stack) {}

  async attach(): Promise<void> {
    const { store, runtime } = this.stack;
    for (const cm of (await store.configMaps.list()).items) this.onConfigMap({ type: 'ADDED', object: cm });
    this.stops.push(store.configMaps.watch((c) => this.onConfigMap(c)));
    this.stops.push(store.workflows.watch((c) => this.onWorkflow(c)));
    this.stops.push(runtime.onEvent((e) => this.onPodEvent(e)));
    const create = runtime.createPod.bind(runtime);
    runtime.createPod = async (spec: PodSpec) => {
      const before = runtime.created.length;
      await create(spec);
      if (runtime.created.length > before) this.onPodCreated(spec);
    };
    const vanish = runtime.vanish.bind(runtime);
    runtime.vanish = (name: string) => {
      vanish(name);
      this.podEnded(name);
    };
  }

  detach(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** The limit INV applies to a lock key: mutexes 1, ConfigMap semaphores their stored value (else the last valid one). */
  limit(lock: string): number | undefined {
    const parts = lock.split('/');
    if (parts[1] === 'Mutex') return 1;
    if (parts[1] !== 'ConfigMap') return undefined;
    const valid = parseLimit(this.configMaps.get(`${parts[0]}/${parts[2]}`)?.[parts.slice(3).join('/')]);
    if (valid !== undefined) this.lastKnown.set(lock, valid);
    return valid ?? this.lastKnown.get(lock);
  }

  /** Distinct holders of a lock with a live pod now. */
  running(lock: string): number {
    return this.liveHolders.get(lock)?.size ?? 0;
  }

  /** Holders recorded in stored status now. */
  recorded(lock: string): string[] {
    return [...(this.statusHolders.get(lock) ?? [])];
  }

  started(name: string, ns = NS): boolean {
    return this.starts.has(`${ns}/${name}`);
  }

  /** Workflow names in the order their first pod was created. */
  order(filter: (name: string) => boolean = () => true): string[] {
    return this.startOrder.map((k) => k.slice(k.indexOf('/') + 1)).filter(filter);
  }

  statesOf(name: string, ns = NS): WfState[] {
    return this.states.get(`${ns}/${name}`) ?? [];
  }

  private violation(text: string): void {
    this.violations.push(text);
  }

  private onConfigMap(change: Change<ConfigMap>): void {
    const key = `${change.object.metadata.namespace ?? ''}/${change.object.metadata.name ?? ''}`;
    // Locks of this ConfigMap remember the value they had, for when it goes away.
    for (const lock of this.knownLocks()) if (lock.startsWith(`${change.object.metadata.namespace ?? ''}/ConfigMap/${change.object.metadata.name ?? ''}/`)) this.limit(lock);
    if (change.type === 'DELETED') this.configMaps.delete(key);
    else this.configMaps.set(key, { ...(change.object.data ?? {}) });
    for (const lock of this.knownLocks()) this.limit(lock);
  }

  private knownLocks(): string[] {
    return [...new Set([...this.statusHolders.keys(), ...this.liveHolders.keys(), ...this.lastKnown.keys()])];
  }

  private onWorkflow(change: Change<Workflow>): void {
    const w = change.object;
    const key = keyOf(w);
    const old = this.views.get(key);
    const next = change.type === 'DELETED' ? undefined : viewOf(w);
    if (next) this.views.set(key, next);
    else this.views.delete(key);
    const states = this.states.get(key) ?? [];
    const holds: Record<string, string[]> = {};
    for (const [lock, holders] of next?.holds ?? []) holds[lock] = [...holders];
    states.push({ type: change.type, phase: w.status?.phase, message: w.status?.message, holds, at: performance.now() });
    this.states.set(key, states);

    const locks = new Set([...(old?.holds.keys() ?? []), ...(next?.holds.keys() ?? [])]);
    for (const lock of locks) {
      const before = new Set(this.statusHolders.get(lock) ?? []);
      const after = new Set(before);
      for (const h of old?.holds.get(lock) ?? []) after.delete(h);
      for (const h of next?.holds.get(lock) ?? []) after.add(h);
      if (after.size > 0) this.statusHolders.set(lock, after);
      else this.statusHolders.delete(lock);
      this.check('status', lock, before, after, `write of ${key} (${w.status?.phase ?? 'no phase'})`);
    }
    if (next?.finished && next.hasSyncStatus) this.violation(`${key} is ${next.phase} but still records status.synchronization ${JSON.stringify(w.status?.synchronization)}`);
  }

  private onPodCreated(spec: PodSpec): void {
    const key = `${spec.namespace}/${spec.workflowName}`;
    this.podOwners.set(spec.name, key);
    const view = this.views.get(key);
    const covering = [key];
    for (let id: string | undefined = spec.nodeId; id !== undefined; id = view?.parents.get(id)) {
      covering.push(`${key}/${id}`);
      if (covering.length > 1000) break;
    }
    const locks = new Map<string, string>();
    for (const [lock, holders] of view?.holds ?? []) {
      for (const h of covering) if (holders.has(h)) locks.set(lock, h);
    }
    if (view?.wantsWorkflowLock && ![...(view.holds.values() ?? [])].some((holders) => holders.has(key))) {
      this.violation(`pod ${spec.name} of ${key} was created while the workflow holds none of its workflow-level locks`);
    }
    this.live.set(spec.name, { wf: key, locks });
    for (const [lock, holder] of locks) {
      const counts = this.liveHolders.get(lock) ?? new Map<string, number>();
      const before = new Set(counts.keys());
      counts.set(holder, (counts.get(holder) ?? 0) + 1);
      this.liveHolders.set(lock, counts);
      this.check('pods', lock, before, new Set(counts.keys()), `pod ${spec.name} created`);
      this.peaks.set(lock, Math.max(this.peaks.get(lock) ?? 0, counts.size));
      this.samples.push({ t: performance.now(), lock, holders: counts.size });
    }
    if (!this.starts.has(key)) {
      this.starts.set(key, performance.now());
      this.startOrder.push(key);
    }
  }

  private onPodEvent(event: PodEvent): void {
    if (event.type === 'podFinished' || event.type === 'podGone') this.podEnded(event.pod);
  }

  private podEnded(name: string): void {
    const pod = this.live.get(name);
    if (!pod) return;
    this.live.delete(name);
    for (const [lock, holder] of pod.locks) {
      const counts = this.liveHolders.get(lock);
      if (!counts) continue;
      const n = (counts.get(holder) ?? 1) - 1;
      if (n > 0) counts.set(holder, n);
      else counts.delete(holder);
      this.samples.push({ t: performance.now(), lock, holders: counts.size });
    }
  }

  private check(how: 'status' | 'pods', lock: string, before: Set<string>, after: Set<string>, what: string): void {
    const limit = this.limit(lock);
    if (limit === undefined) return;
    const added = [...after].filter((h) => !before.has(h));
    if (added.length > 0 && after.size > limit) {
      this.violation(`INV (${how}): ${what} admitted ${added.join(', ')} to ${lock}: ${after.size} holders [${[...after].join(', ')}] > limit ${limit}`);
    }
  }
}

function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 0 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// The environment: a stack, its monitor, and the API calls the scenarios make

export interface EnvOptions extends StackOptions {
  /** ConfigMaps to create (through the API) before anything runs: name → data, in namespace NS. */
  configMaps?: Record<string, Record<string, string>>;
  /** Controller log errors that are expected (matched by substring); any other fails the test. */
  allowErrors?: string[];
}

export class SyncEnv {
  private constructor(
    readonly stack: Stack,
    readonly monitor: LockMonitor,
    private readonly allowErrors: string[],
  ) {}

  static async start(opts: EnvOptions = {}): Promise<SyncEnv> {
    const stack = await startStack({ namespace: NS, ...opts });
    const monitor = new LockMonitor(stack);
    await monitor.attach();
    const env = new SyncEnv(stack, monitor, opts.allowErrors ?? []);
    for (const [name, data] of Object.entries(opts.configMaps ?? {})) await env.putConfigMap(name, data);
    return env;
  }

  get runtime() {
    return this.stack.runtime;
  }

  /** POST /api/v1/workflows/{ns}; throws unless 200. */
  async submit(w: Workflow): Promise<Workflow> {
    const r = await this.trySubmit(w);
    if (r.status !== 200) throw new Error(`submit ${w.metadata.name ?? ''}: ${r.status} ${r.text}`);
    return r.body;
  }

  trySubmit(w: Workflow): Promise<Reply<Workflow>> {
    return call<Workflow>(this.stack.app, 'POST', `/api/v1/workflows/${w.metadata.namespace ?? NS}`, { workflow: w });
  }

  /** Submits several, in order, each stored before the next is sent. */
  async submitAll(ws: Workflow[]): Promise<void> {
    for (const w of ws) await this.submit(w);
  }

  async get(name: string, ns = NS): Promise<Workflow> {
    const r = await call<Workflow>(this.stack.app, 'GET', `/api/v1/workflows/${ns}/${name}`);
    if (r.status !== 200) throw new Error(`get ${ns}/${name}: ${r.status} ${r.text}`);
    return r.body;
  }

  async exists(name: string, ns = NS): Promise<boolean> {
    return (await call(this.stack.app, 'GET', `/api/v1/workflows/${ns}/${name}`)).status === 200;
  }

  /** PUT /api/v1/workflows/{ns}/{name}/{verb} (terminate, stop, suspend, resume, …); throws unless 200. */
  async op(name: string, verb: string, body: Record<string, unknown> = {}, ns = NS): Promise<Workflow> {
    const r = await call<Workflow>(this.stack.app, 'PUT', `/api/v1/workflows/${ns}/${name}/${verb}`, { namespace: ns, name, ...body });
    if (r.status !== 200) throw new Error(`${verb} ${ns}/${name}: ${r.status} ${r.text}`);
    return r.body;
  }

  async remove(name: string, ns = NS): Promise<void> {
    const r = await call(this.stack.app, 'DELETE', `/api/v1/workflows/${ns}/${name}`);
    if (r.status !== 200) throw new Error(`delete ${ns}/${name}: ${r.status} ${r.text}`);
  }

  /** Creates or replaces a ConfigMap through /api/v1/configmaps. */
  async putConfigMap(name: string, data: Record<string, string>, ns = NS): Promise<void> {
    const existing = await call<ConfigMap>(this.stack.app, 'GET', `/api/v1/configmaps/${ns}/${name}`);
    const configMap: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data };
    const r =
      existing.status === 200
        ? await call(this.stack.app, 'PUT', `/api/v1/configmaps/${ns}/${name}`, { namespace: ns, name, configMap: { ...configMap, metadata: existing.body.metadata } })
        : await call(this.stack.app, 'POST', `/api/v1/configmaps/${ns}`, { namespace: ns, configMap });
    if (r.status !== 200) throw new Error(`put ConfigMap ${ns}/${name}: ${r.status} ${r.text}`);
  }

  async deleteConfigMap(name: string, ns = NS): Promise<void> {
    const r = await call(this.stack.app, 'DELETE', `/api/v1/configmaps/${ns}/${name}`);
    if (r.status !== 200) throw new Error(`delete ConfigMap ${ns}/${name}: ${r.status} ${r.text}`);
  }

  /** Sets a ConfigMap limit through /api/v1/sync (argo sync update, or create when absent). */
  async setLimit(key: string, limit: number, cmName = 'my-config', ns = NS): Promise<void> {
    const body = { namespace: ns, key, limit, type: 'CONFIGMAP', cmName };
    let r = await call(this.stack.app, 'PUT', `/api/v1/sync/${ns}/${key}`, body);
    if (r.status === 404) r = await call(this.stack.app, 'POST', `/api/v1/sync/${ns}`, body);
    if (r.status !== 200) throw new Error(`set limit ${ns}/${cmName}/${key}=${limit}: ${r.status} ${r.text}`);
  }

  /** A lock gauge from /metrics (`held` or `pending`), 0 when the lock is not listed. */
  async lockGauge(which: 'held' | 'pending', lock: string): Promise<number> {
    const r = await call(this.stack.app, 'GET', '/metrics');
    if (r.status !== 200) throw new Error(`GET /metrics: ${r.status}`);
    for (const line of r.text.split('\n')) {
      if (!line.startsWith(`argo_workflows_locks_${which}{`) || !line.includes(`lock_name="${lock}"`)) continue;
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return 0;
  }

  /** Creates a WorkflowTemplate through /api/v1/workflow-templates. */
  async createTemplate(name: string, spec: Partial<WorkflowSpec>, ns = NS): Promise<void> {
    const template = { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name, namespace: ns }, spec };
    const r = await call(this.stack.app, 'POST', `/api/v1/workflow-templates/${ns}`, { namespace: ns, template });
    if (r.status !== 200) throw new Error(`create WorkflowTemplate ${ns}/${name}: ${r.status} ${r.text}`);
  }

  /** Waits for a held pod of the workflow, then lets it (all its held pods) finish. */
  async release(name: string, ns = NS, timeoutMs = 3000): Promise<void> {
    await until(() => this.runtime.releaseWorkflow(name, ns).length > 0 || undefined, `a held pod of ${ns}/${name} to release`, timeoutMs);
  }

  /** Releases, then waits until the workflow has finished. */
  async finish(name: string, ns = NS): Promise<Workflow> {
    await this.release(name, ns);
    return this.until(name, (w) => FINISHED.has(w.status?.phase ?? ''), 'finished', 3000, ns);
  }

  /** Polls GET until `check` holds. */
  async until(name: string, check: (w: Workflow) => boolean, what: string, timeoutMs = 3000, ns = NS): Promise<Workflow> {
    let last: Workflow | undefined;
    try {
      return await until(async () => {
        last = (await this.exists(name, ns)) ? await this.get(name, ns) : undefined;
        return last && check(last) ? last : undefined;
      }, `${ns}/${name}: ${what}`, timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(summary(last))}`);
    }
  }

  phaseIs(name: string, phase: string, timeoutMs = 3000, ns = NS): Promise<Workflow> {
    return this.until(name, (w) => w.status?.phase === phase, `phase ${phase}`, timeoutMs, ns);
  }

  /** Waits until the workflow has had a pod created (it "started"). */
  async started(name: string, timeoutMs = 3000, ns = NS): Promise<void> {
    await until(() => this.monitor.started(name, ns) || undefined, `${ns}/${name} to start (a pod created)`, timeoutMs);
  }

  /** Waits until the workflow is Pending on a lock (its message says "Waiting for"). */
  waiting(name: string, timeoutMs = 3000, ns = NS): Promise<Workflow> {
    return this.until(name, (w) => w.status?.phase === 'Pending' && (w.status.message ?? '').startsWith('Waiting for'), 'waiting for a lock', timeoutMs, ns);
  }

  /**
   * Lets the controller settle: `ms` pass and its queue is empty. Used before asserting that
   * something did NOT happen.
   */
  async quiet(ms = 150): Promise<void> {
    await sleep(ms);
    await until(() => this.stack.controller.queueDepth === 0 || undefined, 'the controller queue to drain', 5000);
  }

  /** The node of a workflow by display name. */
  static node(w: Workflow, display: string): NodeStatus | undefined {
    return Object.values(w.status?.nodes ?? {}).find((n) => n.displayName === display);
  }

  /** Controller log errors not in allowErrors. */
  unexpectedErrors(): string[] {
    return this.stack.errors.filter((e) => !this.allowErrors.some((a) => e.includes(a)));
  }

  async close(): Promise<void> {
    this.monitor.detach();
    await this.stack.close();
  }
}

function summary(w: Workflow | undefined): unknown {
  if (!w) return 'absent';
  return {
    phase: w.status?.phase,
    message: w.status?.message,
    synchronization: w.status?.synchronization,
    nodes: Object.values(w.status?.nodes ?? {}).map((n) => `${n.displayName}:${n.type}:${n.phase}${n.message ? `(${n.message})` : ''}`),
  };
}

/**
 * Environments for the tests of one file: `start` makes one; after each test every environment is
 * closed and must have seen no INV violation and no unexpected controller error.
 */
export function environments(): { start(opts?: EnvOptions): Promise<SyncEnv> } {
  const open: SyncEnv[] = [];
  afterEach(async () => {
    const envs = open.splice(0);
    for (const env of envs) await env.close();
    for (const env of envs) {
      expect(env.monitor.violations, 'INV violations').toEqual([]);
      expect(env.unexpectedErrors(), 'controller errors').toEqual([]);
    }
  });
  return {
    async start(opts: EnvOptions = {}) {
      const env = await SyncEnv.start(opts);
      open.push(env);
      return env;
    },
  };
}

export async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
