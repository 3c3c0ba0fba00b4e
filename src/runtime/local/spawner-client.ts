// The controller's side of the spawner helper: forks it, forwards requests, and restarts it when
// it dies. Containers outlive a dead helper, but their exits will not be reported by it: their ids
// are handed to `onOrphaned`, and the runtime watches them through their records on disk.

import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SpawnRequest, SpawnerReport, SpawnerRequest } from './protocol.js';

export interface SpawnerHandlers {
  onReport(report: SpawnerReport): void;
  onOrphaned(ids: string[], reason: string): void;
}

const READY_TIMEOUT_MS = 15_000;
const CLOSE_TIMEOUT_MS = 3_000;
const MAX_FAILED_STARTS = 5;

export class SpawnerClient {
  private child: ChildProcess;
  /** Processes requested and not yet reported ended: those a helper crash leaves unwatched. */
  private readonly live = new Set<string>();
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
      await client.close({ killProcesses: true });
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
    this.live.add(req.id);
    this.send(req);
  }

  /** A request to a helper that just died is lost with it: its processes are handed over on 'exit'. */
  private send(req: SpawnerRequest): void {
    if (this.child.connected) this.child.send(req, undefined, {}, () => undefined);
  }

  /** Stops the helper; with `killProcesses` it first kills every process it started and still watches. */
  async close(opts: { killProcesses: boolean }): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) {
      // Disconnecting at once could drop the request; the helper exits on it or, failing that, on the disconnect.
      await new Promise<void>((resolve) => child.send({ op: 'close', kill: opts.killProcesses } satisfies SpawnerRequest, undefined, {}, () => resolve()));
      if (child.connected) child.disconnect();
    }
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
    if (report.ev === 'exit' || report.ev === 'failed') this.live.delete(report.id);
    this.handlers.onReport(report);
  }

  private crashed(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closing || child !== this.child) return;
    const orphaned = [...this.live];
    this.live.clear();
    if (this.readyChild !== child && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.broken = `spawner helper cannot start (exited ${signal ?? `with code ${code}`} ${MAX_FAILED_STARTS} times before it was ready)`;
    } else {
      this.child = this.launch();
    }
    this.handlers.onOrphaned(orphaned, `spawner helper exited (${signal ?? `code ${code}`})`);
  }
}
