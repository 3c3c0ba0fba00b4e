// Child processes of the conformance run, each in its own process group so that a timeout (or
// Ctrl-C) takes down everything it started. Used for `argot run` and for the CLI commands and
// servers of server mode.

import { spawn, type ChildProcess } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
}

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Killed (SIGTERM, then SIGKILL) after this long; no limit when undefined. */
  timeoutMs?: number;
}

// SIGTERM first so argot can stop its pods and write state; SIGKILL for whatever ignores it.
const KILL_GRACE_MS = 2_000;
// Output beyond this is not needed to judge a run and would only hold memory.
const MAX_CAPTURE = 64 * 1024 * 1024;

const running = new Set<number>();
const interruptHooks = new Set<() => void>();

/** Kills every process group still going (on Ctrl-C), so the conformance run leaves nothing behind. */
export function killAllRuns(): void {
  for (const hook of interruptHooks) hook();
  for (const pgid of running) killGroup(pgid, 'SIGKILL');
}

/** Something to do synchronously on Ctrl-C before the groups are killed (servers clean up their pods). */
export function onInterrupt(hook: () => void): () => void {
  interruptHooks.add(hook);
  return () => interruptHooks.delete(hook);
}

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pgid : -pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** The environment for argot children: no colour escapes, which would end up in the failure table. */
export function childEnv(base: NodeJS.ProcessEnv | undefined, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...base, ...extra, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  return env;
}

/** Starts `argv` in a new process group, with stdout and stderr piped. */
export function spawnGroup(argv: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  const [executable, ...args] = argv;
  if (!executable) throw new Error('empty argot command');
  const child = spawn(executable, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  if (child.pid !== undefined) running.add(child.pid);
  return child;
}

/** Ends a group started by spawnGroup, and stops tracking it. */
export function endGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  killGroup(pgid, 'SIGKILL');
  running.delete(pgid);
}

/** Runs a command to completion (or its timeout) and captures what it printed. */
export async function runCommand(argv: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const started = performance.now();
  const child = spawnGroup(argv, options);
  const pgid = child.pid;
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);
  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
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
  endGroup(pgid);
  await Promise.all([stdout.done, stderr.done]);
  return { stdout: stdout.text(), stderr: stderr.text(), exitCode, signal, timedOut, durationMs };
}

export function capture(stream: NodeJS.ReadableStream | null): { text: () => string; push: (s: string) => void; done: Promise<void> } {
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

export { KILL_GRACE_MS };
