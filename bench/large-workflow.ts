// B5: what one reconcile writes as a workflow grows. The same fan-out at 50 nodes and at N nodes;
// a status saved as deltas writes per reconcile what changed, not the whole workflow, so bytes and
// persist time per save stay flat. The floor of each figure is the same figure at 50 nodes.
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { openRig, runToEnd } from './rig.js';
import { fanOut } from './workflows.js';

interface Sample {
  nodes: number;
  seconds: number;
  bytesPerSave: number;
  msPerSave: number;
  nodesPerSave: number;
  reconcileMs: number;
  saves: number;
  finalBytes: number;
}

async function sample(pods: number): Promise<Sample> {
  const rig = await openRig({ measureBytes: true });
  try {
    await runToEnd(rig, fanOut(3, 'warm'));
    rig.resetCounters();
    const t0 = performance.now();
    const done = await runToEnd(rig, fanOut(pods, 'large'));
    const seconds = (performance.now() - t0) / 1000;
    const s = rig.saves;
    return {
      nodes: Object.keys(done.status?.nodes ?? {}).length,
      seconds,
      bytesPerSave: s.bytes / s.count,
      msPerSave: s.ms / s.count,
      nodesPerSave: s.nodes / s.count,
      reconcileMs: rig.reconciles.ms / rig.reconciles.count,
      saves: s.count,
      finalBytes: JSON.stringify(done).length,
    };
  } finally {
    await rig.close();
  }
}

export async function largeWorkflowBench(_floor: Floor, opts: { pods: number }): Promise<Row[]> {
  const small = await sample(50);
  const large = await sample(opts.pods);
  const details = (s: Sample, tag: string): Record<string, number> => ({
    [`${tag}: nodes`]: s.nodes,
    [`${tag}: total (s)`]: s.seconds,
    [`${tag}: saves`]: s.saves,
    [`${tag}: changed nodes per save`]: s.nodesPerSave,
    [`${tag}: persist per save (ms)`]: s.msPerSave,
    [`${tag}: reconcile, mean (ms)`]: s.reconcileMs,
    [`${tag}: final status (KiB)`]: s.finalBytes / 1024,
  });
  const argo = 'whole status re-serialized and gzipped on each update (≈45 ms at 5k nodes); >1 MiB offloaded';
  return [
    row({
      workload: `large workflow, ${large.nodes} nodes`,
      metric: 'bytes written per save',
      figure: large.bytesPerSave,
      floorName: `same at ${small.nodes} nodes`,
      floor: small.bytesPerSave,
      argo,
      goal: 'flat: ≤2× the 50-node figure',
      met: large.bytesPerSave <= 2 * small.bytesPerSave,
      details: { ...details(small, 'small'), ...details(large, 'large') },
    }),
    row({
      workload: `large workflow, ${large.nodes} nodes`,
      metric: 'persist time per save (ms)',
      figure: large.msPerSave,
      floorName: `same at ${small.nodes} nodes`,
      floor: small.msPerSave,
      argo,
      goal: 'flat: ≤2× the 50-node figure',
      met: large.msPerSave <= 2 * small.msPerSave,
      details: {},
    }),
    row({
      workload: `large workflow, ${large.nodes} nodes`,
      metric: 'reconcile time, mean (ms)',
      figure: large.reconcileMs,
      floorName: `same at ${small.nodes} nodes`,
      floor: small.reconcileMs,
      argo,
      goal: '– (reported: the engine walks the whole workflow)',
      met: undefined,
      details: {},
    }),
  ];
}
