// B8 and controller memory: N workflows each running one long `sleep` pod. Memory: the
// controller process's heap and RSS per running workflow, as the slope between the first half of
// the workflows running and all of them (each reading after full GCs, with the process settled):
// a reading against the process before any workflow took in what the rig's warm-up freed or grew
// (code, caches), which at 100 workflows outweighed them and gave negative figures. Restart: the controller stops as after a crash (pods keep running, nothing is cleaned),
// a new one starts on the same data dir; the figure is the time until every workflow has been
// reconciled again, with its pod adopted (never started a second time).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { openRig, type Rig } from './rig.js';
import { single } from './workflows.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function memory(): Promise<{ heap: number; rss: number }> {
  // Pending I/O callbacks and timers of the last reconciles finish first; then the median of three
  // readings, each after two full collections (the second one frees what the first one's finalizers released).
  await new Promise((r) => setTimeout(r, 200));
  const readings: { heap: number; rss: number }[] = [];
  for (let i = 0; i < 3; i++) {
    gc();
    gc();
    const m = process.memoryUsage();
    readings.push({ heap: m.heapUsed, rss: m.rss });
    await new Promise((r) => setTimeout(r, 20));
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[1] ?? 0;
  return { heap: median(readings.map((r) => r.heap)), rss: median(readings.map((r) => r.rss)) };
}

async function until(cond: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function restartBench(floor: Floor, opts: { workflows: number }): Promise<Row[]> {
  const n = opts.workflows;
  let rig: Rig | undefined = await openRig();
  let rig2: Rig | undefined;
  try {
    const first = rig;
    await first.store.workflows.list(); // warm the paths the measurement crosses
    let started = 0;
    first.runtime.onEvent((e) => {
      if (e.type === 'podStarted') started++;
    });
    const names: string[] = [];
    const runUpTo = async (count: number): Promise<void> => {
      while (names.length < count) names.push((await first.controller.submit(single('running', ['sleep', '600']))).metadata.name ?? '');
      await until(() => started >= count, `${count} pods to start`, 120_000 + count * 200);
      await until(() => first.controller.queueDepth === 0, 'the queue to drain', 30_000);
    };
    const half = Math.max(1, Math.floor(n / 2));
    await runUpTo(half);
    const before = await memory();
    await runUpTo(n);
    const after = await memory();
    const measured = n - half;
    const heapPer = (after.heap - before.heap) / measured;
    const rssPer = (after.rss - before.rss) / measured;
    const wfBytes = JSON.stringify(await first.store.workflows.get('default', names[0] ?? '')).length;

    // The crash: no clean-up, pods keep running.
    await first.close({ keepPods: true, keepDir: true });
    rig = undefined;
    const seen = new Set<string>();
    const t0 = performance.now();
    let loadMs = 0;
    rig2 = await openRig({
      dir: first.dir,
      beforeStart: (r) => {
        const get = r.store.workflows.get.bind(r.store.workflows);
        r.store.workflows.get = async (ns, name) => {
          seen.add(name);
          return get(ns, name);
        };
        const t = performance.now();
        void r.store.workflows.listUnfinished().then(() => (loadMs = performance.now() - t));
      },
    });
    const second = rig2;
    await until(() => seen.size >= n && second.reconciles.count >= n && second.controller.queueDepth === 0, 'every workflow to be reconciled', 60_000);
    const resumeMs = performance.now() - t0;
    const recreated = second.podRequests.size;
    const running = (await second.store.workflows.list()).items.filter((w) => w.status?.phase === 'Running').length;
    return [
      row({
        workload: `restart with ${n} running workflows`,
        metric: 'all reconciled again (s)',
        figure: resumeMs / 1000,
        floorName: `${n} × SQLite commit`,
        floor: (n * floor.commitMs) / 1000,
        argo: 'standby takeover ≥15 s + informer LIST + requeue of every workflow (derived)',
        goal: '<3 s (spec B8, 500 workflows)',
        met: n >= 500 ? resumeMs < 3000 : undefined,
        details: { 'pods started again (must be 0)': recreated, 'still Running after': running, 'loading every unfinished workflow (ms)': loadMs, 'controller errors': second.errors.length },
      }),
      row({
        workload: `controller memory, ${n} running workflows`,
        metric: 'heap per running workflow (KiB)',
        figure: heapPer / 1024,
        floorName: "the workflow's JSON (KiB)",
        floor: wfBytes / 1024,
        argo: 'none published; memory "dominated by informer caches" (docs/scaling.md)',
        goal: '≤5 KiB per waiting workflow (spec B4)',
        met: heapPer / 1024 <= 5,
        details: {
          'measured as': `slope from ${half} to ${n} running workflows, after full GCs`,
          'RSS per running workflow (KiB)': rssPer / 1024,
          'RSS goal ≤5 KiB per waiting workflow (spec §4 B4)': rssPer / 1024 <= 5 ? 'met' : 'NOT met',
          'RSS after (MiB)': after.rss / 2 ** 20,
        },
      }),
    ];
  } finally {
    if (rig) await rig.close();
    if (rig2) await rig2.close();
  }
}
