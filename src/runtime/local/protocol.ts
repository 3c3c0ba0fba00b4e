// The messages between the controller and the spawner helper (spawner.ts), sent as JSON over
// Node's IPC channel. Kept to plain data so the helper stays small: it knows processes, not pods.

/** How a process is isolated, which decides how it is signalled. */
export type Isolation = 'bwrap' | 'none';

export interface SpawnRequest {
  op: 'spawn';
  /** Unique per process for the lifetime of the runtime; reports carry it back. */
  id: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  isolation: Isolation;
  /** stdout and stderr are appended here, by the process itself: it does not need us to keep writing. */
  logFile: string;
  /** Where the process's identity (pid and start time) is recorded as soon as it exists. */
  pidFile: string;
}

/** The helper is going away: with `kill`, its processes go too; without, they are left running. */
export interface CloseRequest {
  op: 'close';
  kill: boolean;
}

export type SpawnerRequest = SpawnRequest | CloseRequest;

export type SpawnerReport =
  | { ev: 'ready' }
  | { ev: 'started'; id: string; pid: number; start?: string }
  /** The process could not be started at all (e.g. bwrap vanished). */
  | { ev: 'failed'; id: string; message: string }
  | { ev: 'exit'; id: string; code: number | null; signal: string | null };
