// What every remote command shares: the injected client, config and output streams, and the one
// place where failures become a single `argot: …` line and an exit code.

import { CommanderError, type Command } from 'commander';
import type { Config } from '../../config.js';
import { SpecError } from '../../spec/errors.js';
import { ApiError, ServerUnavailableError, type ArgoClient } from '../client/index.js';
import { UsageError } from '../errors.js';
import { describeApiError } from './errors.js';

export interface Writer {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Output {
  stdout: Writer;
  stderr: Writer;
}

export interface RemoteDeps {
  /** Called once, on the first command that talks to the server. */
  client: () => ArgoClient;
  config: Config;
  output: Output;
  /**
   * The server did not answer. Return an exit code when the command was carried out another way
   * (the embedded store); undefined to report the error (exit 1).
   */
  onServerUnavailable?: (error: ServerUnavailableError, command: Command) => Promise<number | undefined> | number | undefined;
}

/** A failure already worded for the user: printed as `argot: <message>`, exit 1. */
export class CommandError extends Error {}

/**
 * Ends the command with an exit code; whatever had to be said is printed. A CommanderError so that
 * main.ts, which parses with exitOverride(), turns it into the exit code without printing anything.
 */
export class ExitError extends CommanderError {
  constructor(code: number) {
    super(code, 'argot.exit', `exit code ${code}`);
  }
}

/** Ctrl-C during a watch or a followed log: exit 130, quietly. */
export class Interrupted extends Error {}

export class RemoteContext {
  private cachedClient?: ArgoClient;

  constructor(readonly deps: RemoteDeps) {}

  get client(): ArgoClient {
    return (this.cachedClient ??= this.deps.client());
  }

  get config(): Config {
    return this.deps.config;
  }

  out(text: string): void {
    this.deps.output.stdout.write(text);
  }

  err(text: string): void {
    this.deps.output.stderr.write(text);
  }

  warn(message: string): void {
    this.err(`argot: warning: ${message}\n`);
  }

  get stdoutTty(): boolean {
    return this.deps.output.stdout.isTTY === true;
  }

  get stderrTty(): boolean {
    return this.deps.output.stderr.isTTY === true && this.config.stderrTty;
  }

  /** Colour unless the config (NO_COLOR, TTY…) or the command's `--no-color` says otherwise. */
  color(opts: { color?: boolean }): boolean {
    return this.config.color && opts.color !== false;
  }

  /** `-n` when given, else the manifest's own namespace, else the configured default. */
  namespace(opts: { namespace?: string }, manifestNamespace?: string): string {
    return opts.namespace ?? (manifestNamespace || this.config.namespace);
  }

  /**
   * Wraps a commander action: the handler returns an exit code (or nothing for 0), and any error is
   * reported here, so handlers can simply throw.
   */
  action<A extends unknown[]>(handler: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
    return async (...args: A): Promise<void> => {
      const command = args[args.length - 1] as Command;
      let code: number;
      try {
        code = (await handler(...args)) ?? 0;
      } catch (err) {
        code = await this.report(err, command);
      }
      if (code !== 0) throw new ExitError(code);
    };
  }

  /** Runs `fn` with a signal that Ctrl-C aborts; an interrupted run ends with exit 130. */
  async interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onSignal = (): void => controller.abort(new Interrupted());
    process.once('SIGINT', onSignal);
    try {
      const result = await fn(controller.signal);
      if (controller.signal.aborted) throw new Interrupted();
      return result;
    } catch (err) {
      if (controller.signal.aborted) throw new Interrupted();
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
    }
  }

  private async report(err: unknown, command: Command): Promise<number> {
    if (err instanceof ExitError) return err.exitCode;
    if (err instanceof Interrupted) return 130;
    if (err instanceof ServerUnavailableError) {
      const handled = await this.deps.onServerUnavailable?.(err, command);
      if (handled !== undefined) return handled;
      this.err(`argot: ${err.message}; is "argot server" running there? (ARGOT_SERVER sets the address)\n`);
      return 1;
    }
    if (err instanceof ApiError) {
      this.err(`argot: ${describeApiError(err)}\n`);
      return 1;
    }
    if (err instanceof CommandError || err instanceof UsageError) {
      this.err(`argot: ${err.message}\n`);
      return 1;
    }
    if (err instanceof SpecError) {
      this.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
