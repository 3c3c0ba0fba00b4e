// The engine as `argot server` assembles it, in this process: SQLite store, local runtime (the
// bubblewrap sandbox when usable), controller; instrumented to count what the store writes.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, type ControllerOptions } from '../src/controller/controller.js';
import { createLocalRuntime, type LocalPodRuntime } from '../src/runtime/local/index.js';
import type { Workflow } from '../src/spec/types.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import type { Store } from '../src/store/types.js';

export interface SaveStats {
  /** saveStatus calls. */
  count: number;
  /** Bytes of JSON the store wrote: the document without nodes, plus each changed node (only when `measureBytes`). */
  bytes: number;
  /** Changed nodes written. */
  nodes: number;
  /** Time spent in saveStatus (ms); the store is synchronous underneath, so this is its own cost. */
  ms: number;
}

export interface Rig {
  dir: string;
  store: Store;
  runtime: LocalPodRuntime;
  controller: Controller;
  errors: string[];
  saves: SaveStats;
  /** Reconciles and the time they took (ms), from the controller's onReconcile. */
  reconciles: { count: number; ms: number };
  /** Pod creations requested by the controller, by workflow name, at the time (performance.now()). */
  podRequests: Map<string, number>;
  resetCounters(): void;
  /** Stops everything; `keepPods` leaves the sandboxes running for a later rig on the same dir (a restart). */
  close(opts?: { keepPods?: boolean; keepDir?: boolean }): Promise<void>;
}

export interface RigOptions {
  dir?: string;
  measureBytes?: boolean;
  controller?: Partial<Pick<ControllerOptions, 'workers' | 'parallelism' | 'resyncMs'>>;
  /** Called before the controller starts (to instrument the store or runtime further). */
  beforeStart?: (rig: Rig) => void;
}

export async function openRig(opts: RigOptions = {}): Promise<Rig> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'argot-bench-'));
  const store = openSqliteStore(join(dir, 'argot.db'));
  const errors: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) };
  const runtime = await createLocalRuntime({ dataDir: dir, warn: () => undefined });
  const saves: SaveStats = { count: 0, bytes: 0, nodes: 0, ms: 0 };
  const reconciles = { count: 0, ms: 0 };
  const podRequests = new Map<string, number>();

  const saveStatus = store.workflows.saveStatus.bind(store.workflows);
  store.workflows.saveStatus = async (wf, changed, o) => {
    saves.count++;
    saves.nodes += changed.length;
    if (opts.measureBytes) saves.bytes += jsonBytes(wf, changed);
    const t0 = performance.now();
    try {
      return await saveStatus(wf, changed, o);
    } finally {
      saves.ms += performance.now() - t0;
    }
  };
  const createPod = runtime.createPod.bind(runtime);
  runtime.createPod = async (spec) => {
    if (!podRequests.has(spec.workflowName)) podRequests.set(spec.workflowName, performance.now());
    return createPod(spec);
  };
  const controller = new Controller({
    store,
    runtime,
    engine: { namespace: 'default' },
    log,
    ...opts.controller,
    onReconcile: (s) => {
      reconciles.count++;
      reconciles.ms += s * 1000;
    },
  });
  const rig: Rig = {
    dir,
    store,
    runtime,
    controller,
    errors,
    saves,
    reconciles,
    podRequests,
    resetCounters() {
      Object.assign(saves, { count: 0, bytes: 0, nodes: 0, ms: 0 });
      Object.assign(reconciles, { count: 0, ms: 0 });
      podRequests.clear();
    },
    async close(c = {}) {
      await controller.stop();
      await runtime.close({ keepPods: c.keepPods ?? false });
      await store.close();
      if (!c.keepDir) leftovers.push(dir);
    },
  };
  opts.beforeStart?.(rig);
  await controller.start();
  return rig;
}

const leftovers: string[] = [];

/**
 * Removes the rigs' data dirs in a detached, niced `rm` once the run is over: a thousand pod
 * sandboxes take seconds of CPU to delete, which would otherwise land in the next workload.
 */
export function removeDataDirsLater(): void {
  if (leftovers.length === 0) return;
  spawn('nice', ['-n', '19', 'rm', '-rf', ...leftovers.splice(0)], { detached: true, stdio: 'ignore' }).unref();
}

/** What a saveStatus writes: the document without its nodes, and the changed nodes. */
function jsonBytes(wf: Workflow, changed: readonly string[]): number {
  const nodes = wf.status?.nodes ?? {};
  let bytes = JSON.stringify({ ...wf, status: { ...wf.status, nodes: {} } }).length;
  for (const id of changed) {
    const n = nodes[id];
    if (n) bytes += JSON.stringify(n).length;
  }
  return bytes;
}

/** Submits and waits; throws when the workflow did not succeed. */
export async function runToEnd(rig: Rig, wf: Workflow): Promise<Workflow> {
  const submitted = await rig.controller.submit(wf);
  const done = await rig.controller.waitFor('default', submitted.metadata.name ?? '');
  if (done.status?.phase !== 'Succeeded') throw new Error(`workflow ${done.metadata.name ?? ''} ended ${done.status?.phase ?? '?'}: ${done.status?.message ?? ''}${rig.errors.length ? `; errors: ${rig.errors.slice(0, 3).join('; ')}` : ''}`);
  return done;
}

/** Controller CPU (this process: children excluded) in ms since `from`. */
export function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}
