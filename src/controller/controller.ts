import { randomBytes, randomUUID } from 'node:crypto';
import { isWorkflowFinished, reconcile } from '../engine/index.js';
import type { EngineConfig, TemplateLookup } from '../engine/index.js';
import type { PodEvent, PodObservation, PodRuntime } from '../runtime/types.js';
import type { Workflow } from '../spec/types.js';
import type { SimpleWorkflowStore } from '../store/file-store.js';
import { applyPodEvent } from './observations.js';
import { WorkQueue } from './work-queue.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ControllerOptions {
  store: SimpleWorkflowStore;
  runtime: PodRuntime;
  engine: EngineConfig;
  templates?: TemplateLookup;
  log: Logger;
  clock?: () => Date;
  workers?: number;
}

export const workflowKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * The loop of DESIGN.md §3: a pod event or a submit enqueues its workflow at once; each reconcile
 * runs the pure engine, carries out its actions and saves what changed.
 */
export class Controller {
  private readonly observed = new Map<string, PodObservation>();
  private readonly podOwner = new Map<string, string>();
  private readonly podsOf = new Map<string, Set<string>>();
  private readonly requested = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly waiters = new Map<string, ((wf: Workflow) => void)[]>();
  private readonly listeners = new Set<(wf: Workflow) => void>();
  private readonly queue: WorkQueue;
  private readonly clock: () => Date;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: ControllerOptions) {
    this.clock = opts.clock ?? (() => new Date());
    this.queue = new WorkQueue(opts.workers ?? 8, (key) => this.reconcileKey(key), (key, err) => {
      opts.log.error(`reconcile ${key} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
  }

  start(): void {
    this.unsubscribe = this.opts.runtime.onEvent((event) => this.onPodEvent(event));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.queue.idle();
  }

  /** Every saved state of every workflow, as it is saved. */
  onUpdate(listener: (wf: Workflow) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Names, stamps and stores a new workflow, then reconciles it at once. */
  async submit(input: Workflow): Promise<Workflow> {
    const wf = structuredClone(input);
    const meta = wf.metadata;
    meta.namespace ??= this.opts.engine.namespace;
    if (!meta.name) {
      if (!meta.generateName) throw new Error('metadata.name or metadata.generateName is required');
      meta.name = `${meta.generateName}${randomSuffix()}`;
    }
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= this.clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
    meta.labels = { ...(meta.labels ?? {}), 'workflows.argoproj.io/phase': 'Pending' };
    wf.status = { phase: 'Pending', nodes: {} };
    await this.opts.store.create(wf);
    this.enqueue(workflowKey(meta.namespace, meta.name));
    return wf;
  }

  enqueue(key: string): void {
    if (!this.stopped) this.queue.add(key);
  }

  /** Resolves with the workflow once it has finished. */
  waitFor(namespace: string, name: string): Promise<Workflow> {
    const key = workflowKey(namespace, name);
    return new Promise((resolve) => {
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]);
      this.enqueue(key);
    });
  }

  private onPodEvent(event: PodEvent): void {
    this.observed.set(event.pod, applyPodEvent(this.observed.get(event.pod), event));
    const owner = this.podOwner.get(event.pod);
    if (owner) this.enqueue(owner);
  }

  private async reconcileKey(key: string): Promise<void> {
    const [namespace = '', name = ''] = splitKey(key);
    const wf = await this.opts.store.get(namespace, name);
    if (!wf) return;
    if (isWorkflowFinished(wf.status?.phase)) return this.settle(key, wf);
    const observed = new Map<string, PodObservation>();
    for (const pod of this.podsOf.get(key) ?? []) {
      const obs = this.observed.get(pod);
      if (obs) observed.set(pod, obs);
    }
    const input = { workflow: wf, observed, now: this.clock(), config: this.opts.engine, ...(this.opts.templates ? { templates: this.opts.templates } : {}) };
    const result = reconcile(input);
    for (const action of result.actions) {
      switch (action.type) {
        case 'createPod': {
          const pod = action.pod.name;
          if (this.requested.has(pod)) break;
          this.requested.add(pod);
          this.podOwner.set(pod, key);
          this.podsOf.set(key, (this.podsOf.get(key) ?? new Set()).add(pod));
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
          await this.opts.runtime.deletePod(action.pod);
          break;
        case 'emitEvent':
          this.opts.log.info(`${key}: ${action.reason}: ${action.message}`);
          break;
      }
    }
    const next = result.workflow;
    const phase = next.status?.phase ?? 'Pending';
    next.metadata = { ...next.metadata, labels: { ...(next.metadata.labels ?? {}), 'workflows.argoproj.io/phase': phase } };
    if (isWorkflowFinished(phase)) next.metadata.labels = { ...next.metadata.labels, 'workflows.argoproj.io/completed': 'true' };
    if (result.changedNodes.length > 0 || phase !== wf.status?.phase || next.status?.message !== wf.status?.message) {
      await this.opts.store.update(next, result.changedNodes);
      for (const l of this.listeners) l(next);
    }
    if (isWorkflowFinished(phase)) return this.settle(key, next);
    if (result.requeueAfterMs !== undefined) this.requeue(key, result.requeueAfterMs);
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

  /** Pods created for a workflow (for cleanup and logs). */
  podsOfWorkflow(namespace: string, name: string): string[] {
    return [...(this.podsOf.get(workflowKey(namespace, name)) ?? [])];
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Five lowercase alphanumerics, like Kubernetes' generateName. */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}
