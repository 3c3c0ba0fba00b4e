// The pod-loss story under chaos (issue 6): N workflows share a mutex; each is a DAG whose task is
// a containerSet a → b → main with retryStrategy {limit: 2, retryPolicy: OnError}. While they run,
// pods are deleted at random (abrupt or graceful), and the server is killed with SIGKILL once and
// restarted on the same data. Every workflow must end, none may stay Running, no lock may be held
// after the last one ends, and the mutex must never have two holders. The mutex is checked on every
// change the server streams, in commit order, not by sampling.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgoClient } from '../../src/cli/client/index.js';
import type { Workflow } from '../../src/spec/types.js';

export interface ChaosOptions {
  workflows: number;
  /** Repository root (bin/argot.js and dist/ must be built). */
  repo: string;
  seed?: number;
  /** Give up after this long (ms). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  workflows: number;
  succeeded: number;
  failed: number;
  unfinished: string[];
  deletions: { abrupt: number; graceful: number };
  retriedAttempts: number;
  maxMutexHolders: number;
  violations: string[];
  locksHeldAtEnd: number;
  serverKilledAfterMs: number;
  restartMs: number;
  totalMs: number;
}

const NAMESPACE = 'default';
const MUTEX = `${NAMESPACE}/Mutex/chaos`;

function story(): Workflow {
  const sh = (script: string): string[] => ['sh', '-c', script];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { generateName: 'chaos-', namespace: NAMESPACE },
    spec: {
      entrypoint: 'main',
      synchronization: { mutexes: [{ name: 'chaos' }] },
      volumes: [{ name: 'ws', emptyDir: {} }],
      templates: [
        { name: 'main', dag: { tasks: [{ name: 'work', template: 'cs' }] } },
        {
          name: 'cs',
          retryStrategy: { limit: 2, retryPolicy: 'OnError' },
          containerSet: {
            volumeMounts: [{ name: 'ws', mountPath: '/ws' }],
            containers: [
              { name: 'a', image: 'alpine', command: sh('sleep 0.3; echo a > /ws/a') },
              { name: 'b', image: 'alpine', command: sh('sleep 0.3; cat /ws/a'), dependencies: ['a'] },
              { name: 'main', image: 'alpine', command: sh('sleep 0.1; echo done'), dependencies: ['b'] },
            ],
          },
        },
      ],
    },
  } as unknown as Workflow;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be repeated with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function startServer(repo: string, home: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(repo, 'bin', 'argot.js'), 'server', '--port', String(port)], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ARGOT_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.includes(`:${port}`)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!out.includes(`:${port}`)) reject(new Error(`server exited ${code ?? signal}: ${out}`));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const finished = (wf: Workflow | undefined): boolean => ['Succeeded', 'Failed', 'Error'].includes(wf?.status?.phase ?? '');

function holdsMutex(wf: Workflow): boolean {
  return (wf.status?.synchronization?.mutex?.holding ?? []).some((h) => h.mutex === MUTEX);
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const log = opts.log ?? (() => undefined);
  const rand = random(opts.seed ?? 1);
  const home = mkdtempSync(join(tmpdir(), 'argot-chaos-'));
  const port = await freePort();
  const client = new ArgoClient({ server: `http://127.0.0.1:${port}` });
  const started = performance.now();
  let server = await startServer(opts.repo, home, port);
  const report: ChaosReport = {
    workflows: opts.workflows,
    succeeded: 0,
    failed: 0,
    unfinished: [],
    deletions: { abrupt: 0, graceful: 0 },
    retriedAttempts: 0,
    maxMutexHolders: 0,
    violations: [],
    locksHeldAtEnd: 0,
    serverKilledAfterMs: 0,
    restartMs: 0,
    totalMs: 0,
  };
  const latest = new Map<string, Workflow>();
  // For each workflow, the first and last store version at which it was seen holding the mutex. A
  // workflow takes the mutex once and keeps it to its end, so it held it over that whole span;
  // versions are one store-wide commit counter, so two overlapping spans are two holders at once.
  // Sound across a dropped stream and a replay in any order: a missed event only shortens a span.
  const spans = new Map<string, { from: number; to: number }>();
  const holders = new Set<string>();
  const abort = new AbortController();
  const watching = (async () => {
    try {
      for await (const event of client.workflows.watch(NAMESPACE, {}, { signal: abort.signal })) {
        const wf = event.object as Workflow | undefined;
        const name = wf?.metadata?.name;
        if (!wf || !name || event.type === 'DELETED') continue;
        const known = Number(latest.get(name)?.metadata.resourceVersion ?? -1);
        const version = Number(wf.metadata.resourceVersion ?? 0);
        if (version >= known) latest.set(name, wf);
        if (holdsMutex(wf)) {
          const span = spans.get(name) ?? { from: version, to: version };
          spans.set(name, { from: Math.min(span.from, version), to: Math.max(span.to, version) });
        }
        const current = latest.get(name) ?? wf;
        if (holdsMutex(current)) holders.add(name);
        else holders.delete(name);
        if (finished(current) && current.status?.synchronization) report.violations.push(`${name} is ${current.status.phase ?? ''} but still records locks`);
      }
    } catch (err) {
      if (!abort.signal.aborted) report.violations.push(`watch failed: ${String(err)}`);
    }
  })();
  const checkSpans = (): void => {
    const all = [...spans].sort((a, b) => a[1].from - b[1].from);
    for (let i = 0; i < all.length; i++) {
      const [name, span] = all[i] as [string, { from: number; to: number }];
      let depth = 1;
      for (let j = 0; j < all.length; j++) {
        const [other, o] = all[j] as [string, { from: number; to: number }];
        if (j === i || o.from > span.from || o.to < span.from) continue;
        depth++;
        if (j < i) report.violations.push(`mutex held by ${other} (versions ${o.from}-${o.to}) and ${name} (versions ${span.from}-${span.to}) at once`);
      }
      report.maxMutexHolders = Math.max(report.maxMutexHolders, depth);
    }
  };
  try {
    const names: string[] = [];
    for (let i = 0; i < opts.workflows; i++) names.push((await client.workflows.create(NAMESPACE, story())).metadata.name ?? '');
    log(`submitted ${names.length} workflows`);
    const deadline = started + (opts.timeoutMs ?? 600_000);
    let killed = false;
    const allDone = (): boolean => names.every((n) => finished(latest.get(n)));
    while (!allDone() && performance.now() < deadline) {
      await sleep(150 + rand() * 500);
      const doneCount = names.filter((n) => finished(latest.get(n))).length;
      if (!killed && doneCount >= Math.floor(names.length / 2)) {
        killed = true;
        report.serverKilledAfterMs = performance.now() - started;
        log(`kill -9 the server after ${doneCount} workflows ended`);
        server.kill('SIGKILL');
        await new Promise((r) => server.once('exit', r));
        const t0 = performance.now();
        server = await startServer(opts.repo, home, port);
        report.restartMs = performance.now() - t0;
        continue;
      }
      const holder = [...holders][0];
      if (!holder || rand() < 0.35) continue;
      let wf: Workflow;
      try {
        wf = await client.workflows.get(NAMESPACE, holder);
      } catch {
        continue;
      }
      const pod = Object.values(wf.status?.nodes ?? {}).find((n) => n.type === 'Pod' && (n.phase === 'Running' || n.phase === 'Pending'));
      if (!pod) continue;
      const graceful = rand() < 0.5;
      try {
        await client.workflows.deletePod(NAMESPACE, holder, pod.id, graceful ? { graceSeconds: 1 } : {});
        if (graceful) report.deletions.graceful++;
        else report.deletions.abrupt++;
        log(`deleted pod of ${holder} (${pod.displayName}) ${graceful ? 'gracefully' : 'abruptly'}`);
      } catch (err) {
        log(`delete pod of ${holder}: ${String(err)}`);
      }
    }
    // The stream may lag the last write by a moment; read the end state directly.
    for (const name of names) {
      const wf = await client.workflows.get(NAMESPACE, name);
      latest.set(name, wf);
      if (wf.status?.phase === 'Succeeded') report.succeeded++;
      else if (finished(wf)) report.failed++;
      else report.unfinished.push(`${name} (${wf.status?.phase ?? 'no phase'})`);
      if (wf.status?.synchronization) report.locksHeldAtEnd++;
      report.retriedAttempts += Object.values(wf.status?.nodes ?? {}).filter((n) => n.type === 'Retry').reduce((sum, n) => sum + Math.max(0, (n.children?.length ?? 1) - 1), 0);
    }
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    for (const line of metrics.split('\n')) {
      const m = /^argo_workflows_locks_held\{.*\} (\d+)$/.exec(line);
      if (m && Number(m[1]) > 0) report.violations.push(`metrics still show a held lock: ${line}`);
    }
    // Let the stream catch up with the final writes before judging the spans.
    await sleep(300);
    checkSpans();
    report.totalMs = performance.now() - started;
    return report;
  } finally {
    abort.abort();
    await watching.catch(() => undefined);
    server.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
}

export function formatReport(r: ChaosReport): string {
  return [
    `chaos: ${r.workflows} workflows sharing one mutex, containerSet a → b → main with retries; ${r.deletions.abrupt} abrupt and ${r.deletions.graceful} graceful pod deletions; server killed (SIGKILL) after ${(r.serverKilledAfterMs / 1000).toFixed(1)} s, back in ${(r.restartMs / 1000).toFixed(2)} s`,
    `  ended: ${r.succeeded} Succeeded, ${r.failed} Failed/Error, ${r.unfinished.length} unfinished${r.unfinished.length ? ` (${r.unfinished.join(', ')})` : ''}; retried attempts: ${r.retriedAttempts}`,
    `  mutex holders at once, max: ${r.maxMutexHolders}; workflows recording locks at the end: ${r.locksHeldAtEnd}; violations: ${r.violations.length}`,
    ...r.violations.slice(0, 10).map((v) => `  violation: ${v}`),
    `  total: ${(r.totalMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
