// B3: a DAG of N `true` tasks, width W (each task depends on 2 of the previous layer). Floors: the
// critical path (one sandboxed spawn per layer) and the spawns spread over the cores; the larger.
import { cpus } from 'node:os';
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { cpuMs, openRig, runToEnd } from './rig.js';
import { dag } from './workflows.js';

export async function dagBench(floor: Floor, opts: { tasks: number; width: number }): Promise<Row[]> {
  const rig = await openRig();
  try {
    await runToEnd(rig, dag(10, 5));
    rig.resetCounters();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await runToEnd(rig, dag(opts.tasks, opts.width));
    const total = performance.now() - t0;
    const cpu = cpuMs(cpu0);
    const spawn = floor.sandboxSpawnMs ?? floor.spawnMs;
    const layers = Math.ceil(opts.tasks / opts.width);
    const floorMs = Math.max(layers * spawn, (opts.tasks * spawn) / cpus().length);
    const cpuPerTask = cpu / opts.tasks;
    return [
      row({
        workload: `DAG ${opts.tasks} tasks, width ${opts.width}`,
        metric: 'makespan (s)',
        figure: total / 1000,
        floorName: 'max(layers, tasks / cores) × sandboxed spawn',
        floor: floorMs / 1000,
        argo: '≥1 requeue of 10 s per layer + qps-bound pod creates: ≈3–6 min (derived)',
        goal: '<3 s for 1,000',
        met: opts.tasks >= 1000 ? total < 3000 : undefined,
        details: {
          'controller CPU per task (ms)': cpuPerTask,
          'controller CPU goal ≤1.5 ms/task': cpuPerTask <= 1.5 ? 'met' : 'NOT met',
          'store writes': rig.saves.count,
          reconciles: rig.reconciles.count,
          'reconcile time, mean (ms)': rig.reconciles.ms / Math.max(1, rig.reconciles.count),
        },
      }),
    ];
  } finally {
    await rig.close();
  }
}
