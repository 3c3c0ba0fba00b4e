// The spawner helper: a small Node process, forked once by the controller, that starts and signals
// container processes and reports their exits over the IPC channel. It exists because Node forks
// the whole calling process on every spawn, so spawning from the controller's large heap is slow
// (DESIGN.md §4); this process keeps a tiny heap. It imports nothing but Node builtins and
// proc-scan.ts, which does the same.
//
// If the controller goes away (IPC disconnect) every process is killed: bwrap sandboxes would die
// anyway through --die-with-parent, plain process groups would not.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { finished } from 'node:stream';
import { killProcessesWithEnv } from './proc-scan.js';
import type { SignalRequest, SpawnRequest, SpawnerReport, SpawnerRequest } from './protocol.js';

interface Proc {
  req: SpawnRequest;
  child: ChildProcess;
  pid?: number;
  exited: boolean;
}

const procs = new Map<string, Proc>();

/** A process that leaves its group (setsid) can hold our pipes open forever; don't wait on it longer than this. */
const STREAM_DRAIN_MS = 2000;
/** How long after a plain container's exit its pipes may stay open before we look for escaped processes. */
const ESCAPED_CHECK_MS = 50;

function send(report: SpawnerReport): void {
  if (!process.connected) return;
  // With a callback, a closed channel is reported there instead of as an 'error' event that
  // would crash the helper; the disconnect handler cleans up.
  process.send?.(report, undefined, {}, () => undefined);
}

/** Keeps only the last `limit` bytes of a stream (Argo keeps the last 256 KiB of stdout as `result`). */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  contents(): Buffer {
    const all = Buffer.concat(this.chunks);
    return all.length > this.limit ? all.subarray(all.length - this.limit) : all;
  }
}

function start(req: SpawnRequest): void {
  const [file, ...args] = req.argv;
  if (file === undefined) {
    send({ ev: 'failed', id: req.id, message: 'empty argv' });
    return;
  }
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: req.cwd,
      env: req.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Plain processes get their own group so the whole container can be signalled at once.
      detached: req.isolation === 'none',
    });
  } catch (err) {
    send({ ev: 'failed', id: req.id, message: errorMessage(err) });
    return;
  }
  // The pid is known as soon as spawn() returns: a signal sent right after the spawn request can
  // be delivered before the 'spawn' event fires.
  const proc: Proc = { req, child, pid: child.pid, exited: false };
  procs.set(req.id, proc);

  const log = createWriteStream(req.logFile, { flags: 'a' });
  // A log that cannot be written (its directory removed) loses output, not the helper.
  log.on('error', () => undefined);
  const tail = req.stdoutTail ? new TailBuffer(req.stdoutTail.bytes) : undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    tail?.push(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));

  child.once('spawn', () => {
    send({ ev: 'started', id: req.id, pid: child.pid ?? -1 });
  });

  let reported = false;
  const report = (code: number | null, signal: string | null): void => {
    if (reported) return;
    reported = true;
    procs.delete(req.id);
    // The exit is reported once the log is complete, whether or not writing it succeeded.
    finished(log, () => {
      if (tail && req.stdoutTail) {
        try {
          writeFileSync(req.stdoutTail.file, tail.contents());
        } catch {
          // The pod directory was removed under us; the exit still matters.
        }
      }
      send({ ev: 'exit', id: req.id, code, signal });
    });
    log.end();
  };

  child.once('error', (err) => {
    if (proc.pid === undefined) {
      reported = true;
      procs.delete(req.id);
      log.end();
      send({ ev: 'failed', id: req.id, message: errorMessage(err) });
    }
  });

  child.once('exit', (code, signal) => {
    proc.exited = true;
    let closed = false;
    // A container ends when its first process ends (as in Kubernetes): take down what it left behind.
    if (req.isolation === 'none' && child.pid !== undefined) {
      killQuietly(-child.pid, 'SIGKILL');
      // Something that left the process group still holds our pipes: find it by its environment.
      const marker = ['ARGO_POD_NAME', 'ARGO_CONTAINER_NAME'].map((name) => `${name}=${req.env[name] ?? ''}`);
      setTimeout(() => {
        if (!closed) void killProcessesWithEnv(marker, 500);
      }, ESCAPED_CHECK_MS);
    }
    const timer = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      report(code, signal);
    }, STREAM_DRAIN_MS);
    child.once('close', () => {
      closed = true;
      clearTimeout(timer);
      report(code, signal);
    });
  });
}

function signal(req: SignalRequest): void {
  const proc = procs.get(req.id);
  if (!proc || proc.pid === undefined || proc.exited) return;
  const pid = proc.pid;
  if (proc.req.isolation === 'none') {
    killQuietly(-pid, req.mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
    return;
  }
  if (req.mode === 'kill') {
    // The sandbox's first process is PID 1 of its namespace: killing it takes every process with it.
    for (const inner of childrenOf(pid)) killQuietly(inner, 'SIGKILL');
    killQuietly(pid, 'SIGKILL');
    return;
  }
  // bwrap does not forward signals, so SIGTERM goes to the sandbox's PID 1 (our wrapper, which
  // traps it and passes it on). Right after spawn the sandbox may not exist yet: retry briefly.
  let attempts = 0;
  const deliver = (): void => {
    if (proc.exited) return;
    const inner = childrenOf(pid);
    if (inner.length > 0) {
      for (const p of inner) killQuietly(p, 'SIGTERM');
    } else if (++attempts < 25) {
      setTimeout(deliver, 20);
    }
  };
  deliver();
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // Kernels without CONFIG_PROC_CHILDREN: scan every process's parent.
    const found: number[] = [];
    for (const entry of safeReaddir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) found.push(Number(entry));
      } catch {
        // The process ended while we looked.
      }
    }
    return found;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function killQuietly(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function killAll(): void {
  for (const proc of procs.values()) signal({ op: 'signal', id: proc.req.id, mode: 'kill' });
}

process.on('message', (msg: SpawnerRequest) => {
  if (msg.op === 'spawn') start(msg);
  else signal(msg);
});

process.on('disconnect', () => {
  killAll();
  process.exit(0);
});

// Signals sent to a whole process group (Ctrl-C, `timeout`, a service manager stopping the
// controller) reach this helper too. The controller decides what they mean for its pods and closes
// the helper itself; dying here would only look like a crash. If the controller dies, the IPC
// channel closes and every process is killed above.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);

send({ ev: 'ready' });
