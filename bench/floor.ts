// This machine's floor, measured in the same run as a benchmark: what the fastest possible
// implementation could not avoid (a process spawn, a sandboxed spawn, an fsync, a SQLite commit).
// Benchmarks report their figures as ratios against these, never against fixed numbers.
import { spawn } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { percentile } from './stats.js';

export interface Floor {
  /** Median of spawning `true` and waiting for its exit (ms). */
  spawnMs: number;
  /** Median of `bwrap … true`, when bwrap is usable (ms). */
  sandboxSpawnMs: number | undefined;
  /** Median write + fsync of 4 KiB (ms). */
  fsyncMs: number;
  /** Median SQLite commit of one small row in WAL mode, synchronous=NORMAL as argot's store (ms). */
  commitMs: number;
}

async function timeRun(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  return performance.now() - t0;
}

async function median(n: number, f: () => Promise<number> | number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await f());
  return percentile(xs, 50);
}

export async function measureFloor(): Promise<Floor> {
  const spawnMs = await median(30, () => timeRun('true', []));
  let sandboxSpawnMs: number | undefined;
  try {
    await timeRun('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', 'true']);
    sandboxSpawnMs = await median(30, () => timeRun('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', 'true']));
  } catch {
    sandboxSpawnMs = undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'argot-floor-'));
  try {
    const buf = Buffer.alloc(4096, 1);
    const fsyncMs = await median(50, () => {
      const t0 = performance.now();
      const fd = openSync(join(dir, 'f'), 'w');
      writeSync(fd, buf);
      fsyncSync(fd);
      closeSync(fd);
      return performance.now() - t0;
    });
    const db = new Database(join(dir, 'db.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const commitMs = await median(200, () => {
      const t0 = performance.now();
      insert.run('x'.repeat(200));
      return performance.now() - t0;
    });
    db.close();
    return { spawnMs, sandboxSpawnMs, fsyncMs, commitMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatFloor(f: Floor): string {
  return [
    `floor: spawn ${f.spawnMs.toFixed(2)} ms`,
    `sandboxed spawn ${f.sandboxSpawnMs === undefined ? 'n/a (no bwrap)' : `${f.sandboxSpawnMs.toFixed(2)} ms`}`,
    `fsync ${f.fsyncMs.toFixed(3)} ms`,
    `sqlite commit ${f.commitMs.toFixed(3)} ms`,
  ].join(', ');
}
