// Runs remote commands in-process: a fresh commander program per call, output captured.

import { Command, CommanderError } from 'commander';
import { loadConfig } from '../../src/config.js';
import { ArgoClient, type ServerUnavailableError } from '../../src/cli/client/index.js';
import { registerRemoteCommands } from '../../src/cli/remote/index.js';
import type { Workflow, WorkflowPhase } from '../../src/spec/types.js';

export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  server: string;
  token?: string;
  stdoutTty?: boolean;
  onServerUnavailable?: (err: ServerUnavailableError, command: Command) => number | undefined;
  /** Adds commands the way main.ts adds its local ones. */
  extend?: (root: Command) => void;
}

export function testConfig() {
  return loadConfig({ ARGOT_HOME: '/nonexistent/argot-test', ARGOT_NAMESPACE: 'default', TERM: 'dumb' }, { stdoutTty: false, stderrTty: false });
}

export function program(opts: RunOptions, stdout = new Capture(opts.stdoutTty), stderr = new Capture()): Command {
  const root = new Command('argot')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  registerRemoteCommands(root, {
    client: () => new ArgoClient({ server: opts.server, ...(opts.token && { token: opts.token }) }),
    config: testConfig(),
    output: { stdout, stderr },
    ...(opts.onServerUnavailable && { onServerUnavailable: opts.onServerUnavailable }),
  });
  opts.extend?.(root);
  return root;
}

export function run(args: string[], opts: RunOptions): Promise<RunResult> {
  return start(args, opts).done;
}

/** A command in flight: its output can be polled while the test drives the server. */
export function start(args: string[], opts: RunOptions): { stdout: Capture; stderr: Capture; done: Promise<RunResult> } {
  const stdout = new Capture(opts.stdoutTty);
  const stderr = new Capture();
  const root = program(opts, stdout, stderr);
  const done = (async (): Promise<RunResult> => {
    let code = 0;
    try {
      await root.parseAsync(args, { from: 'user' });
    } catch (err) {
      if (!(err instanceof CommanderError)) throw err;
      code = err.exitCode;
    }
    return { code, stdout: stdout.text, stderr: stderr.text };
  })();
  return { stdout, stderr, done };
}

export function workflow(name: string, fields: { namespace?: string; phase?: WorkflowPhase; labels?: Record<string, string>; created?: string; finished?: string; started?: string; message?: string } = {}): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name,
      namespace: fields.namespace ?? 'default',
      ...(fields.labels && { labels: fields.labels }),
      ...(fields.created && { creationTimestamp: fields.created }),
    },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['echo', 'hi'] } }] },
    status: {
      ...(fields.phase && { phase: fields.phase }),
      ...(fields.started && { startedAt: fields.started }),
      ...(fields.finished && { finishedAt: fields.finished }),
      ...(fields.message && { message: fields.message }),
    },
  };
}

/** Polls until `check` holds (the CLI runs concurrently with the test driving the fake server). */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
