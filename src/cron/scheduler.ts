// Runs CronWorkflows: one timer per cron workflow for its next scheduled time. Whenever a timer
// fires, a cron workflow changes, or one of its runs changes phase, the cron workflow is looked at
// afresh from the store, `decide` says what to do, and this carries it out. Work on one cron
// workflow is serialized; everything durable is in the store, so a restart picks up where it was.

import type { CronWorkflow, Workflow } from '../spec/types.js';
import { ConflictError, NotFoundError, type ObjectStore } from '../store/types.js';
import { decide } from './decide.js';
import { CRON_WORKFLOW_LABEL, recordRun, sameJSON, setCondition, type CronWorkflowStatus } from './status.js';

export interface Clock {
  now(): Date;
  /** Calls `fn` once, at or after `at`. Returns the cancel. */
  setTimer(at: Date, fn: () => void): () => void;
}

export interface CronLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface CronSchedulerOptions {
  /** A Store: only its cron workflows and workflows are used. */
  store: { cronWorkflows: ObjectStore<CronWorkflow>; workflows: ObjectStore<Workflow> };
  /** Creates a run (through the controller, so it starts). Throws ConflictError when the name exists. */
  submit: (wf: Workflow) => Promise<Workflow>;
  /** Stops a running workflow (concurrencyPolicy Replace). */
  stopWorkflow: (namespace: string, name: string) => Promise<void>;
  /** Deletes a finished run beyond the history limits. Default: delete it from the store. */
  deleteWorkflow?: (namespace: string, name: string) => Promise<void>;
  clock: Clock;
  log: CronLogger;
  /** Zone of schedules without `timezone` or CRON_TZ; default this process's zone (robfig's time.Local). */
  defaultTimezone?: string;
  /** Delay before retrying a look that failed (a store error), keeping the time it was for. Default 10 s. */
  retryMs?: number;
}

// setTimeout takes at most 2^31-1 ms (24.8 days); a yearly schedule waits longer.
const MAX_TIMEOUT = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(at, fn) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const wait = (): void => {
      if (cancelled) return;
      const ms = at.getTime() - Date.now();
      if (ms <= 0) return fn();
      // Re-checked on wake-up: a timer can fire early, and a long wait is chained.
      handle = setTimeout(wait, Math.min(ms, MAX_TIMEOUT));
      handle.unref();
    };
    handle = setTimeout(wait, 0);
    handle.unref();
    return () => {
      cancelled = true;
      if (handle) clearTimeout(handle);
    };
  },
};

const keyOf = (namespace: string | undefined, name: string | undefined): string => `${namespace ?? ''}/${name ?? ''}`;

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isConflict(e: unknown): boolean {
  return e instanceof ConflictError || (e as { code?: unknown } | null)?.code === 'AlreadyExists';
}

function isNotFound(e: unknown): boolean {
  return e instanceof NotFoundError || (e as { code?: unknown } | null)?.code === 'NotFound';
}

interface MetadataChanges {
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

/** The cron workflow's metadata with the changes applied, or undefined when they are there already. */
function withMetadata(cron: CronWorkflow, set: MetadataChanges): CronWorkflow['metadata'] | undefined {
  const differs = (have: Record<string, string> | undefined, want: Record<string, string> | undefined): boolean =>
    Object.entries(want ?? {}).some(([k, v]) => have?.[k] !== v);
  const { labels, annotations } = cron.metadata;
  const newLabels = differs(labels, set.labels);
  const newAnnotations = differs(annotations, set.annotations);
  if (!newLabels && !newAnnotations) return undefined;
  const metadata = { ...cron.metadata };
  if (newLabels) metadata.labels = { ...labels, ...set.labels };
  if (newAnnotations) metadata.annotations = { ...annotations, ...set.annotations };
  return metadata;
}

export class CronScheduler {
  private readonly timers = new Map<string, { at: number; firedFor: Date | undefined; cancel: () => void }>();
  private readonly chains = new Map<string, Promise<void>>();
  /** Keys with a plain look queued and not started: more requests for one are the same request. */
  private readonly queuedLooks = new Set<string>();
  /** The resourceVersion of our own last status write, whose watch event needs no look. */
  private readonly written = new Map<string, string>();
  /** The key whose status is being written: a change event delivered during the call is that write. */
  private writing: string | undefined;
  /** Last seen phase of each run, so that node updates of a running workflow cause no look. */
  private readonly phases = new Map<string, string>();
  /** Cron workflows looked at since start. */
  private readonly looked = new Set<string>();
  /** The last warning per cron workflow, so that each look does not repeat it. */
  private readonly warned = new Map<string, string>();
  private readonly unsubscribes: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly opts: CronSchedulerOptions) {}

  /** Watches first, then lists, so that no change falls between the two. */
  async start(): Promise<void> {
    const { store } = this.opts;
    this.unsubscribes.push(
      store.cronWorkflows.watch(({ type, object }) => {
        const key = keyOf(object.metadata.namespace, object.metadata.name);
        if (type === 'DELETED') return this.forget(key);
        if (type === 'MODIFIED' && (this.writing === key || (object.metadata.resourceVersion ?? '') === this.written.get(key))) return;
        this.enqueue(key);
      }),
      store.workflows.watch(({ type, object }) => {
        const cronName = object.metadata.labels?.[CRON_WORKFLOW_LABEL];
        if (cronName === undefined) return;
        const wfKey = keyOf(object.metadata.namespace, object.metadata.name);
        const phase = object.status?.phase ?? '';
        if (type === 'DELETED') {
          this.phases.delete(wfKey);
        } else {
          if (this.phases.get(wfKey) === phase) return;
          this.phases.set(wfKey, phase);
        }
        this.enqueue(keyOf(object.metadata.namespace, cronName));
      }),
    );
    const { items } = await store.cronWorkflows.list();
    for (const cron of items) this.enqueue(keyOf(cron.metadata.namespace, cron.metadata.name));
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribes.splice(0)) u();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** Resolves once no look is queued or running. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  /** When the timer of a cron workflow is set for, if it is. */
  nextRunAt(namespace: string, name: string): Date | undefined {
    const t = this.timers.get(keyOf(namespace, name));
    return t && new Date(t.at);
  }

  private forget(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    this.written.delete(key);
    this.warned.delete(key);
    this.looked.delete(key);
  }

  private enqueue(key: string, firedFor?: Date): void {
    if (this.stopped) return;
    if (!firedFor) {
      if (this.queuedLooks.has(key)) return;
      this.queuedLooks.add(key);
    }
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (!firedFor) this.queuedLooks.delete(key);
      if (this.stopped) return;
      try {
        await this.look(key, firedFor);
      } catch (e) {
        this.opts.log.error(`cron workflow ${key}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        // Try again for the same time: a transient store error must not lose a scheduled run.
        const at = new Date(this.opts.clock.now().getTime() + (this.opts.retryMs ?? 10_000));
        this.arm(key, at, firedFor ?? null);
      }
    });
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** Sets the timer of a cron workflow; it fires a look for `firedFor` (null: a plain look). */
  private arm(key: string, at: Date | undefined, firedFor: Date | null | undefined = at): void {
    const current = this.timers.get(key);
    if (current && at && current.at === at.getTime()) return;
    current?.cancel();
    this.timers.delete(key);
    if (!at || this.stopped) return;
    const cancel = this.opts.clock.setTimer(at, () => {
      if (this.timers.get(key)?.cancel !== cancel) return;
      this.timers.delete(key);
      this.enqueue(key, firedFor ?? undefined);
    });
    this.timers.set(key, { at: at.getTime(), firedFor: firedFor ?? undefined, cancel });
  }

  private warnOnce(key: string, warnings: readonly string[]): void {
    const text = warnings.join('; ');
    if (text === '' || this.warned.get(key) === text) return;
    this.warned.set(key, text);
    for (const w of warnings) this.opts.log.warn(`cron workflow ${key}: ${w}`);
  }

  private async look(key: string, firedFor: Date | undefined): Promise<void> {
    const { store, log } = this.opts;
    const [namespace, name] = splitKey(key);
    const cron = await store.cronWorkflows.get(namespace, name);
    if (!cron) return this.forget(key);
    const owned = await store.workflows.list({ namespace, labelSelector: `${CRON_WORKFLOW_LABEL}=${name}` });
    const now = this.opts.clock.now();
    // A timer that is due but has not called back yet: this look is its firing, or the look would
    // see its time as missed and re-arm past it.
    const due = this.timers.get(key);
    if (!firedFor && due?.firedFor && due.at <= now.getTime()) {
      firedFor = due.firedFor;
      due.cancel();
      this.timers.delete(key);
    }
    const decision = decide({
      cron,
      workflows: owned.items,
      now,
      ...(firedFor && { firedFor }),
      ...(this.opts.defaultTimezone !== undefined && { defaultTimezone: this.opts.defaultTimezone }),
    });
    this.warnOnce(key, decision.warnings);

    let status = decision.status;
    let proceed = true;
    for (const ref of decision.stop) {
      try {
        log.info(`cron workflow ${key}: concurrencyPolicy Replace: stopping ${ref.name}`);
        await this.opts.stopWorkflow(namespace, ref.name);
      } catch (e) {
        if (isNotFound(e)) continue;
        status = setCondition(status, 'SubmissionError', `Concurrency policy error: stopping ${ref.name}: ${message(e)}`);
        log.error(`cron workflow ${key}: stopping ${ref.name}: ${message(e)}`);
        proceed = false;
      }
    }

    const scheduled = decision.scheduledTime;
    if (decision.create && scheduled && proceed) {
      status = await this.createRun(key, decision.create, scheduled, status);
    } else if (decision.skip && scheduled && decision.skip.reason !== 'Error') {
      // A time missed because the scheduler was down or asleep is news; the same time seen again
      // after a Forbid or `when` skip, when a run finishes, is not.
      const news = decision.skip.reason === 'Missed' && (firedFor !== undefined || !this.looked.has(key));
      const { reason, message: why } = decision.skip;
      const line = `cron workflow ${key}: ${reason === 'Missed' ? why : `not running ${scheduled.toISOString()}: ${why}`}`;
      if (news) log.warn(line);
      else log.info(line);
    }
    this.looked.add(key);

    for (const ref of decision.delete) {
      try {
        if (this.opts.deleteWorkflow) await this.opts.deleteWorkflow(namespace, ref.name);
        else await store.workflows.delete(namespace, ref.name);
        log.info(`cron workflow ${key}: deleted ${ref.name} (history limit)`);
      } catch (e) {
        log.warn(`cron workflow ${key}: deleting ${ref.name} (history limit): ${message(e)}`);
      }
    }

    await this.save(key, cron, status, { labels: decision.labels, annotations: decision.annotations });
    this.arm(key, decision.nextRunAt);
  }

  private async createRun(key: string, wf: Workflow, scheduled: Date, status: CronWorkflowStatus): Promise<CronWorkflowStatus> {
    const { store, log } = this.opts;
    const name = wf.metadata.name ?? '';
    try {
      const created = await this.opts.submit(wf);
      log.info(`cron workflow ${key}: created ${created.metadata.name ?? name} for ${scheduled.toISOString()}`);
      return recordRun(status, created, scheduled);
    } catch (e) {
      if (!isConflict(e)) {
        log.error(`cron workflow ${key}: failed to submit ${name}: ${message(e)}`);
        return setCondition(status, 'SubmissionError', `Failed to submit Workflow: ${message(e)}`);
      }
      // The run for this time exists: an earlier attempt created it and did not get to record it.
      const existing = await store.workflows.get(wf.metadata.namespace ?? '', name);
      return recordRun(status, existing ?? wf, scheduled);
    }
  }

  /** Writes status (and labels and annotations) when they changed, onto the latest version of the object. */
  private async save(key: string, cron: CronWorkflow, status: CronWorkflowStatus, set: MetadataChanges): Promise<void> {
    const { cronWorkflows } = this.opts.store;
    let current = cron;
    for (let attempt = 0; ; attempt++) {
      const metadata = withMetadata(current, set);
      if (!metadata && sameJSON(current.status ?? {}, status)) return;
      const next: CronWorkflow = { ...current, metadata: metadata ?? current.metadata, status };
      try {
        let pending: Promise<CronWorkflow>;
        this.writing = key;
        try {
          pending = cronWorkflows.update(next, current.metadata.resourceVersion);
        } finally {
          this.writing = undefined;
        }
        const saved = await pending;
        if (saved.metadata.resourceVersion !== undefined) this.written.set(key, saved.metadata.resourceVersion);
        return;
      } catch (e) {
        // Someone edited the spec meanwhile; status is ours alone, so it goes onto their version.
        if (!isConflict(e) || attempt >= 4) throw e;
        const fresh = await cronWorkflows.get(current.metadata.namespace ?? '', current.metadata.name ?? '');
        if (!fresh) return;
        current = fresh;
      }
    }
  }
}
