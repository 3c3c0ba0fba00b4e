// B1: a steps workflow of N sequential `echo hi` steps. The figure is the time per step; its floor
// is one bare spawn through the sandbox, which a step cannot avoid.
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { cpuMs, openRig, runToEnd, type Rig } from './rig.js';
import { percentile } from './stats.js';
import { sequential } from './workflows.js';

export async function sequentialBench(floor: Floor, opts: { steps: number }): Promise<Row[]> {
  const rig = await openRig();
  try {
    await runToEnd(rig, sequential(3)); // warm-up: caches, JIT, the spawner
    rig.resetCounters();
    const timeline = podTimeline(rig);
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
          ...timeline(),
        },
      }),
    ];
  } finally {
    await rig.close();
  }
}

/**
 * Where a step's time goes, as medians from createPod being called: the pod accepted, its events
 * (podStarted … podFinished), and the controller's hand-off from one pod's end to the next pod's
 * creation.
 */
function podTimeline(rig: Rig): () => Record<string, number> {
  const created = new Map<string, number>();
  const marks = new Map<string, number[]>();
  const mark = (name: string, ms: number): void => {
    const list = marks.get(name) ?? [];
    list.push(ms);
    marks.set(name, list);
  };
  let lastFinished: number | undefined;
  const createPod = rig.runtime.createPod.bind(rig.runtime);
  rig.runtime.createPod = async (spec) => {
    const t0 = performance.now();
    created.set(spec.name, t0);
    if (lastFinished !== undefined) mark('pod finished → next createPod', t0 - lastFinished);
    lastFinished = undefined;
    await createPod(spec);
    mark('createPod resolved', performance.now() - t0);
  };
  rig.runtime.onEvent((event) => {
    const t0 = created.get(event.pod);
    if (t0 === undefined) return;
    const now = performance.now();
    mark(event.type, now - t0);
    if (event.type === 'podFinished') lastFinished = now;
  });
  return () => {
    const out: Record<string, number> = {};
    for (const [name, xs] of marks) out[`p50 ${name}${name.includes('→') ? '' : ' (since createPod)'} (ms)`] = percentile(xs, 50);
    return out;
  };
}
