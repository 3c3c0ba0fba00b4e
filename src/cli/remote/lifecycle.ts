// Operations on running or finished workflows: retry, resubmit, suspend, resume, stop, terminate,
// and `node set` for suspend nodes. Each takes several names, as argo's do.

import type { Command } from 'commander';
import type { Workflow } from '../../spec/types.js';
import { collectParameters } from '../commands/parameters.js';
import { UsageError } from '../errors.js';
import { CommandError, type RemoteContext } from './context.js';
import { outputFormat, printWorkflow } from './format.js';
import { collect, namespaceOption } from './options.js';
import { resolveWorkflowNames } from './resolve.js';
import { followUp } from './watch.js';

interface FollowFlags {
  namespace?: string;
  output?: string;
  wait?: boolean;
  watch?: boolean;
  log?: boolean;
  utf8: boolean;
  color: boolean;
}

/** The flags retry and resubmit share with submit: print the result, then log/wait/watch it. */
function withFollowFlags(command: Command): Command {
  return command
    .option('-o, --output <format>', 'name, json, yaml or wide (default: the node tree)')
    .option('-w, --wait', 'wait for the workflows; exit 1 unless all Succeeded')
    .option('--watch', 'show the workflows until they finish')
    .option('--log', 'print the logs as they run')
    .option('--no-utf8', 'ASCII icons and tree lines')
    .option('--no-color', 'no colour');
}

async function printAndFollow(ctx: RemoteContext, results: Workflow[], namespace: string, opts: FollowFlags): Promise<number> {
  const format = outputFormat(opts.output, ['name', 'json', 'yaml', 'wide']);
  for (const wf of results) if (!(opts.watch && format === 'default')) printWorkflow(ctx, wf, format, opts);
  const targets = results.map((wf) => ({ namespace: wf.metadata.namespace || namespace, name: wf.metadata.name ?? '' }));
  return followUp(ctx, targets, { ...opts, quiet: format === 'name' || format === 'json' || format === 'yaml' });
}

async function parameterList(flags: string[]): Promise<string[] | undefined> {
  if (flags.length === 0) return undefined;
  return [...(await collectParameters(flags, undefined))].map(([k, v]) => `${k}=${v}`);
}

export function registerLifecycleCommands(program: Command, ctx: RemoteContext): void {
  namespaceOption(
    withFollowFlags(
      program
        .command('retry')
        .description('Retry failed workflows from their failed nodes')
        .argument('<names...>', 'workflow names, or @latest')
        .option('--restart-successful', 'also re-run the succeeded nodes that --node-field-selector matches')
        .option('--node-field-selector <selector>', 'nodes to restart, e.g. displayName=foo or templateName=bar')
        .option('-p, --parameter <name=value>', 'override a global parameter (repeatable)', collect, []),
    ),
    ctx,
  ).action(
    ctx.action(async (names: string[], opts: FollowFlags & { restartSuccessful?: boolean; nodeFieldSelector?: string; parameter: string[] }) => {
      outputFormat(opts.output, ['name', 'json', 'yaml', 'wide']);
      const namespace = ctx.namespace(opts);
      const parameters = await parameterList(opts.parameter);
      const results: Workflow[] = [];
      for (const name of await resolveWorkflowNames(ctx.client, namespace, names)) {
        results.push(
          await ctx.client.workflows.retry(namespace, name, {
            ...(opts.restartSuccessful && { restartSuccessful: true }),
            ...(opts.nodeFieldSelector && { nodeFieldSelector: opts.nodeFieldSelector }),
            ...(parameters && { parameters }),
          }),
        );
      }
      return printAndFollow(ctx, results, namespace, opts);
    }),
  );

  namespaceOption(
    withFollowFlags(
      program
        .command('resubmit')
        .description('Submit copies of workflows, as new workflows')
        .argument('<names...>', 'workflow names, or @latest')
        .option('--memoized', 'reuse the outputs of the succeeded nodes')
        .option('-p, --parameter <name=value>', 'override a global parameter (repeatable)', collect, []),
    ),
    ctx,
  ).action(
    ctx.action(async (names: string[], opts: FollowFlags & { memoized?: boolean; parameter: string[] }) => {
      outputFormat(opts.output, ['name', 'json', 'yaml', 'wide']);
      const namespace = ctx.namespace(opts);
      const parameters = await parameterList(opts.parameter);
      const results: Workflow[] = [];
      for (const name of await resolveWorkflowNames(ctx.client, namespace, names)) {
        results.push(await ctx.client.workflows.resubmit(namespace, name, { ...(opts.memoized && { memoized: true }), ...(parameters && { parameters }) }));
      }
      return printAndFollow(ctx, results, namespace, opts);
    }),
  );

  const simple = (
    verb: 'suspend' | 'resume' | 'stop' | 'terminate',
    description: string,
    past: string,
    configure: (c: Command) => Command,
    call: (namespace: string, name: string, opts: { nodeFieldSelector?: string; message?: string }) => Promise<Workflow>,
  ): void => {
    namespaceOption(configure(program.command(verb).description(description).argument('<names...>', 'workflow names, or @latest')), ctx).action(
      ctx.action(async (names: string[], opts: { namespace?: string; nodeFieldSelector?: string; message?: string }) => {
        const namespace = ctx.namespace(opts);
        for (const name of await resolveWorkflowNames(ctx.client, namespace, names)) {
          await call(namespace, name, opts);
          ctx.out(`workflow ${name} ${past}\n`);
        }
      }),
    );
  };
  const wf = () => ctx.client.workflows;
  simple('suspend', 'Suspend workflows: no new steps start until resumed', 'suspended', (c) => c, (ns, name) => wf().suspend(ns, name));
  simple(
    'resume',
    'Resume suspended workflows, or the suspend nodes that --node-field-selector matches',
    'resumed',
    (c) => c.option('--node-field-selector <selector>', 'resume only these suspend nodes, e.g. displayName=approve'),
    (ns, name, o) => wf().resume(ns, name, o.nodeFieldSelector ? { nodeFieldSelector: o.nodeFieldSelector } : {}),
  );
  simple(
    'stop',
    'Stop workflows: running steps are killed, exit handlers still run',
    'stopped',
    (c) => c.option('--node-field-selector <selector>', 'stop only these nodes').option('--message <text>', 'why, recorded on the workflow'),
    (ns, name, o) => wf().stop(ns, name, { ...(o.nodeFieldSelector && { nodeFieldSelector: o.nodeFieldSelector }), ...(o.message && { message: o.message }) }),
  );
  simple('terminate', 'Terminate workflows: running steps are killed and exit handlers do not run', 'terminated', (c) => c, (ns, name) => wf().terminate(ns, name));

  const node = program.command('node').description('Act on single nodes of a workflow');
  namespaceOption(
    node
      .command('set')
      .description("Set a node's phase, message or output parameters (to answer a suspend node)")
      .argument('<name>', 'workflow name, or @latest')
      .requiredOption('--node-field-selector <selector>', 'which nodes, e.g. displayName=approve')
      .option('--phase <phase>', 'Succeeded or Failed')
      .option('-m, --message <text>', 'node message')
      .option('-p, --output-parameter <name=value>', 'output parameter; a quoted value is unquoted (repeatable)', collect, []),
    ctx,
  ).action(
    ctx.action(async (name: string, opts: { namespace?: string; nodeFieldSelector: string; phase?: string; message?: string; outputParameter: string[] }) => {
      if (opts.phase && opts.phase !== 'Succeeded' && opts.phase !== 'Failed') throw new CommandError(`--phase ${opts.phase}: expected Succeeded or Failed`);
      const outputParameters = parseOutputParameters(opts.outputParameter);
      if (!opts.phase && !opts.message && !outputParameters) throw new CommandError('nothing to set: give --phase, --message or --output-parameter');
      const namespace = ctx.namespace(opts);
      const [resolved] = await resolveWorkflowNames(ctx.client, namespace, [name]);
      await ctx.client.workflows.set(namespace, resolved ?? name, {
        nodeFieldSelector: opts.nodeFieldSelector,
        ...(opts.phase && { phase: opts.phase }),
        ...(opts.message && { message: opts.message }),
        ...(outputParameters && { outputParameters }),
      });
      ctx.out('workflow values set\n');
    }),
  );
}

/** argo's `-p name="value"`: Go's strconv.Unquote when it is a quoted string, taken as is otherwise. */
export function parseOutputParameters(flags: readonly string[]): Record<string, string> | undefined {
  if (flags.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UsageError(`--output-parameter ${flag}: expected name=value`);
    out[flag.slice(0, eq)] = unquote(flag.slice(eq + 1));
  }
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      return JSON.parse(value) as string;
    } catch {
      return value;
    }
  }
  if (value.length >= 2 && value.startsWith('`') && value.endsWith('`')) return value.slice(1, -1);
  return value;
}
