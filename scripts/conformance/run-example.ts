// Runs one corpus file through the argot CLI in its own process group and state directory, and
// reads the Workflow it prints. A process group, because a workflow's pods are argot's children
// (and theirs): on timeout, and after exit, the whole group goes, so no sleeper outlives its run.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workflow } from '../../src/spec/types.js';

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
  timedOut: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  durationMs: number;
  home: string;
}

// SIGTERM first so argot can stop its pods and write state; SIGKILL for whatever ignores it.
const KILL_GRACE_MS = 2_000;
// Output beyond this is not needed to judge a run and would only hold memory.
const MAX_CAPTURE = 64 * 1024 * 1024;

const running = new Set<number>();

/** Kills every run still going (on Ctrl-C), so the conformance run leaves nothing behind. */
export function killAllRuns(): void {
  for (const pgid of running) killGroup(pgid, 'SIGKILL');
}

export async function runExample(file: string, options: RunOptions): Promise<RunOutcome> {
  const home = await mkdtemp(join(tmpdir(), 'argot-conformance-'));
  const [executable, ...prefix] = options.command;
  if (!executable) throw new Error('runExample: empty argot command');
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, ARGOT_HOME: home, NO_COLOR: '1' };
  delete env['FORCE_COLOR']; // colour escapes in stderr would end up in the failure table
  const started = performance.now();
  const child = spawn(executable, [...prefix, 'run', file, '-o', 'json'], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  const pgid = child.pid;
  if (pgid !== undefined) running.add(pgid);

  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    if (pgid !== undefined) killGroup(pgid, 'SIGTERM');
    killTimer = setTimeout(() => pgid !== undefined && killGroup(pgid, 'SIGKILL'), KILL_GRACE_MS);
  }, options.timeoutMs);

  const { exitCode, signal } = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      stderr.push(`${error.message}\n`);
      resolve({ exitCode: null, signal: null });
    });
    child.once('exit', (code, sig) => resolve({ exitCode: code, signal: sig }));
  });
  const durationMs = performance.now() - started;
  clearTimeout(timer);
  clearTimeout(killTimer);
  // Leftovers (daemons, a pod argot did not reap) hold the pipes open; end them, then drain.
  if (pgid !== undefined) {
    killGroup(pgid, 'SIGKILL');
    running.delete(pgid);
  }
  await Promise.all([stdout.done, stderr.done]);
  if (!options.keepHome) await rm(home, { recursive: true, force: true }).catch(() => undefined);

  return { workflow: parseWorkflow(stdout.text()), timedOut, exitCode, signal, stderr: stderr.text(), durationMs, home };
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pgid : -pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function capture(stream: NodeJS.ReadableStream | null): { text: () => string; push: (s: string) => void; done: Promise<void> } {
  const chunks: string[] = [];
  let size = 0;
  const push = (s: string): void => {
    if (size >= MAX_CAPTURE) return;
    chunks.push(s);
    size += s.length;
  };
  const done = new Promise<void>((resolve) => {
    if (!stream) return resolve();
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => push(chunk));
    stream.once('end', () => resolve());
    stream.once('error', () => resolve());
    stream.once('close', () => resolve());
  });
  return { text: () => chunks.join(''), push, done };
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
