// Runs one corpus file with `argot run` in its own process group and state directory, and reads
// the Workflow it prints. A process group, because a workflow's pods are argot's children (and
// theirs): on timeout, and after exit, the whole group goes, so no sleeper outlives its run.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workflow } from '../../src/spec/types.js';
import { childEnv, runCommand } from './spawn.js';

export { killAllRuns } from './spawn.js';

export interface RunOptions {
  /** The argot command line before `run <file> -o json`, e.g. `[node, bin/argot.js]`. */
  command: readonly string[];
  timeoutMs: number;
  cwd: string;
  /** Keep the run's ARGOT_HOME for inspection instead of deleting it. */
  keepHome?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface RunOutcome {
  /** The printed workflow, when stdout held one. */
  workflow?: Workflow;
  /** Every workflow the file produced, when there can be more than one (server mode); `workflow` is the first. */
  workflows?: Workflow[];
  timedOut: boolean;
  /** On timeout: the nodes still running, which usually name what it waited for. */
  stuck?: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  durationMs: number;
  home: string;
  /** What the runner did besides running the file (resumed a suspend node…), for the report line. */
  detail?: string;
}

export async function runExample(file: string, options: RunOptions): Promise<RunOutcome> {
  const home = await mkdtemp(join(tmpdir(), 'argot-conformance-'));
  if (!options.command[0]) throw new Error('runExample: empty argot command');
  const env = childEnv(options.env, { ARGOT_HOME: home });
  const result = await runCommand([...options.command, 'run', file, '-o', 'json'], { cwd: options.cwd, env, timeoutMs: options.timeoutMs });
  if (!options.keepHome) await rm(home, { recursive: true, force: true }).catch(() => undefined);
  const { timedOut, exitCode, signal, stderr, durationMs } = result;
  return { workflow: parseWorkflow(result.stdout), timedOut, exitCode, signal, stderr, durationMs, home };
}

/**
 * The Workflow object in `-o json` output. Tolerates text around it (a warning printed to stdout)
 * by trying each line that opens an object; the last complete Workflow wins.
 */
export function parseWorkflow(stdout: string): Workflow | undefined {
  const whole = tryWorkflow(stdout.trim());
  if (whole) return whole;
  const lines = stdout.split('\n');
  let found: Workflow | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]?.startsWith('{')) continue;
    for (let j = lines.length; j > i; j--) {
      if (!lines[j - 1]?.trimEnd().endsWith('}')) continue;
      const candidate = tryWorkflow(lines.slice(i, j).join('\n'));
      if (candidate) {
        found = candidate;
        i = j - 1;
        break;
      }
    }
  }
  return found;
}

function tryWorkflow(text: string): Workflow | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && 'kind' in value && (value as { kind: unknown }).kind === 'Workflow') return value as Workflow;
    if (value && typeof value === 'object' && 'status' in value && 'metadata' in value) return value as Workflow;
  } catch {
    // not JSON
  }
  return undefined;
}
