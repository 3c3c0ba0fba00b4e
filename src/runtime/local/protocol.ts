// The messages between the controller and the spawner helper (spawner.ts), sent as JSON over
// Node's IPC channel. Kept to plain data so the helper stays small: it knows processes, not pods.

/** How a process is isolated, which decides how it is signalled. */
export type Isolation = 'bwrap' | 'none';

export interface SpawnRequest {
  op: 'spawn';
  /** Unique per process for the lifetime of the helper; reports carry it back. */
  id: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  isolation: Isolation;
  /** stdout and stderr are appended here as they arrive. */
  logFile: string;
  /** When set, the last `tailBytes` of stdout are written here before the exit is reported. */
  stdoutTail?: { file: string; bytes: number };
}

/**
 * `graceful`: SIGTERM to what a kubelet would signal (the container's first process);
 * `kill`: SIGKILL to every process of the container.
 */
export interface SignalRequest {
  op: 'signal';
  id: string;
  mode: 'graceful' | 'kill';
}

export type SpawnerRequest = SpawnRequest | SignalRequest;

export type SpawnerReport =
  | { ev: 'ready' }
  | { ev: 'started'; id: string; pid: number }
  /** The process could not be started at all (e.g. bwrap vanished). */
  | { ev: 'failed'; id: string; message: string }
  /** The process ended and its output streams are flushed. */
  | { ev: 'exit'; id: string; code: number | null; signal: string | null };
