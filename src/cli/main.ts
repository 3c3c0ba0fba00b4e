import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config.js';
import { version } from '../version.js';
import { getCommand, listCommand } from './commands/get.js';
import { lintCommand } from './commands/lint.js';
import { logsCommand } from './commands/logs.js';
import { runCommand } from './commands/run.js';
import { serverCommand, type ServerOptions } from './commands/server.js';
import { UsageError } from './errors.js';
import { ArgoClient } from './client/index.js';
import { registerRemoteCommands } from './remote/index.js';

/** pflag habits that commander lacks: `--flag=false` / `--flag=true` on boolean flags. */
function normaliseArgv(argv: string[]): string[] {
  return argv.map((a) => {
    const m = /^--([a-z][a-z0-9-]*)=(true|false)$/.exec(a);
    if (!m) return a;
    return m[2] === 'true' ? `--${m[1]}` : `--no-${m[1]}`;
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function main(argv: string[]): Promise<number> {
  // `argot logs x | head`: a reader that leaves is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  const config = loadConfig();
  let exitCode = 0;
  const program = new Command('argot')
    .description('Run Argo Workflows YAML locally: the same workflows, no Kubernetes.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride();

  program
    .command('run')
    .description('Run a workflow file to completion on this machine and print its node tree')
    .argument('<file>', 'workflow YAML or JSON (- for stdin)')
    .option('-p, --parameter <name=value>', 'input parameter (repeatable)', collect, [])
    .option('-f, --parameter-file <file>', 'YAML or JSON file of parameters')
    .option('-e, --entrypoint <template>', 'override spec.entrypoint')
    .option('-o, --output <format>', 'output format: json, yaml, or wide tree (default)')
    .option('--no-utf8', 'ASCII tree')
    .action(async (file: string, opts: { parameter: string[]; parameterFile?: string; entrypoint?: string; output?: string; utf8: boolean }) => {
      exitCode = await runCommand(config, file, opts);
    });

  program
    .command('lint')
    .description('Validate workflow files; one line per problem')
    .argument('<files...>', 'files or directories')
    .action(async (files: string[]) => {
      exitCode = await lintCommand(files);
    });

  program
    .command('server')
    .description('Run the controller and the Argo-compatible API (and, later, the UI)')
    .option('--port <port>', 'port to listen on', '2746')
    .option('--address <address>', 'address to bind; anything but loopback requires a bearer token', '127.0.0.1')
    .option('--token <token>', 'bearer token to require (default: generated when not on loopback)')
    .option('--parallelism <n>', 'most workflows running at once')
    .option('--config <file>', "Argo's workflow-controller-configmap (parallelism, workflowDefaults)")
    .option('--auth-mode <mode>', 'none (loopback only), bearer, or auto: none on loopback, bearer elsewhere', 'auto')
    .action(async (opts: ServerOptions) => {
      exitCode = await serverCommand(config, opts);
    });

  registerRemoteCommands(program, {
    client: () => new ArgoClient({ server: config.server, ...(config.token ? { token: config.token } : {}) }),
    config,
    output: { stdout: process.stdout, stderr: process.stderr },
    // Without a server, what can be read from the embedded store still works (DESIGN.md §1).
    onServerUnavailable: async (_err, cmd) => {
      const o = cmd.opts<{ namespace?: string; output?: string; container?: string }>();
      const namespace = o.namespace ?? config.namespace;
      const [first, second] = cmd.args;
      // Only the top-level workflow commands: `template get`, `sync get`… have no local fallback.
      if (cmd.parent !== program) return undefined;
      if (cmd.name() === 'get' && first) return getCommand(config, first, { ...(o.output ? { output: o.output } : {}), namespace });
      if (cmd.name() === 'list') return listCommand(config, { namespace, ...(o.output ? { output: o.output } : {}) });
      if (cmd.name() === 'logs' && first) return logsCommand(config, first, second, { container: o.container ?? 'main', namespace });
      return undefined;
    },
  });

  try {
    await program.parseAsync(normaliseArgv(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : err.exitCode === 130 ? 130 : 1;
    if (err instanceof UsageError) {
      process.stderr.write(`argot: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  return exitCode;
}
