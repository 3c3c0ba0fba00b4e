// B8 and controller memory: N workflows each running one long `sleep` pod. Memory: the
// controller process's heap and RSS per running workflow (after a GC, against the same process
// before). Restart: the controller stops as after a crash (pods keep running, nothing is cleaned),
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

function memory(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
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
    const before = memory();
    let started = 0;
    first.runtime.onEvent((e) => {
      if (e.type === 'podStarted') started++;
    });
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push((await first.controller.submit(single('running', ['sleep', '600']))).metadata.name ?? '');
    await until(() => started >= n, `${n} pods to start`, 120_000 + n * 200);
    await until(() => first.controller.queueDepth === 0, 'the queue to drain', 30_000);
    const after = memory();
    const heapPer = (after.heap - before.heap) / n;
    const rssPer = (after.rss - before.rss) / n;
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
        details: { 'RSS per running workflow (KiB)': rssPer / 1024, 'RSS after (MiB)': after.rss / 2 ** 20 },
      }),
    ];
  } finally {
    if (rig) await rig.close();
    if (rig2) await rig2.close();
  }
}
