// `npm run bench [-- names…] [--full] [--json] [--SIZE N]`: the workloads of spec/performance.md
// §4, each reported against this machine's floor measured at the start of the same run. Progress
// and details go to stderr; the table (or, with --json, the report) to stdout.
import { cpus } from 'node:os';
import { parseBenchArgs, sizesFor, USAGE, UsageError, type WorkloadName, type Sizes } from './args.js';
import { dagBench } from './dag.js';
import { fanOutBench } from './fan-out.js';
import { formatFloor, measureFloor, type Floor } from './floor.js';
import { largeWorkflowBench } from './large-workflow.js';
import { listBench } from './list.js';
import { manyWorkflowsBench } from './many-workflows.js';
import { detailLines, markdownTable, num, type Report, type Row } from './report.js';
import { restartBench } from './restart.js';
import { removeDataDirsLater } from './rig.js';
import { semaphoreBench } from './semaphore.js';
import { sequentialBench } from './sequential.js';

const RUN: Record<WorkloadName, (floor: Floor, s: Sizes) => Promise<Row[]>> = {
  sequential: (f, s) => sequentialBench(f, { steps: s.steps }),
  'fan-out': (f, s) => fanOutBench(f, { pods: s.pods }),
  dag: (f, s) => dagBench(f, { tasks: s.tasks, width: s.width }),
  'large-workflow': (f, s) => largeWorkflowBench(f, { pods: s.nodes }),
  'many-workflows': (f, s) => manyWorkflowsBench(f, { workflows: s.workflows }),
  list: (f, s) => listBench(f, { workflows: s.workflows, requests: s.requests }),
  restart: (f, s) => restartBench(f, { workflows: s.running }),
  semaphore: (f, s) => semaphoreBench(f, { workflows: s.workflows, limit: s.limit, sleepSeconds: s.sleep }),
};

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    say(`${err.message}\n${USAGE}`);
    return 2;
  }
  const floor = await measureFloor();
  say(formatFloor(floor));
  const rows: Row[] = [];
  const failures: string[] = [];
  const t0 = performance.now();
  for (const name of args.workloads) {
    const t = performance.now();
    say(`\n${name}…`);
    try {
      const out = await RUN[name](floor, sizesFor(args, name));
      for (const r of out) {
        say(`  ${r.metric}: ${num(r.figure)} (floor ${num(r.floor)}, ${num(r.ratio)}×; goal ${r.goal}: ${r.met === undefined ? '–' : r.met ? 'met' : 'NOT met'})`);
        if (Object.keys(r.details).length) say(detailLines(r));
      }
      rows.push(...out);
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      say(`  FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    say(`  (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  say(`\n${args.tier} tier: ${((performance.now() - t0) / 1000).toFixed(1)} s in all`);
  const report: Report = {
    tier: args.tier,
    startedAt: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version, sandbox: floor.sandboxSpawnMs === undefined ? 'none' : 'bwrap' },
    floor,
    rows,
  };
  if (args.json) process.stdout.write(`${JSON.stringify({ ...report, failures }, null, 2)}\n`);
  else process.stdout.write(`\n${formatFloor(floor)}\n\n${markdownTable(rows)}\n`);
  for (const f of failures) say(`failed: ${f}`);
  removeDataDirsLater();
  return failures.length > 0 ? 1 : 0;
}

process.exit(await main());
