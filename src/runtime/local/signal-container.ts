// How a container is signalled, by whoever holds its recorded process: the runtime, or the spawner
// helper when it is told to take its processes down. Imports only builtins and
// process-identity.ts: the helper uses it too.

import { childrenOf, isAlive, type ProcessIdentity } from './process-identity.js';
import type { Isolation } from './protocol.js';

/**
 * `graceful`: SIGTERM to what a kubelet would signal (the container's first process);
 * `kill`: SIGKILL to every process of the container.
 */
export type SignalMode = 'graceful' | 'kill';

/** Right after the spawn the sandbox may not exist yet: how long a SIGTERM waits for it. */
const SANDBOX_WAIT_ATTEMPTS = 25;
const SANDBOX_WAIT_MS = 20;

export function signalContainer(id: ProcessIdentity, isolation: Isolation, mode: SignalMode): void {
  // A pid whose process is gone may already name another one.
  if (!isAlive(id)) return;
  if (isolation === 'none') {
    // Plain containers are process groups led by the wrapper.
    killQuietly(-id.pid, mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
    return;
  }
  if (mode === 'kill') {
    // The sandbox's first process is PID 1 of its namespace: killing it takes every process with it.
    for (const inner of childrenOf(id.pid)) killQuietly(inner, 'SIGKILL');
    killQuietly(id.pid, 'SIGKILL');
    return;
  }
  // bwrap does not forward signals, so SIGTERM goes to the sandbox's PID 1 (our wrapper, which
  // traps it and passes it on).
  let attempts = 0;
  const deliver = (): void => {
    if (!isAlive(id)) return;
    const inner = childrenOf(id.pid);
    if (inner.length > 0) {
      for (const p of inner) killQuietly(p, 'SIGTERM');
    } else if (++attempts < SANDBOX_WAIT_ATTEMPTS) {
      setTimeout(deliver, SANDBOX_WAIT_MS);
    }
  };
  deliver();
}

export function killQuietly(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
