// The runner's command line: `[names…] [--full] [--json] [--SIZE N…]`, and each tier's sizes.
export const WORKLOADS = ['sequential', 'fan-out', 'dag', 'large-workflow', 'many-workflows', 'list', 'restart', 'semaphore'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

/** The sizes a workload reads; a flag of the same name overrides the tier's value. */
export interface Sizes {
  steps: number;
  pods: number;
  tasks: number;
  width: number;
  nodes: number;
  workflows: number;
  requests: number;
  running: number;
  limit: number;
  sleep: number;
}

/** Smoke: every workload small enough for the whole run to stay under 2 minutes here. Full: the sizes. */
export const TIERS: Record<'smoke' | 'full', Record<WorkloadName, Partial<Sizes>>> = {
  smoke: {
    sequential: { steps: 50 },
    'fan-out': { pods: 200 },
    dag: { tasks: 1000, width: 50 },
    'large-workflow': { nodes: 500 },
    'many-workflows': { workflows: 500 },
    list: { workflows: 10000, requests: 200 },
    restart: { running: 100 },
    semaphore: { workflows: 200, limit: 10, sleep: 0.05 },
  },
  full: {
    sequential: { steps: 200 },
    'fan-out': { pods: 1000 },
    dag: { tasks: 1000, width: 50 },
    'large-workflow': { nodes: 5000 },
    'many-workflows': { workflows: 10000 },
    list: { workflows: 10000, requests: 1000 },
    restart: { running: 500 },
    semaphore: { workflows: 1000, limit: 10, sleep: 0.05 },
  },
};

const SIZE_FLAGS = new Set<string>(['steps', 'pods', 'tasks', 'width', 'nodes', 'workflows', 'requests', 'running', 'limit', 'sleep']);

export interface BenchArgs {
  tier: 'smoke' | 'full';
  json: boolean;
  /** The workloads to run, in the suite's order; all when none was named. */
  workloads: WorkloadName[];
  overrides: Partial<Sizes>;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run bench -- [${WORKLOADS.join('|')}…] [--full] [--json] [--${[...SIZE_FLAGS].join(' N|--')} N]`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const named = new Set<string>();
  const overrides: Partial<Sizes> = {};
  let tier: 'smoke' | 'full' = 'smoke';
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--full') tier = 'full';
    else if (a === '--smoke') tier = 'smoke';
    else if (a === '--json') json = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (!SIZE_FLAGS.has(key)) throw new UsageError(`unknown flag ${a}`);
      const text = eq < 0 ? argv[++i] : a.slice(eq + 1);
      const value = Number(text);
      if (text === undefined || text === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${key} needs a positive number, got ${text ?? 'nothing'}`);
      overrides[key as keyof Sizes] = value;
    } else if ((WORKLOADS as readonly string[]).includes(a)) named.add(a);
    else throw new UsageError(`unknown workload ${a} (known: ${WORKLOADS.join(', ')})`);
  }
  const workloads = WORKLOADS.filter((w) => named.size === 0 || named.has(w));
  return { tier, json, workloads, overrides };
}

export function sizesFor(args: BenchArgs, workload: WorkloadName): Sizes {
  const defaults: Sizes = { steps: 200, pods: 1000, tasks: 1000, width: 50, nodes: 5000, workflows: 10000, requests: 1000, running: 500, limit: 10, sleep: 0.05 };
  return { ...defaults, ...TIERS[args.tier][workload], ...args.overrides };
}
