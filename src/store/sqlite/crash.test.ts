// A process killed with SIGKILL in the middle of saveStatus leaves a database that opens, and in
// which every workflow has all of its nodes from one write: the child writes one version number
// into every node of a workflow per transaction, so a torn write would show as nodes that
// disagree. Commits the child saw return must survive too (WAL with synchronous=NORMAL loses
// commits only to an OS crash, not to a process crash).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteStore } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argot-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the writer until it has committed `commits` times past its start, then kills it. */
function writeThenKill(file: string, commits: number, delayMs: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-writer.ts'), file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const committed = new Map<string, number>();
    let seen = 0;
    let buffered = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [workflow, version] = line.split(' ');
        if (workflow === 'ready' || !workflow || !version) continue;
        committed.set(`w${workflow}`, Number(version));
        if (++seen === commits && !killing) {
          killing = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`the writer exited with ${code}: ${stderr}`));
    });
  });
}

it('a writer killed mid-transaction leaves every workflow with its old nodes or its new ones', async () => {
  const file = join(dir, 'argot.db');
  let previous = new Map<string, number>();
  for (const [round, delayMs] of [0, 3, 7, 1, 11].entries()) {
    const committed = await writeThenKill(file, 150 + round * 37, delayMs);
    expect(committed.size, 'the writer made progress').toBe(3);

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const store = openSqliteStore(file);
    const { items } = await store.workflows.list({ namespace: 'argo' });
    expect(items.map((w) => w.metadata.name).sort()).toEqual(['w0', 'w1', 'w2']);
    for (const { metadata } of items) {
      const name = metadata.name as string;
      const wf = await store.workflows.get('argo', name);
      const nodes = Object.values(wf?.status?.nodes ?? {});
      expect(nodes).toHaveLength(200);
      const versions = new Set(nodes.map((n) => n.message));
      expect([...versions], `nodes of ${name} after round ${round}`).toEqual([wf?.status?.message]);
      const version = Number(wf?.status?.message?.slice(1));
      const last = committed.get(name) ?? 0;
      // Every commit the writer reported survived; at most the one in flight went further.
      expect(version).toBeGreaterThanOrEqual(last);
      expect(version).toBeLessThanOrEqual(last + 1);
      expect(version).toBeGreaterThan(previous.get(name) ?? -1);
    }
    await store.close();
    previous = committed;
  }
});
