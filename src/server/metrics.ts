// The controller metrics Argo users chart (docs/metrics.md; Grafana dashboard 21393), under Argo's
// names. The server reads a MetricsSource on each scrape; ControllerMetrics is the implementation
// for one process: it follows the workflow store's change feed for the per-phase gauges and
// counters, and the controller reports each reconcile's duration to it.
import type { ControllerStats } from '../controller/controller.js';
import type { LockMetrics } from '../controller/lock-manager.js';
import type { Workflow } from '../spec/types.js';
import type { Change, ListResult, Store } from '../store/types.js';
import { listAll } from './list.js';
import { listThenWatch } from './list-watch.js';
import type { MetricFamily } from './prometheus.js';

export interface HistogramSnapshot {
  /** Upper bounds in seconds, ascending, without +Inf. */
  buckets: readonly number[];
  /** Observations per bucket (not cumulative); the last entry is the +Inf bucket. */
  counts: readonly number[];
  sum: number;
}

export interface MetricsSnapshot {
  /** Workflows that exist now, by phase (argo_workflows_gauge). */
  workflowsByPhase: Readonly<Record<string, number>>;
  /** Pods that exist now, by phase (argo_workflows_pods_gauge). */
  podsByPhase: Readonly<Record<string, number>>;
  /** Workflows waiting in the controller's work queue (argo_workflows_queue_depth_gauge). */
  queueDepth: number;
  /** Workflows that entered each phase since the process started (argo_workflows_total_count). */
  phaseEntries: readonly { phase: string; namespace: string; count: number }[];
  /** Reconcile durations (argo_workflows_operation_duration_seconds). */
  operationDurations: HistogramSnapshot;
  /** Semaphores and mutexes: holders, waiters, acquisitions, wait time. */
  locks?: LockMetrics;
  /** Invariant breaches repaired, by invariant. */
  repairs?: Readonly<Record<string, number>>;
  /** Workflows submitted with a deprecated feature, by feature. */
  deprecated?: Readonly<Record<string, number>>;
}

/** What `/metrics` reads on every scrape. */
export interface MetricsSource {
  snapshot(): MetricsSnapshot | Promise<MetricsSnapshot>;
}

const WORKFLOW_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Error'] as const;
const POD_PHASES = ['Pending', 'Running'] as const;

/**
 * Prometheus' default buckets start at 5 ms; argot's reconciles usually take well under that, so
 * the scale starts at 1 ms (Argo's start at 100 ms, where its reconciles are).
 */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Tracked {
  phase: string;
  namespace: string;
  pods: Record<string, number>;
}

export interface ControllerMetricsOptions {
  store: Store;
  /** The controller's queue depth, read on scrape. */
  queueDepth: () => number;
  buckets?: readonly number[];
  /** The controller's locks, invariant repairs and deprecated features, read on scrape. */
  stats?: () => ControllerStats;
}

export class ControllerMetrics implements MetricsSource {
  private readonly tracked = new Map<string, Tracked>();
  private readonly entries = new Map<string, { phase: string; namespace: string; count: number }>();
  private readonly buckets: readonly number[];
  private readonly counts: number[];
  private sum = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: ControllerMetricsOptions) {
    this.buckets = opts.buckets ?? DEFAULT_DURATION_BUCKETS;
    this.counts = new Array<number>(this.buckets.length + 1).fill(0);
  }

  /** Reads the workflows that exist and follows changes from now on. */
  async start(): Promise<void> {
    const workflows = this.opts.store.workflows;
    // Lists leave status.nodes out; only unfinished workflows have live pods, and they come whole.
    const list = async (): Promise<ListResult<Workflow>> => {
      const all = await listAll((o) => workflows.list(o), {});
      const whole = new Map((await workflows.listUnfinished()).map((wf) => [keyOf(wf), wf]));
      return { ...all, items: all.items.map((wf) => whole.get(keyOf(wf)) ?? wf) };
    };
    this.unsubscribe = await listThenWatch(
      { list, watch: (l) => workflows.watch(l) },
      (items) => {
        // Workflows that existed before this process are state, not phase entries it observed.
        for (const wf of items) this.tracked.set(keyOf(wf), track(wf));
      },
      (change) => this.onChange(change),
    );
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The controller calls this after each reconcile. */
  observeReconcile(seconds: number): void {
    let i = this.buckets.findIndex((le) => seconds <= le);
    if (i < 0) i = this.buckets.length;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += seconds;
  }

  snapshot(): MetricsSnapshot {
    const workflowsByPhase: Record<string, number> = Object.fromEntries(WORKFLOW_PHASES.map((p) => [p, 0]));
    const podsByPhase: Record<string, number> = Object.fromEntries(POD_PHASES.map((p) => [p, 0]));
    for (const t of this.tracked.values()) {
      workflowsByPhase[t.phase] = (workflowsByPhase[t.phase] ?? 0) + 1;
      for (const [phase, n] of Object.entries(t.pods)) podsByPhase[phase] = (podsByPhase[phase] ?? 0) + n;
    }
    return {
      workflowsByPhase,
      podsByPhase,
      queueDepth: this.opts.queueDepth(),
      phaseEntries: [...this.entries.values()].map((e) => ({ ...e })),
      operationDurations: { buckets: this.buckets, counts: [...this.counts], sum: this.sum },
      ...this.opts.stats?.(),
    };
  }

  private onChange(change: Change<Workflow>): void {
    const key = keyOf(change.object);
    if (change.type === 'DELETED') {
      this.tracked.delete(key);
      return;
    }
    const before = this.tracked.get(key);
    const after = track(change.object);
    this.tracked.set(key, after);
    if (before?.phase !== after.phase) this.countEntry(after.phase, after.namespace);
  }

  private countEntry(phase: string, namespace: string): void {
    const key = `${namespace}\0${phase}`;
    const entry = this.entries.get(key) ?? { phase, namespace, count: 0 };
    entry.count++;
    this.entries.set(key, entry);
  }
}

/** The families of a snapshot, in the order /metrics prints them. */
export function metricFamilies(s: MetricsSnapshot): MetricFamily[] {
  return [
    {
      name: 'argo_workflows_gauge',
      help: 'Number of Workflows currently accessible by the controller by status',
      type: 'gauge',
      samples: Object.entries(s.workflowsByPhase).map(([phase, value]) => ({ labels: { phase }, value })),
    },
    {
      name: 'argo_workflows_pods_gauge',
      help: 'Number of Pods from Workflows currently accessible by the controller by status',
      type: 'gauge',
      samples: Object.entries(s.podsByPhase).map(([phase, value]) => ({ labels: { phase }, value })),
    },
    {
      name: 'argo_workflows_queue_depth_gauge',
      help: 'Depth of the queue',
      type: 'gauge',
      samples: [{ labels: { queue_name: 'workflow_queue' }, value: s.queueDepth }],
    },
    {
      name: 'argo_workflows_total_count',
      help: 'Count of workflow phase transitions since the controller started',
      type: 'counter',
      samples: s.phaseEntries.map((e) => ({ labels: { namespace: e.namespace, phase: e.phase }, value: e.count })),
    },
    {
      name: 'argo_workflows_operation_duration_seconds',
      help: 'Histogram of durations of operations (reconciles of one workflow)',
      type: 'histogram',
      buckets: s.operationDurations.buckets,
      counts: s.operationDurations.counts,
      sum: s.operationDurations.sum,
    },
    ...(s.locks ? lockFamilies(s.locks) : []),
    ...(s.deprecated
      ? [
          {
            name: 'argo_workflows_deprecated_feature',
            help: 'Incidents of deprecated feature being used',
            type: 'counter' as const,
            samples: Object.entries(s.deprecated).map(([feature, value]) => ({ labels: { feature }, value })),
          },
        ]
      : []),
    ...(s.repairs
      ? [
          {
            name: 'argot_invariant_repairs_total',
            help: 'Invariant breaches found and repaired by the controller (each one is a bug): finished pods with unfinished containers, finished workflows still holding locks',
            type: 'counter' as const,
            samples: Object.entries(s.repairs).map(([invariant, value]) => ({ labels: { invariant }, value })),
          },
        ]
      : []),
  ];
}

/** Argo's lock metrics (PR #14906), plus the wait time and the leak-repair counter argot adds. */
function lockFamilies(l: LockMetrics): MetricFamily[] {
  const labels = (x: LockMetrics['locks'][number]): Record<string, string> => ({ lock_name: x.lockName, namespace: x.namespace, storage: x.storage, type: x.type });
  return [
    { name: 'argo_workflows_locks_held', help: 'Holders of each synchronization lock', type: 'gauge', samples: l.locks.map((x) => ({ labels: labels(x), value: x.held })) },
    { name: 'argo_workflows_locks_pending', help: 'Waiters queued for each synchronization lock', type: 'gauge', samples: l.locks.map((x) => ({ labels: labels(x), value: x.pending })) },
    { name: 'argo_workflows_locks_taken_total', help: 'Acquisitions of each synchronization lock since the controller started', type: 'counter', samples: l.locks.map((x) => ({ labels: labels(x), value: x.taken })) },
    {
      name: 'argo_workflows_locks_wait_seconds',
      help: 'Time holders waited in a lock queue before acquiring',
      type: 'histogram',
      buckets: l.waitSeconds.buckets,
      counts: l.waitSeconds.counts,
      sum: l.waitSeconds.sum,
    },
  ];
}

function keyOf(wf: Workflow): string {
  return `${wf.metadata.namespace ?? ''}/${wf.metadata.name ?? ''}`;
}

function track(wf: Workflow): Tracked {
  const pods: Record<string, number> = {};
  for (const node of Object.values(wf.status?.nodes ?? {})) {
    if (node.type === 'Pod' && (node.phase === 'Pending' || node.phase === 'Running')) pods[node.phase] = (pods[node.phase] ?? 0) + 1;
  }
  return { phase: wf.status?.phase ?? 'Pending', namespace: wf.metadata.namespace ?? '', pods };
}
