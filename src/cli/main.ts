import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config.js';
import { version } from '../version.js';
import { getCommand, listCommand } from './commands/get.js';
import { lintCommand } from './commands/lint.js';
import { logsCommand } from './commands/logs.js';
import { runCommand } from './commands/run.js';
import { UsageError } from './errors.js';

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
    .command('logs')
    .description("Print a workflow's logs from the local store")
    .argument('<name>', 'workflow name, or @latest')
    .argument('[pod]', 'only this pod')
    .option('-c, --container <name>', 'container name', 'main')
    .option('-n, --namespace <ns>', 'namespace', config.namespace)
    .action(async (name: string, pod: string | undefined, opts: { container: string; namespace: string }) => {
      exitCode = await logsCommand(config, name, pod, opts);
    });

  program
    .command('get')
    .description('Show a workflow from the local store')
    .argument('<name>', 'workflow name, or @latest')
    .option('-o, --output <format>', 'json, yaml, or the tree (default)')
    .option('-n, --namespace <ns>', 'namespace', config.namespace)
    .action(async (name: string, opts: { output?: string; namespace: string }) => {
      exitCode = await getCommand(config, name, opts);
    });

  program
    .command('list')
    .description('List workflows in the local store')
    .option('-n, --namespace <ns>', 'namespace', config.namespace)
    .option('-o, --output <format>', 'json, name, or a table (default)')
    .action(async (opts: { namespace: string; output?: string }) => {
      exitCode = await listCommand(config, opts);
    });

  try {
    await program.parseAsync(normaliseArgv(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    if (err instanceof UsageError) {
      process.stderr.write(`argot: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  return exitCode;
}
