// B2: one step fanning out to N `true` pods (withSequence), with the controller's defaults (no
// parallelism limit). The floor is the pods' spawns spread over this machine's cores.
import { cpus } from 'node:os';
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { cpuMs, openRig, runToEnd } from './rig.js';
import { fanOut } from './workflows.js';

export async function fanOutBench(floor: Floor, opts: { pods: number }): Promise<Row[]> {
  const rig = await openRig();
  try {
    await runToEnd(rig, fanOut(5));
    rig.resetCounters();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await runToEnd(rig, fanOut(opts.pods));
    const total = performance.now() - t0;
    const cpu = cpuMs(cpu0);
    const spawn = floor.sandboxSpawnMs ?? floor.spawnMs;
    const floorMs = (opts.pods * spawn) / cpus().length;
    return [
      row({
        workload: `fan-out ${opts.pods} true pods`,
        metric: 'makespan (s)',
        figure: total / 1000,
        floorName: `pods × sandboxed spawn / ${cpus().length} cores`,
        floor: floorMs / 1000,
        argo: 'pod creates at qps 20/burst 30: ≈300–400 pods/min, ≥100 s with resourceRateLimit 10/s',
        goal: '≤2.5 s for 1,000 (spec B2)',
        met: opts.pods >= 1000 ? total <= 2500 : undefined,
        details: {
          'pods per second': opts.pods / (total / 1000),
          'controller CPU per pod (ms)': cpu / opts.pods,
          'store writes': rig.saves.count,
          reconciles: rig.reconciles.count,
        },
      }),
    ];
  } finally {
    await rig.close();
  }
}
