// Telling whether a container's process still lives, without being its parent: a restarted
// controller only has the pid recorded on disk, and a pid is reused once its process is gone. The
// pid's start time (/proc/<pid>/stat, field 22, clock ticks since boot) pins it to one process.
// Where there is no /proc the pid alone is all we have. Imports only builtins: the spawner helper
// uses it too.

import { existsSync, readFileSync, readdirSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** /proc start time; absent where /proc is not available. */
  start?: string;
}

const HAS_PROC = existsSync('/proc/self/stat');

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses): [0] is field 3, the state. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export function identify(pid: number): ProcessIdentity {
  const start = statFields(pid)?.[19];
  return start !== undefined ? { pid, start } : { pid };
}

/** Running, not a zombie (an orphan whose new parent never reaps it), and the same process as recorded. */
export function isAlive(id: ProcessIdentity): boolean {
  if (!HAS_PROC) {
    try {
      process.kill(id.pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const fields = statFields(id.pid);
  if (!fields) return false;
  const state = fields[0];
  if (state === 'Z' || state === 'X' || state === 'x') return false;
  return id.start === undefined || fields[19] === id.start;
}

/** "<pid> <start>", one line ending in a newline: the form of the pid record in a container's state directory. */
export function formatIdentity(id: ProcessIdentity): string {
  return `${id.pid}${id.start !== undefined ? ` ${id.start}` : ''}\n`;
}

export function parseIdentity(text: string | undefined): ProcessIdentity | undefined {
  // Written in one write, newline last: a record without it is being written (or was cut short).
  if (!text?.endsWith('\n')) return undefined;
  const [pid, start] = text.trim().split(/\s+/);
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return undefined;
  return start ? { pid: n, start } : { pid: n };
}

export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // Kernels without CONFIG_PROC_CHILDREN: scan every process's parent.
    const found: number[] = [];
    for (const entry of safeReaddir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      if (statFields(Number(entry))?.[1] === String(pid)) found.push(Number(entry));
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
