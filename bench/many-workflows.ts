// B6: N one-step workflows submitted at once through the API (CNOE's "queued" pattern). Figures:
// the submit rate, the drain time (first submit → last workflow finished) and the queue latency
// (the API's answer → the workflow's pod requested). The drain's floor is the pods' sandboxed
// spawns spread over the cores.
import { cpus } from 'node:os';
import type { Workflow } from '../src/spec/types.js';
import { pool, startApi } from './api.js';
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { cpuMs, openRig } from './rig.js';
import { percentile } from './stats.js';
import { single } from './workflows.js';

export async function manyWorkflowsBench(floor: Floor, opts: { workflows: number }): Promise<Row[]> {
  const rig = await openRig();
  const api = await startApi(rig);
  try {
    const finished = new Set<string>();
    let failed = 0;
    let allDone: () => void = () => undefined;
    const drained = new Promise<void>((resolve) => (allDone = resolve));
    const answered = new Map<string, number>();
    let target = Infinity;
    rig.store.workflows.watch((c) => {
      const phase = c.object.status?.phase;
      const name = c.object.metadata.name ?? '';
      if ((phase === 'Succeeded' || phase === 'Failed' || phase === 'Error') && !finished.has(name)) {
        finished.add(name);
        if (phase !== 'Succeeded') failed++;
        if (finished.size >= target) allDone();
      }
    });
    const post = async (wf: Workflow): Promise<string> => {
      const res = await fetch(`${api.url}/api/v1/workflows/default`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workflow: wf }) });
      if (res.status !== 200) throw new Error(`submit: HTTP ${res.status}: ${await res.text()}`);
      return ((await res.json()) as Workflow).metadata.name ?? '';
    };
    // Warm-up: one workflow through the whole path.
    target = 1;
    await post(single('warm', ['true']));
    await drained;
    finished.clear();
    rig.resetCounters();

    target = opts.workflows;
    const drainedAll = new Promise<void>((resolve) => (allDone = resolve));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await pool(Array.from({ length: opts.workflows }), 32, async () => {
      const name = await post(single('many', ['true']));
      answered.set(name, performance.now());
    });
    const submitS = (performance.now() - t0) / 1000;
    await drainedAll;
    const drainS = (performance.now() - t0) / 1000;
    const cpu = cpuMs(cpu0);
    const latency: number[] = [];
    for (const [name, at] of answered) {
      const req = rig.podRequests.get(name);
      if (req !== undefined) latency.push(Math.max(0, req - at));
    }
    const spawn = floor.sandboxSpawnMs ?? floor.spawnMs;
    const floorS = (opts.workflows * spawn) / cpus().length / 1000;
    const base = {
      argo: '5,000 queued: 17–19 min (270 wf/min, defaults; CNOE)',
      details: {
        'submit rate (wf/s)': opts.workflows / submitS,
        'submitting took (s)': submitS,
        'queue latency p50 (ms)': percentile(latency, 50),
        'queue latency p99 (ms)': percentile(latency, 99),
        'workflows per minute': opts.workflows / (drainS / 60),
        'controller+API CPU per workflow (ms)': cpu / opts.workflows,
        'failed workflows': failed,
        'RSS after (MiB)': process.memoryUsage().rss / 2 ** 20,
      },
    };
    return [
      row({
        workload: `${opts.workflows} one-step workflows via the API`,
        metric: 'drain time (s)',
        figure: drainS,
        floorName: 'workflows × sandboxed spawn / cores',
        floor: floorS,
        goal: '10,000 in <60 s (spec: ≤30 s)',
        met: opts.workflows >= 10000 ? drainS < 60 : undefined,
        ...base,
      }),
      row({
        workload: `${opts.workflows} one-step workflows via the API`,
        metric: 'queue latency p99 (s)',
        figure: percentile(latency, 99) / 1000,
        floorName: 'drain time',
        floor: drainS,
        argo: 'queue_latency grows to minutes at 5,000 queued',
        goal: '<5 s while draining (spec B6)',
        met: percentile(latency, 99) < 5000,
        details: {},
      }),
    ];
  } finally {
    await api.close();
    await rig.close();
  }
}
