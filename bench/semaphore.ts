// `npm run bench -- semaphore`: N workflows (default 1,000), each one `sleep 0.05` pod, behind one
// ConfigMap semaphore (default limit 10), through the real controller, SQLite store and local
// runtime. Reports the total against the ideal (N/limit rounds of the pod's own cost measured
// alone in this run), the hand-off latency from a holder's pod exit to the next holder's pod, the
// store writes per release, and the peak number of holders (which must equal the limit).
import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller } from '../src/controller/controller.js';
import { createLocalRuntime } from '../src/runtime/local/index.js';
import type { Workflow } from '../src/spec/types.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { ms, percentile } from './stats.js';

export interface SemaphoreOptions {
  workflows: number;
  limit: number;
  sleepSeconds: number;
}

function workflow(sleep: number, locked: boolean): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { generateName: locked ? 'sem-' : 'alone-', namespace: 'default' },
    spec: {
      entrypoint: 'main',
      ...(locked ? { synchronization: { semaphores: [{ configMapKeyRef: { name: 'bench-limits', key: 'workflow' } }] } } : {}),
      templates: [{ name: 'main', container: { image: 'alpine', command: ['sleep', String(sleep)] } }],
    },
  };
}

export async function semaphoreBench(floor: Floor, opts: SemaphoreOptions): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'argot-bench-semaphore-'));
  const store = openSqliteStore(join(dir, 'argot.db'));
  const errors: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) };
  const runtime = await createLocalRuntime({ dataDir: dir, warn: () => undefined });
  say(`sandbox: ${runtime.sandbox}`);

  // Instruments: store writes per workflow, pod requests, pod starts and exits (process clock, ms).
  const writes = new Map<string, number>();
  let totalWrites = 0;
  const saveStatus = store.workflows.saveStatus.bind(store.workflows);
  store.workflows.saveStatus = async (wf, changed, o) => {
    totalWrites++;
    const name = wf.metadata.name ?? '';
    writes.set(name, (writes.get(name) ?? 0) + 1);
    return saveStatus(wf, changed, o);
  };
  const requested: number[] = [];
  const writesBeforeStart: number[] = [];
  const createPod = runtime.createPod.bind(runtime);
  const life = new Map<string, { req: number; start?: number; exit?: number; finished?: number }>();
  runtime.createPod = async (spec) => {
    requested.push(performance.now());
    life.set(spec.name, { req: performance.now() });
    writesBeforeStart.push(writes.get(spec.workflowName) ?? 0);
    return createPod(spec);
  };
  const started: number[] = [];
  const exited: number[] = [];
  let running = 0;
  let peakPods = 0;
  runtime.onEvent((e) => {
    const l = life.get(e.pod);
    if (l && e.type === 'podStarted') l.start = performance.now();
    if (l && e.type === 'containerExited' && e.container === 'main') l.exit = performance.now();
    if (l && e.type === 'podFinished') l.finished = performance.now();
    if (e.type === 'podStarted') {
      started.push(performance.now());
      peakPods = Math.max(peakPods, ++running);
    } else if (e.type === 'containerExited' && e.container === 'main') {
      exited.push(performance.now());
      running--;
    }
  });
  let peakHolders = 0;
  const controller = new Controller({
    store,
    runtime,
    engine: { namespace: 'default' },
    log,
    onReconcile: () => {
      peakHolders = Math.max(peakHolders, controller.locks.table.holdersOfLock({ kind: 'semaphore', id: 'default/ConfigMap/bench-limits/workflow' })?.length ?? 0);
    },
  });
  try {
    await store.configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench-limits', namespace: 'default' }, data: { workflow: String(opts.limit) } });
    await controller.start();

    // The pod's own cost, alone: what one round of the semaphore cannot go below.
    const alone: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const wf = await controller.submit(workflow(opts.sleepSeconds, false));
      await controller.waitFor('default', wf.metadata.name ?? '');
      alone.push(performance.now() - t0);
    }
    const podCost = percentile(alone, 50);
    requested.length = 0;
    started.length = 0;
    exited.length = 0;
    writesBeforeStart.length = 0;
    totalWrites = 0;
    peakPods = 0;
    peakHolders = 0;

    const cpu0 = process.cpuUsage();
    const sys0 = systemCpu();
    const t0 = performance.now();
    const names: string[] = [];
    for (let i = 0; i < opts.workflows; i++) names.push((await controller.submit(workflow(opts.sleepSeconds, true))).metadata.name ?? '');
    const submitted = performance.now() - t0;
    const done = await Promise.all(names.map((n) => controller.waitFor('default', n)));
    const total = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const sys = systemCpu();

    // The k-th pod after the first `limit` took the slot the (k-limit)-th exit freed.
    const handoffDecision: number[] = [];
    const handoffStart: number[] = [];
    const sortedExit = [...exited].sort((a, b) => a - b);
    const sortedReq = [...requested].sort((a, b) => a - b);
    const sortedStart = [...started].sort((a, b) => a - b);
    for (let k = opts.limit; k < sortedReq.length; k++) {
      const freed = sortedExit[k - opts.limit];
      if (freed === undefined) continue;
      handoffDecision.push((sortedReq[k] ?? NaN) - freed);
      handoffStart.push((sortedStart[k] ?? NaN) - freed);
    }
    const rounds = opts.workflows / opts.limit;
    const cores = cpus().length;
    // CPU in the run: the controller's own, and the rest of the machine's (the pods: sandbox, wrapper, command).
    const controllerCpuMs = (cpu.user + cpu.system) / 1000;
    const machineCpuMs = (sys.busy - sys0.busy) * 10;
    const podCpuMs = Math.max(0, machineCpuMs - controllerCpuMs);
    // Floors: the rounds themselves (each no faster than one pod alone), and the CPU the pods need on this machine's cores.
    const roundsFloor = rounds * podCost;
    const spawnCosts = podCpuMs / cores;
    const ideal = Math.max(roundsFloor, spawnCosts);
    const goal = rounds * opts.sleepSeconds * 1000 * 1.5 + spawnCosts;
    const failed = done.filter((w) => w.status?.phase !== 'Succeeded').length;
    const waiterWrites = writesBeforeStart.slice(opts.limit);
    say(`semaphore: ${opts.workflows} workflows, limit ${opts.limit}, each one pod of sleep ${opts.sleepSeconds}`);
    say(`  one pod alone (submit → workflow done), median of 5: ${ms(podCost)} (sleep ${opts.sleepSeconds * 1000} ms + ${ms(podCost - opts.sleepSeconds * 1000)} of spawn and bookkeeping)`);
    say(`  total: ${(total / 1000).toFixed(2)} s (submitting took ${(submitted / 1000).toFixed(2)} s)`);
    say(`  CPU in the run: controller ${(controllerCpuMs / opts.workflows).toFixed(2)} ms per workflow, pods (sandbox, wrapper, command) ${(podCpuMs / opts.workflows).toFixed(2)} ms per workflow; machine busy ${((machineCpuMs / (total * cores)) * 100).toFixed(0)}% of ${cores} cores`);
    say(`  floors: ${rounds} rounds × one pod alone = ${(roundsFloor / 1000).toFixed(2)} s; the pods' CPU on ${cores} cores = ${(spawnCosts / 1000).toFixed(2)} s → ratio to the larger ${(total / ideal).toFixed(2)}`);
    say(`  issue goal (1.5 × ${rounds} × ${opts.sleepSeconds} s + spawn costs, the pods' CPU / cores): ${(goal / 1000).toFixed(2)} s → ${total <= goal ? 'met' : 'NOT met'}`);
    say(`  hand-off, holder's pod exit → next holder's pod requested: p50 ${ms(percentile(handoffDecision, 50))}, p99 ${ms(percentile(handoffDecision, 99))}, max ${ms(Math.max(...handoffDecision))}`);
    say(`  hand-off, holder's pod exit → next holder's pod started:   p50 ${ms(percentile(handoffStart, 50))}, p99 ${ms(percentile(handoffStart, 99))} (includes the sandboxed spawn, floor ${floor.sandboxSpawnMs?.toFixed(2) ?? 'n/a'} ms)`);
    say(`  store writes: ${totalWrites} in all, ${(totalWrites / opts.workflows).toFixed(2)} per release; a waiter's writes before its pod: max ${Math.max(...waiterWrites)}, p50 ${percentile(waiterWrites, 50)}`);
    const lives = [...life.values()].filter((l) => l.start !== undefined && l.exit !== undefined && l.finished !== undefined);
    const part = (f: (l: (typeof lives)[number]) => number): string => `p50 ${ms(percentile(lives.map(f), 50))} p99 ${ms(percentile(lives.map(f), 99))}`;
    say(`  pod life: requested → started ${part((l) => (l.start ?? 0) - l.req)}; started → main exited ${part((l) => (l.exit ?? 0) - (l.start ?? 0))}; main exited → pod finished ${part((l) => (l.finished ?? 0) - (l.exit ?? 0))}`);
    say(`  peak holders: ${peakHolders} (limit ${opts.limit}); peak running pods: ${peakPods}`);
    say(`  failed workflows: ${failed}; controller errors: ${errors.length}`);
    for (const e of errors.slice(0, 5)) say(`  error: ${e}`);
    if (peakHolders > opts.limit) throw new Error(`semaphore: ${peakHolders} holders at once, limit ${opts.limit}`);
    return [
      row({
        workload: `semaphore: ${opts.workflows} workflows, limit ${opts.limit}, sleep ${opts.sleepSeconds}`,
        metric: 'total (s)',
        figure: total / 1000,
        floorName: 'max(rounds × one pod alone, pods CPU / cores)',
        floor: ideal / 1000,
        argo: '≈2–14 s per hand-off; 10–25 min for 1,000 (derived)',
        goal: `≤1.5 × rounds × sleep + spawn costs (${(goal / 1000).toFixed(1)} s)`,
        met: total <= goal && failed === 0 && errors.length === 0,
        details: {
          'hand-off exit → next pod requested p50 (ms)': percentile(handoffDecision, 50),
          'hand-off exit → next pod requested p99 (ms)': percentile(handoffDecision, 99),
          'store writes per release': totalWrites / opts.workflows,
          'peak holders': peakHolders,
          'failed workflows': failed,
        },
      }),
    ];
  } finally {
    await controller.stop();
    await runtime.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Progress goes to stderr, so that `--json` leaves stdout to the JSON. */
function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Jiffies (1/100 s) the whole machine spent busy and in all, from /proc/stat. */
function systemCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
