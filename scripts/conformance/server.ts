// One `argot server` per worker of the conformance run, with its own ARGOT_HOME and a free port,
// and the CLI commands that talk to it (ARGOT_SERVER). The server's pods run in sessions of their
// own and outlive it by design (a restarted server adopts them), so stopping it first deletes every
// workflow, which kills their pods.

import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastLine } from './verdict.js';
import { childEnv, endGroup, killGroup, onInterrupt, runCommand, spawnGroup, type CommandResult } from './spawn.js';

export interface ServerOptions {
  /** The argot command line before the subcommand, e.g. `[node, bin/argot.js]`. */
  command: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Keep the server's ARGOT_HOME for inspection instead of deleting it. */
  keepHome?: boolean;
  startTimeoutMs?: number;
}

/** The CLI's own limit for commands that should answer at once (everything but `wait`). */
export const CLI_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
// Enough of the server's own log to say why it died.
const LOG_TAIL = 16 * 1024;

export class ArgotServer {
  private exited = false;
  private log = '';
  private readonly forgetInterrupt: () => void;

  private constructor(
    readonly url: string,
    readonly home: string,
    private readonly child: ChildProcess,
    private readonly options: ServerOptions,
  ) {
    child.once('exit', () => (this.exited = true));
    this.forgetInterrupt = onInterrupt(() => this.deleteAllNow());
  }

  static async start(options: ServerOptions): Promise<ArgotServer> {
    const home = await mkdtemp(join(tmpdir(), 'argot-conformance-server-'));
    const env = childEnv(options.env, { ARGOT_HOME: home });
    let child: ChildProcess;
    try {
      child = spawnGroup([...options.command, 'server', '--port', '0'], { cwd: options.cwd, env });
    } catch (error) {
      await rm(home, { recursive: true, force: true });
      throw error;
    }
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    const url = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), options.startTimeoutMs ?? 30_000);
      const done = (value: string | undefined): void => {
        clearTimeout(timer);
        resolve(value);
      };
      child.stdout?.on('data', (chunk: string) => {
        stdout += chunk;
        const match = /listening on (https?:\/\/\S+)/.exec(stdout);
        if (match?.[1]) done(match[1]);
      });
      child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-LOG_TAIL)));
      child.once('error', (error) => {
        stderr += `${error.message}\n`;
        done(undefined);
      });
      child.once('exit', () => done(undefined));
    });
    if (!url) {
      endGroup(child.pid);
      await rm(home, { recursive: true, force: true }).catch(() => undefined);
      const why = lastLine(stderr) || lastLine(stdout) || 'no "listening on" line';
      throw new Error(`argot server did not start: ${why}`);
    }
    const server = new ArgotServer(url, home, child, options);
    // Keep draining both pipes (a full pipe would block the server); remember the end of its log.
    child.stdout?.removeAllListeners('data');
    child.stdout?.resume();
    child.stderr?.removeAllListeners('data');
    child.stderr?.on('data', (chunk: string) => (server.log = (server.log + chunk).slice(-LOG_TAIL)));
    return server;
  }

  /** Runs `argot ARGS` against this server. */
  cli(args: readonly string[], timeoutMs = CLI_TIMEOUT_MS): Promise<CommandResult> {
    return runCommand([...this.options.command, ...args], { cwd: this.options.cwd, env: this.cliEnv(), timeoutMs });
  }

  /** Why a command may have failed: the server is gone (with the end of its log). */
  deathNote(): string | undefined {
    return this.exited ? `argot server exited: ${lastLine(this.log) || 'no log'}` : undefined;
  }

  async stop(): Promise<void> {
    this.forgetInterrupt();
    if (!this.exited) {
      await this.cli(['delete', '--all'], STOP_TIMEOUT_MS * 3);
      const exited = new Promise<void>((resolve) => (this.exited ? resolve() : this.child.once('exit', () => resolve())));
      if (this.child.pid !== undefined) killGroup(this.child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS))]);
    }
    endGroup(this.child.pid);
    if (!this.options.keepHome) await rm(this.home, { recursive: true, force: true }).catch(() => undefined);
  }

  private cliEnv(): NodeJS.ProcessEnv {
    return childEnv(this.options.env, { ARGOT_SERVER: this.url });
  }

  // On Ctrl-C there is no time for promises: delete the workflows (and so their pods) synchronously.
  private deleteAllNow(): void {
    if (this.exited) return;
    const [executable, ...prefix] = this.options.command;
    if (!executable) return;
    spawnSync(executable, [...prefix, 'delete', '--all'], { cwd: this.options.cwd, env: this.cliEnv(), stdio: 'ignore', timeout: 5_000 });
  }
}
