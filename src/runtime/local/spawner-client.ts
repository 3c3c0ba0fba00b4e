// The controller's side of the spawner helper: forks it, forwards requests, and restarts it when
// it dies. A dead helper takes its processes with it (bwrap --die-with-parent; plain process groups
// are killed here), so their ids are handed to `onLost` for the pods to be reported gone.

import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SpawnRequest, SpawnerReport, SpawnerRequest } from './protocol.js';

export interface SpawnerHandlers {
  onReport(report: SpawnerReport): void;
  onLost(ids: string[], reason: string): void;
}

const READY_TIMEOUT_MS = 15_000;
const CLOSE_TIMEOUT_MS = 3_000;
const MAX_FAILED_STARTS = 5;

export class SpawnerClient {
  private child: ChildProcess;
  /** Processes requested and not yet reported ended: what a helper crash loses. id -> pid once known. */
  private readonly live = new Map<string, number | undefined>();
  private readonly isolationOf = new Map<string, SpawnRequest['isolation']>();
  private closing = false;
  /** Helpers that died before saying ready, in a row: past a few, stop relaunching and say why. */
  private failedStarts = 0;
  private broken: string | undefined;
  private readyChild: ChildProcess | undefined;

  private constructor(private readonly handlers: SpawnerHandlers) {
    this.child = this.launch();
  }

  static async start(handlers: SpawnerHandlers): Promise<SpawnerClient> {
    const client = new SpawnerClient(handlers);
    try {
      await client.ready(client.child);
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  spawn(req: SpawnRequest): void {
    if (this.broken) {
      queueMicrotask(() => this.handlers.onReport({ ev: 'failed', id: req.id, message: this.broken ?? '' }));
      return;
    }
    this.live.set(req.id, undefined);
    this.isolationOf.set(req.id, req.isolation);
    this.send(req);
  }

  signal(id: string, mode: 'graceful' | 'kill'): void {
    if (this.live.has(id)) this.send({ op: 'signal', id, mode });
  }

  /** A request to a helper that just died is lost with it: its processes are reported lost on 'exit'. */
  private send(req: SpawnerRequest): void {
    if (this.child.connected) this.child.send(req, undefined, {}, () => undefined);
  }

  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Disconnecting makes the helper kill every process it started, then exit.
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private launch(): ChildProcess {
    const here = fileURLToPath(import.meta.url);
    const fromSource = here.endsWith('.ts');
    const script = fileURLToPath(new URL(fromSource ? './spawner.ts' : './spawner.js', import.meta.url));
    // Under vitest or tsx the sources are TypeScript: load the helper through tsx's loader.
    const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
    const child = fork(script, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    child.on('message', (report: SpawnerReport) => {
      if (report.ev === 'ready') {
        this.readyChild = child;
        this.failedStarts = 0;
      }
      this.receive(report);
    });
    // Channel errors come with the helper's death, which 'exit' handles.
    child.on('error', () => undefined);
    child.once('exit', (code, signal) => this.crashed(child, code, signal));
    return child;
  }

  private ready(child: ChildProcess): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('spawner helper did not start in time')), READY_TIMEOUT_MS);
      const onMessage = (report: SpawnerReport): void => {
        if (report.ev !== 'ready') return;
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve();
      };
      const onExit = (code: number | null): void => {
        clearTimeout(timer);
        reject(new Error(`spawner helper exited during startup (code ${code})`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  private receive(report: SpawnerReport): void {
    if (report.ev === 'started') {
      if (this.live.has(report.id)) this.live.set(report.id, report.pid);
    } else if (report.ev === 'exit' || report.ev === 'failed') {
      this.live.delete(report.id);
      this.isolationOf.delete(report.id);
    }
    this.handlers.onReport(report);
  }

  private crashed(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closing || child !== this.child) return;
    const lost = [...this.live.entries()];
    for (const [id, pid] of lost) {
      // Sandboxes died with the helper; plain process groups did not, so end them here.
      if (pid !== undefined && pid > 0 && this.isolationOf.get(id) === 'none') {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    this.live.clear();
    this.isolationOf.clear();
    if (this.readyChild !== child && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.broken = `spawner helper cannot start (exited ${signal ?? `with code ${code}`} ${MAX_FAILED_STARTS} times before it was ready)`;
    } else {
      this.child = this.launch();
    }
    this.handlers.onLost(
      lost.map(([id]) => id),
      `spawner helper exited (${signal ?? `code ${code}`})`,
    );
  }
}
