// Finding a pod's processes by the ARGO_* variables every container process inherits. This is the
// safety net for what the normal kill path cannot reach: plain processes that left their process
// group (setsid, daemons), and processes spawned for a pod that was lost before they were recorded.
// Linux only (/proc); a process that rewrote its environment escapes it. Imports only builtins:
// the spawner helper uses it too.

import { readFile, readdir } from 'node:fs/promises';

/** Processes whose environment has every one of `entries` ("NAME=value"). */
export async function processesWithEnv(entries: string[]): Promise<number[]> {
  let pids: string[];
  try {
    pids = await readdir('/proc');
  } catch {
    return [];
  }
  const needles = entries.map((e) => `\0${e}\0`);
  const found: number[] = [];
  for (const pid of pids) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    const padded = `\0${environ}`;
    if (environ !== '' && needles.every((n) => padded.includes(n))) found.push(Number(pid));
  }
  return found;
}

export function processesOfPod(pod: string): Promise<number[]> {
  return processesWithEnv([`ARGO_POD_NAME=${pod}`]);
}

/** SIGKILLs the matching processes and waits (bounded) until they are gone. */
export async function killProcessesWithEnv(entries: string[], waitMs = 2000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pids = await processesWithEnv(entries);
    if (pids.length === 0 || Date.now() > deadline) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already, or not ours to kill.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function killProcessesOfPod(pod: string): Promise<void> {
  return killProcessesWithEnv([`ARGO_POD_NAME=${pod}`]);
}
