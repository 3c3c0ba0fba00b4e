// B1: a steps workflow of N sequential `echo hi` steps. The figure is the time per step; its floor
// is one bare spawn through the sandbox, which a step cannot avoid.
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { cpuMs, openRig, runToEnd } from './rig.js';
import { sequential } from './workflows.js';

export async function sequentialBench(floor: Floor, opts: { steps: number }): Promise<Row[]> {
  const rig = await openRig();
  try {
    await runToEnd(rig, sequential(3)); // warm-up: caches, JIT, the spawner
    rig.resetCounters();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await runToEnd(rig, sequential(opts.steps));
    const total = performance.now() - t0;
    const cpu = cpuMs(cpu0);
    const perStep = total / opts.steps;
    const sandbox = floor.sandboxSpawnMs ?? floor.spawnMs;
    return [
      row({
        workload: `sequential ${opts.steps} echo steps`,
        metric: 'per step (ms)',
        figure: perStep,
        floorName: floor.sandboxSpawnMs === undefined ? 'bare spawn' : 'sandboxed spawn',
        floor: sandbox,
        argo: '≈10 s/step (10 s requeue; #6262, #10654)',
        goal: '≤1.5× sandboxed spawn',
        met: perStep <= 1.5 * sandbox,
        details: {
          'total (s)': total / 1000,
          'controller CPU per step (ms)': cpu / opts.steps,
          'store writes per step': rig.saves.count / opts.steps,
          'reconciles per step': rig.reconciles.count / opts.steps,
          'overhead over the sandboxed spawn per step (ms)': perStep - sandbox,
        },
      }),
    ];
  } finally {
    await rig.close();
  }
}
