// The spawner helper: a small Node process, forked once by the controller, that starts container
// processes and reports their exits over the IPC channel. It exists because Node forks the whole
// calling process on every spawn, so spawning from the controller's large heap is slow (DESIGN.md
// §4); this process keeps a tiny heap. It imports nothing but Node builtins and modules that do
// the same.
//
// Containers do not depend on it: each runs in its own session, writes its log itself and leaves
// its exit record on disk, so it outlives this helper and the controller (a server restarted after
// a crash adopts it). If the controller goes away without saying so, the helper just exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { formatIdentity, identify } from './process-identity.js';
import type { SpawnRequest, SpawnerReport, SpawnerRequest } from './protocol.js';
import { killQuietly, signalContainer } from './signal-container.js';

interface Proc {
  req: SpawnRequest;
  child: ChildProcess;
}

const procs = new Map<string, Proc>();

function send(report: SpawnerReport): void {
  if (!process.connected) return;
  // With a callback, a closed channel is reported there instead of as an 'error' event that
  // would crash the helper; the disconnect handler cleans up.
  process.send?.(report, undefined, {}, () => undefined);
}

function start(req: SpawnRequest): void {
  const [file, ...args] = req.argv;
  if (file === undefined) {
    send({ ev: 'failed', id: req.id, message: 'empty argv' });
    return;
  }
  let child: ChildProcess;
  let log: number | undefined;
  try {
    log = openSync(req.logFile, 'a');
    child = spawn(file, args, {
      cwd: req.cwd,
      env: req.env,
      stdio: ['ignore', log, log],
      // Its own session: signals to the controller's group (Ctrl-C) do not reach it, and a plain
      // container's processes can be signalled as one group.
      detached: true,
    });
  } catch (err) {
    send({ ev: 'failed', id: req.id, message: errorMessage(err) });
    return;
  } finally {
    if (log !== undefined) closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) {
    // The executable is missing: 'error' follows, and nothing was started.
    child.once('error', (err) => send({ ev: 'failed', id: req.id, message: errorMessage(err) }));
    return;
  }
  procs.set(req.id, { req, child });
  const identity = identify(pid);
  try {
    // Written before anyone hears of the process, so a controller that dies now can still find it.
    // One write, not a temporary file and a rename: a new file costs more than the rest of a spawn
    // on some disks, and readers take only a whole line.
    writeFileSync(req.pidFile, formatIdentity(identity));
  } catch {
    // The pod directory was removed under us; the report still carries the pid.
  }
  child.on('error', () => undefined);
  send({ ev: 'started', id: req.id, pid, ...(identity.start !== undefined ? { start: identity.start } : {}) });
  child.once('exit', (code, signal) => {
    procs.delete(req.id);
    // What a plain container left in its group goes with it (the wrapper does this itself where
    // /proc exists); its group id stays reserved while any member lives.
    if (req.isolation === 'none') killQuietly(-pid, 'SIGKILL');
    send({ ev: 'exit', id: req.id, code, signal });
  });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function close(kill: boolean): void {
  if (kill) {
    for (const { req, child } of procs.values()) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) signalContainer(identify(child.pid), req.isolation, 'kill');
    }
  }
  process.exit(0);
}

process.on('message', (msg: SpawnerRequest) => {
  if (msg.op === 'spawn') start(msg);
  else close(msg.kill);
});

process.on('disconnect', () => close(false));

// Signals sent to a whole process group (Ctrl-C, `timeout`, a service manager stopping the
// controller) reach this helper too. The controller decides what they mean for its pods and closes
// the helper itself; dying here would only look like a crash.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);

send({ ev: 'ready' });
