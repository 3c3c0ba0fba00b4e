import { randomBytes, randomUUID } from 'node:crypto';
import { applyNodePatches, findBrokenPods, isWorkflowFinished, podName, reconcile, repairBrokenPods } from '../engine/index.js';
import type { EngineConfig } from '../engine/index.js';
import type { PodEvent, PodObservation, PodRuntime } from '../runtime/types.js';
import type { Workflow } from '../spec/types.js';
import { ConflictError, type Store } from '../store/types.js';
import { withDefaults } from './defaults.js';
import { podCollectable, podGcDelay, ttlExpiry } from './gc.js';
import { KeyedMutex } from './keyed-mutex.js';
import { LockManager, type LockMetrics } from './lock-manager.js';
import { applyPodEvent } from '../runtime/observation.js';
import { TemplateCache } from './template-cache.js';
import { WorkQueue } from './work-queue.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ControllerOptions {
  store: Store;
  runtime: PodRuntime;
  engine: EngineConfig;
  log: Logger;
  clock?: () => Date;
  /** Concurrent reconciles. */
  workers?: number;
  /** Controller-wide limit of Running workflows (Argo's `parallelism`); unset: none. */
  parallelism?: number;
  /** The same per namespace (Argo's `namespaceParallelism`). */
  namespaceParallelism?: number;
  /** Merged under every submitted workflow (Argo's `workflowDefaults`). */
  workflowDefaults?: Partial<Workflow>;
  /** Periodic resync that repairs drift (ms). */
  resyncMs?: number;
  /** Told how long each reconcile took (metrics). */
  onReconcile?: (seconds: number) => void;
}

/** What /metrics reads of the controller on each scrape. */
export interface ControllerStats {
  locks: LockMetrics;
  /** Invariant breaches repaired, by invariant. */
  repairs: Readonly<Record<string, number>>;
  /** Workflows submitted with a deprecated feature, by feature. */
  deprecated: Readonly<Record<string, number>>;
}

export const workflowKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** How long pod events wait to be folded with those that follow (the next timer tick). */
const EVENT_BATCH_MS = 1;

const POSTPONED = 'Workflow processing has been postponed because too many workflows are already running';

/**
 * The loop of DESIGN.md §3: a pod event or a submit enqueues its workflow at once; each reconcile
 * runs the pure engine, carries out its actions and saves only what changed.
 */
export class Controller {
  private readonly observed = new Map<string, PodObservation>();
  private readonly podOwner = new Map<string, string>();
  private readonly podsOf = new Map<string, Set<string>>();
  private readonly requested = new Set<string>();
  /** Pods podGC has taken or scheduled, with their workflow's key; a retry or delete drops the entry (and so a pending delayed clean-up). */
  private readonly collected = new Map<string, { owner: string }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly waiters = new Map<string, ((wf: Workflow) => void)[]>();
  /** Pods a workflow could not have because another namespace's workflow holds the name: seen as gone. */
  private readonly collisions = new Map<string, Map<string, PodObservation>>();
  private readonly running = new Set<string>();
  /**
   * What the last reconcile of each unfinished workflow saved, read again only when the store's
   * version moved (another writer): re-reading and parsing every node on every reconcile made a
   * large workflow's reconciles cost in proportion to its size. The engine never mutates its input.
   */
  private readonly lastSaved = new Map<string, Workflow>();
  private readonly mutex = new KeyedMutex();
  private readonly queue: WorkQueue;
  private readonly clock: () => Date;
  private templates: TemplateCache | undefined;
  private unsubscribe: (() => void)[] = [];
  private resync: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Semaphores and mutexes (spec/sync.md): the table, its ConfigMap limits, and who to wake. */
  readonly locks: LockManager;
  /** Invariant breaches found and repaired since start (each one is a bug somewhere): finished pods with unfinished containers. */
  readonly repairs = { podContainers: 0 };
  /** Workflows submitted with a deprecated feature, by feature (Argo's deprecated_feature counter). */
  readonly deprecated = new Map<string, number>();

  constructor(private readonly opts: ControllerOptions) {
    this.clock = opts.clock ?? (() => new Date());
    this.locks = new LockManager((keys) => {
      for (const key of keys) this.enqueue(key);
    });
    this.queue = new WorkQueue(opts.workers ?? 8, (key) => this.mutex.run(key, () => this.timed(key)), (key, err) => {
      opts.log.error(`reconcile ${key} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
  }

  stats(): ControllerStats {
    return {
      locks: this.locks.metrics(),
      repairs: { pod_containers: this.repairs.podContainers, finished_workflow_locks: this.locks.stats.leaksRepaired },
      deprecated: Object.fromEntries(this.deprecated),
    };
  }

  get store(): Store {
    return this.opts.store;
  }

  get runtime(): PodRuntime {
    return this.opts.runtime;
  }

  /**
   * Starts listening, adopts the pods an earlier process left running, and requeues every
   * unfinished workflow: after a crash, each one continues where its stored state says.
   */
  async start(): Promise<void> {
    this.templates = await TemplateCache.load(this.opts.store);
    await this.locks.start(this.opts.store);
    this.unsubscribe.push(this.opts.runtime.onEvent((event) => this.onPodEvent(event)));
    for (const { spec, observation } of await this.opts.runtime.adopt()) {
      const key = workflowKey(spec.namespace, spec.workflowName);
      this.observed.set(spec.name, observation);
      this.track(spec.name, key);
    }
    const unfinished = await this.opts.store.workflows.listUnfinished();
    this.locks.rebuild(unfinished);
    for (const wf of unfinished) this.enqueue(keyOf(wf));
    await this.scheduleTtls();
    if (this.opts.resyncMs) this.resync = setInterval(() => void this.resyncAll(), this.opts.resyncMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.templates?.close();
    this.locks.stop();
    clearInterval(this.resync);
    clearTimeout(this.eventFlush);
    this.eventFlush = undefined;
    this.eventBatch.clear();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.queue.idle();
  }

  /** Names, stamps and stores a new workflow, then reconciles it at once. */
  async submit(input: Workflow): Promise<Workflow> {
    const wf = withDefaults(structuredClone(input), this.opts.workflowDefaults);
    const meta = wf.metadata;
    meta.namespace ??= this.opts.engine.namespace;
    const generated = !meta.name;
    if (!meta.name) {
      if (!meta.generateName) throw new Error('metadata.name or metadata.generateName is required');
      meta.name = `${meta.generateName}${randomSuffix()}`;
    }
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= isoSeconds(this.clock());
    meta.labels = { ...(meta.labels ?? {}), 'workflows.argoproj.io/phase': 'Pending' };
    wf.status = { phase: 'Pending', nodes: {} };
    const deprecated = deprecatedFeatures(wf);
    let created: Workflow | undefined;
    // A generated name can collide (1 in 14 million per pair; likely among thousands): draw again, as Kubernetes does.
    for (let attempt = 0; !created; attempt++) {
      try {
        created = await this.opts.store.workflows.create(wf);
      } catch (err) {
        if (!generated || !(err instanceof ConflictError) || attempt >= 8) throw err;
        meta.name = `${meta.generateName ?? ''}${randomSuffix()}`;
      }
    }
    for (const feature of deprecated) {
      this.deprecated.set(feature, (this.deprecated.get(feature) ?? 0) + 1);
      await this.opts.store.events.record({
        namespace: meta.namespace,
        involvedObject: { kind: 'Workflow', name: meta.name, namespace: meta.namespace, ...(meta.uid ? { uid: meta.uid } : {}) },
        reason: 'DeprecatedFeature',
        message: `${feature} is deprecated (removed in Argo v4): it is honoured, but write it as a list (semaphores: / mutexes:)`,
        type: 'Warning',
        at: this.clock().toISOString(),
      });
    }
    this.enqueue(keyOf(created));
    return created;
  }

  /**
   * Changes a stored workflow under its lock (suspend, stop, retry…), then reconciles it.
   * `podsToDelete` are removed from the runtime and forgotten first, so they can run again.
   */
  async mutate(namespace: string, name: string, change: (wf: Workflow) => { workflow: Workflow; podsToDelete?: string[] }): Promise<Workflow> {
    const key = workflowKey(namespace, name);
    const saved = await this.mutex.run(key, async () => {
      const wf = await this.opts.store.workflows.get(namespace, name);
      if (!wf) return undefined;
      const { workflow, podsToDelete = [] } = change(wf);
      for (const pod of podsToDelete) {
        await this.forgetPod(pod, true);
        this.collected.delete(pod);
      }
      return this.opts.store.workflows.saveStatus(workflow, Object.keys(workflow.status?.nodes ?? {}), { prune: true });
    });
    if (!saved) throw new Error(`internal: workflow ${key} vanished during an operation`);
    this.enqueue(key);
    return saved;
  }

  /** Deletes a workflow and its pods (logs stay). */
  async delete(namespace: string, name: string): Promise<boolean> {
    return this.remove(namespace, name, false);
  }

  /** With `onlyIfFinished` (a TTL firing), a workflow that runs again since (`argo retry`) is kept. */
  private async remove(namespace: string, name: string, onlyIfFinished: boolean): Promise<boolean> {
    const key = workflowKey(namespace, name);
    return this.mutex.run(key, async () => {
      if (onlyIfFinished && !isWorkflowFinished((await this.opts.store.workflows.get(namespace, name))?.status?.phase)) return false;
      for (const pod of this.podsOf.get(key) ?? []) await this.forgetPod(pod, true);
      this.podsOf.delete(key);
      this.collisions.delete(key);
      for (const [pod, entry] of this.collected) if (entry.owner === key) this.collected.delete(pod);
      this.running.delete(key);
      this.lastSaved.delete(key);
      for (const timer of [key, `ttl:${key}`]) {
        clearTimeout(this.timers.get(timer));
        this.timers.delete(timer);
      }
      const existed = await this.opts.store.workflows.delete(namespace, name);
      // Deleted while holding or waiting: its holds and queue entries go, and the next waiters wake.
      this.locks.follow(key, undefined);
      this.admitWaiting();
      return existed;
    });
  }

  enqueue(key: string): void {
    if (!this.stopped) this.queue.add(key);
  }

  get queueDepth(): number {
    return this.queue.depth;
  }

  /** Resolves with the workflow once it has finished. */
  waitFor(namespace: string, name: string): Promise<Workflow> {
    const key = workflowKey(namespace, name);
    return new Promise((resolve) => {
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]);
      this.enqueue(key);
    });
  }

  /** Pods created for a workflow in this process or adopted (for clean-up and logs). */
  podsOfWorkflow(namespace: string, name: string): string[] {
    return [...(this.podsOf.get(workflowKey(namespace, name)) ?? [])];
  }

  private track(pod: string, key: string): void {
    this.requested.add(pod);
    this.podOwner.set(pod, key);
    this.podsOf.set(key, (this.podsOf.get(key) ?? new Set()).add(pod));
  }

  private async forgetPod(pod: string, kill: boolean): Promise<void> {
    const obs = this.observed.get(pod);
    // A pod not reported yet (no observation) may be running too.
    if (kill && (!obs || obs.phase === 'Pending' || obs.phase === 'Running')) await this.opts.runtime.deletePod(pod).catch(() => undefined);
    await this.opts.runtime.cleanupPod(pod).catch(() => undefined);
    this.observed.delete(pod);
    this.requested.delete(pod);
    const owner = this.podOwner.get(pod);
    this.podOwner.delete(pod);
    if (owner) this.podsOf.get(owner)?.delete(pod);
  }

  private onPodEvent(event: PodEvent): void {
    this.observed.set(event.pod, applyPodEvent(this.observed.get(event.pod), event));
    const owner = this.podOwner.get(event.pod);
    if (owner) this.enqueueSoon(owner);
  }

  /** Workflows with pod events not yet handed to the queue, and the timer that hands them over. */
  private readonly eventBatch = new Set<string>();
  private eventFlush: NodeJS.Timeout | undefined;

  /**
   * A pod's events come in quick succession (started, container started; container exited, pod
   * finished), from separate I/O callbacks: enqueued one by one, each started its own reconcile,
   * most of which found nothing new. Held for a moment, they fold into one.
   */
  private enqueueSoon(key: string): void {
    this.eventBatch.add(key);
    this.eventFlush ??= setTimeout(() => {
      this.eventFlush = undefined;
      const keys = [...this.eventBatch];
      this.eventBatch.clear();
      for (const k of keys) this.enqueue(k);
    }, EVENT_BATCH_MS);
  }

  /**
   * Controller-wide and per-namespace parallelism: a new workflow starts only when a slot is free,
   * highest priority first, then oldest (Argo's throttler). Admission comes before locks, so a
   * workflow waiting for a lock keeps its slot (Argo #11984).
   */
  private async admitted(key: string, wf: Workflow): Promise<boolean> {
    const limit = this.opts.parallelism;
    const perNamespace = this.opts.namespaceParallelism;
    if ((!limit && !perNamespace) || this.running.has(key) || (wf.status?.phase && wf.status.phase !== 'Pending')) {
      this.running.add(key);
      return true;
    }
    const unfinished = await this.unfinishedHeads();
    // Counted after the await, and decided without another: two workers admitting at once see each other.
    if (this.running.has(key)) return true;
    const namespaceOf = (k: string): string => k.slice(0, k.indexOf('/'));
    const runningIn = new Map<string, number>();
    for (const k of this.running) runningIn.set(namespaceOf(k), (runningIn.get(namespaceOf(k)) ?? 0) + 1);
    const pending = unfinished.filter((w) => (w.status?.phase ?? 'Pending') === 'Pending' && !this.running.has(keyOf(w)));
    pending.sort(byPriorityThenAge);
    // Grant the free slots in order; this workflow goes if it is among them.
    let total = this.running.size;
    for (const w of pending) {
      const k = keyOf(w);
      const ns = namespaceOf(k);
      if (limit && total >= limit) break;
      if (perNamespace && (runningIn.get(ns) ?? 0) >= perNamespace) continue;
      if (k === key) {
        this.running.add(key);
        return true;
      }
      total++;
      runningIn.set(ns, (runningIn.get(ns) ?? 0) + 1);
    }
    if (wf.status?.message !== POSTPONED) await this.opts.store.workflows.saveStatus({ ...wf, status: { ...wf.status, phase: 'Pending', message: POSTPONED } }, []);
    return false;
  }

  private admitWaiting(): void {
    if (!this.opts.parallelism && !this.opts.namespaceParallelism) return;
    void this.unfinishedHeads().then((all) => {
      for (const w of all.filter((x) => (x.status?.phase ?? 'Pending') === 'Pending').sort(byPriorityThenAge)) this.enqueue(keyOf(w));
    });
  }

  private async timed(key: string): Promise<void> {
    const started = performance.now();
    try {
      await this.reconcileKey(key);
    } finally {
      this.opts.onReconcile?.((performance.now() - started) / 1000);
    }
  }

  private async load(key: string, namespace: string, name: string): Promise<Workflow | undefined> {
    const store = this.opts.store.workflows;
    const cached = this.lastSaved.get(key);
    if (cached && store.version && (await store.version(namespace, name)) === cached.metadata.resourceVersion) return cached;
    this.lastSaved.delete(key);
    return store.get(namespace, name);
  }

  private async reconcileKey(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const wf = await this.load(key, namespace, name);
    if (!wf) {
      this.locks.follow(key, undefined);
      return;
    }
    if (isWorkflowFinished(wf.status?.phase)) {
      this.lastSaved.delete(key);
      const leaked = this.locks.releaseAll(key);
      if (leaked.length > 0) this.opts.log.error(`invariant: finished workflow ${key} still held locks as ${leaked.join(', ')}; released`);
      this.collectPods(wf);
      return this.settle(key, wf);
    }
    if (!(await this.admitted(key, wf))) return;
    let next: Workflow;
    try {
      next = await this.step(key, wf);
    } catch (err) {
      // Whatever the engine reserved in the lock table was not saved: the stored state rules.
      this.locks.follow(key, wf);
      throw err;
    }
    this.locks.follow(key, next);
    const phase = next.status?.phase ?? 'Pending';
    this.collectPods(next);
    if (isWorkflowFinished(phase)) {
      this.running.delete(key);
      this.admitWaiting();
      this.scheduleTtl(next);
      this.settle(key, next);
    }
  }

  /**
   * One reconcile: the engine decides, the new status is saved, then pods are created. Saving first
   * means a hold is durable before its holder's pod runs; a crash in between leaves a Pending pod
   * node without a pod, which the next reconcile creates.
   */
  private async step(key: string, wf: Workflow): Promise<Workflow> {
    const [namespace, name] = splitKey(key);
    const observed = new Map<string, PodObservation>();
    for (const pod of this.podsOf.get(key) ?? []) {
      const obs = this.observed.get(pod);
      if (obs) observed.set(pod, obs);
    }
    for (const [pod, obs] of this.collisions.get(key) ?? []) observed.set(pod, obs);
    const result = reconcile({
      workflow: wf,
      observed,
      now: this.clock(),
      config: this.opts.engine,
      locks: this.locks.table,
      // This workflow's own pods only: a name another namespace's workflow holds must reach the collision check.
      requested: this.podsOf.get(key) ?? new Set(),
      ...(this.templates ? { templates: this.templates } : {}),
    });
    const next = result.workflow;
    this.repairBrokenPods(key, next, result.changedNodes);
    const phase = next.status?.phase ?? 'Pending';
    const labels: Record<string, string> = { ...(next.metadata.labels ?? {}), 'workflows.argoproj.io/phase': phase };
    if (isWorkflowFinished(phase)) labels['workflows.argoproj.io/completed'] = 'true';
    next.metadata = { ...next.metadata, labels };
    const phaseChanged = phase !== wf.status?.phase;
    const syncChanged = JSON.stringify(next.status?.synchronization) !== JSON.stringify(wf.status?.synchronization);
    let saved = next;
    if (result.changedNodes.length > 0 || phaseChanged || syncChanged || next.status?.message !== wf.status?.message) {
      saved = await this.opts.store.workflows.saveStatus(next, result.changedNodes);
      if (isWorkflowFinished(phase)) this.lastSaved.delete(key);
      else this.lastSaved.set(key, saved);
      if (phaseChanged) await this.recordPhase(next);
    }
    for (const action of result.actions) {
      switch (action.type) {
        case 'createPod': {
          const pod = action.pod.name;
          // A pod deleted before it ever ran is made again under the same name (Argo re-creates a
          // Pending node's missing pod): what was known of the old one goes first.
          if (this.requested.has(pod) && this.observed.get(pod)?.phase === 'Gone') await this.forgetPod(pod, false);
          const owner = this.podOwner.get(pod);
          const ownerPhase = this.observed.get(pod)?.phase;
          // The other namespace's pod of this name has ended: its sandbox goes (its logs stay), the name is free.
          if (owner !== undefined && owner !== key && ownerPhase !== undefined && ownerPhase !== 'Pending' && ownerPhase !== 'Running') await this.forgetPod(pod, false);
          if (this.podOwner.get(pod) !== undefined && this.podOwner.get(pod) !== key) {
            // Pod names are unique per namespace, but the local runtime knows pods by name alone: a
            // same-named workflow in another namespace would wait forever for a pod that is not its own.
            const message = `failed to create pod: pod name ${pod} is in use by workflow ${owner ?? ''}; argot's local runtime needs pod names unique across namespaces (rename one of the workflows)`;
            this.opts.log.error(`${key}: ${message}`);
            const mine = this.collisions.get(key) ?? new Map<string, PodObservation>();
            mine.set(pod, { name: pod, phase: 'Gone', message, finishedAt: this.clock().toISOString(), containers: {} });
            this.collisions.set(key, mine);
            this.enqueue(key);
            break;
          }
          if (this.requested.has(pod)) break;
          // What was heard of an earlier pod of this name (one killed after it was forgotten) is not this pod's state.
          this.observed.delete(pod);
          this.track(pod, key);
          try {
            await this.opts.runtime.createPod(action.pod);
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            this.opts.log.error(`${key}: cannot create pod ${pod}: ${message}`);
            this.onPodEvent({ type: 'podGone', pod, at: this.clock().toISOString(), reason: 'lost', message: `failed to create pod: ${message}` });
          }
          break;
        }
        case 'deletePod':
          await this.opts.runtime.deletePod(action.pod).catch((err: unknown) => this.opts.log.warn(`${key}: delete pod ${action.pod}: ${String(err)}`));
          break;
        case 'emitEvent':
          await this.opts.store.events.record({
            namespace,
            involvedObject: { kind: 'Workflow', name, namespace, ...(wf.metadata.uid ? { uid: wf.metadata.uid } : {}) },
            reason: action.reason,
            message: action.message,
            type: action.severity,
            at: this.clock().toISOString(),
          });
          break;
      }
    }
    if (!isWorkflowFinished(phase) && result.requeueAfterMs !== undefined) this.requeue(key, result.requeueAfterMs);
    return saved;
  }

  /**
   * Invariant (spec/containerset.md I2): a finished Pod node has no unfinished Container node. The
   * engine ends them on every path it knows; one that slipped through is ended here, before the
   * save, and reported, so a workflow can never hang on a container of a pod that is gone.
   */
  private repairBrokenPods(key: string, wf: Workflow, changed: string[]): void {
    const nodes = wf.status?.nodes;
    if (!nodes || !wf.status) return;
    const broken = findBrokenPods(nodes);
    if (broken.length === 0) return;
    const patches = repairBrokenPods(nodes, this.clock());
    wf.status.nodes = applyNodePatches(nodes, patches);
    for (const p of patches) if (!changed.includes(p.id)) changed.push(p.id);
    this.repairs.podContainers += broken.length;
    for (const b of broken) this.opts.log.error(`invariant: ${key}: pod node ${b.podNodeId} finished with unfinished containers ${b.containerIds.join(', ')}; ended them 'container deleted'`);
  }

  private async recordPhase(wf: Workflow): Promise<void> {
    const phase = wf.status?.phase ?? 'Pending';
    const reason = phase === 'Running' ? 'WorkflowRunning' : phase === 'Succeeded' ? 'WorkflowSucceeded' : phase === 'Pending' ? 'WorkflowPending' : 'WorkflowFailed';
    await this.opts.store.events.record({
      namespace: wf.metadata.namespace ?? '',
      involvedObject: { kind: 'Workflow', name: wf.metadata.name ?? '', namespace: wf.metadata.namespace ?? '', ...(wf.metadata.uid ? { uid: wf.metadata.uid } : {}) },
      reason,
      message: phase === 'Running' ? 'Workflow Running' : `Workflow ${phase.toLowerCase()}${wf.status?.message ? `: ${wf.status.message}` : ''}`,
      type: phase === 'Failed' || phase === 'Error' ? 'Warning' : 'Normal',
      at: this.clock().toISOString(),
    });
  }

  /** podGC: finished pods whose strategy says so are cleaned, after deleteDelayDuration. */
  private collectPods(wf: Workflow): void {
    if (!wf.spec.podGC?.strategy) return;
    const delay = podGcDelay(wf);
    for (const node of Object.values(wf.status?.nodes ?? {})) {
      if (!podCollectable(wf, node)) continue;
      const pod = podName(wf.metadata.name ?? '', node.name, node.templateName);
      if (this.collected.has(pod)) continue;
      const entry = { owner: keyOf(wf) };
      this.collected.set(pod, entry);
      // A delayed clean-up whose entry went (retry, delete) must not touch a later pod of that name.
      const collect = (): void => {
        if (this.collected.get(pod) === entry) void this.forgetPod(pod, true);
      };
      if (delay > 0) setTimeout(collect, delay).unref();
      else collect();
    }
  }

  private async scheduleTtls(): Promise<void> {
    for (const wf of (await this.opts.store.workflows.list()).items) if (isWorkflowFinished(wf.status?.phase)) this.scheduleTtl(wf);
  }

  private scheduleTtl(wf: Workflow): void {
    const at = ttlExpiry(wf);
    if (at === undefined) return;
    const key = `ttl:${keyOf(wf)}`;
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.remove(wf.metadata.namespace ?? '', wf.metadata.name ?? '', true);
    }, Math.max(0, at - this.clock().getTime()));
    timer.unref();
    this.timers.set(key, timer);
  }

  /**
   * Repairs drift: every unfinished workflow is reconciled again (which re-derives its lock entries),
   * and a workflow the table still lists but that finished or vanished is released (Argo's
   * CheckWorkflowExistence, every few seconds instead of every minute).
   */
  /** Unfinished workflows without their nodes (a list reads no node rows): enough for keys, phases and priorities. */
  private async unfinishedHeads(): Promise<Workflow[]> {
    return (await this.opts.store.workflows.list({ fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed,status.phase!=Error' })).items;
  }

  private async resyncAll(): Promise<void> {
    const unfinished = await this.unfinishedHeads();
    const live = new Set(unfinished.map(keyOf));
    for (const key of live) this.enqueue(key);
    for (const key of this.locks.table.workflows()) if (!live.has(key)) this.enqueue(key);
  }

  private requeue(key: string, ms: number): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.enqueue(key);
      }, ms),
    );
  }

  private settle(key: string, wf: Workflow): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const waiters = this.waiters.get(key) ?? [];
    this.waiters.delete(key);
    for (const w of waiters) w(wf);
  }
}

/** Argo v3.6/3.7's deprecated_feature names for the singular synchronization fields this workflow uses. */
function deprecatedFeatures(wf: Workflow): string[] {
  const out = new Set<string>();
  for (const sync of [wf.spec.synchronization, ...(wf.spec.templates ?? []).map((t) => t.synchronization)]) {
    if (sync?.semaphore) out.add('synchronization semaphore');
    if (sync?.mutex) out.add('synchronization mutex');
  }
  return [...out];
}

function keyOf(wf: Workflow): string {
  return workflowKey(wf.metadata.namespace ?? '', wf.metadata.name ?? '');
}

function byPriorityThenAge(a: Workflow, b: Workflow): number {
  const p = (b.spec.priority ?? 0) - (a.spec.priority ?? 0);
  if (p !== 0) return p;
  const t = (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
  return t !== 0 ? t : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Five lowercase alphanumerics, like Kubernetes' generateName. */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}
