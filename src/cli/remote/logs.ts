// `argot logs`: the server's log stream, printed as argo prints it, `pod: line`, each pod in its
// own colour (the sum of the pod name's code points picks one of six).

import type { Command } from 'commander';
import type { LogQuery } from '../client/index.js';
import { CommandError, type RemoteContext } from './context.js';
import { durationSeconds, namespaceOption, nonNegativeInt } from './options.js';
import { resolveWorkflowName } from './resolve.js';
import type { Target } from './follow.js';

// green, yellow, blue, magenta, cyan, white: argo's palette, in its order.
const POD_COLOURS = [32, 33, 34, 35, 36, 37];

function colourFor(pod: string): number {
  let sum = 0;
  for (const ch of pod) sum += ch.codePointAt(0) ?? 0;
  return POD_COLOURS[sum % POD_COLOURS.length] ?? 37;
}

export async function streamLogs(ctx: RemoteContext, target: Target, query: LogQuery, color: boolean): Promise<void> {
  await ctx.interruptible(async (signal) => {
    for await (const entry of ctx.client.workflows.logs(target.namespace, target.name, query, { signal })) {
      const content = entry.content.endsWith('\n') ? entry.content.slice(0, -1) : entry.content;
      const line = entry.podName ? `${entry.podName}: ${content}` : content;
      ctx.out(color && entry.podName ? `\x1b[${colourFor(entry.podName)}m${line}\x1b[0m\n` : `${line}\n`);
    }
  });
}

interface LogsOptions {
  namespace?: string;
  container: string;
  follow?: boolean;
  grep?: string;
  tail?: number;
  since?: number;
  sinceTime?: string;
  timestamps?: boolean;
  previous?: boolean;
  selector?: string;
  color: boolean;
}

export function registerLogsCommand(program: Command, ctx: RemoteContext): void {
  namespaceOption(
    program
      .command('logs')
      .description("Print a workflow's logs from the server, `pod: line` (all pods, or one)")
      .argument('<name>', 'workflow name, or @latest')
      .argument('[pod]', 'only this pod')
      .option('-c, --container <name>', 'container', 'main')
      .option('-f, --follow', 'keep printing until the workflow finishes')
      .option('--grep <text>', 'only lines containing this')
      .option('--tail <lines>', 'only the last lines of each pod', nonNegativeInt)
      .option('--since <duration>', 'only lines newer than this, e.g. 10m', durationSeconds)
      .option('--since-time <time>', 'only lines after this RFC 3339 time')
      .option('--timestamps', 'prefix each line with its time')
      .option('-p, --previous', "the previous container's logs")
      .option('-l, --selector <selector>', 'only pods with these labels')
      .option('--no-color', 'no colour'),
    ctx,
  ).action(
    ctx.action(async (name: string, pod: string | undefined, opts: LogsOptions) => {
      const namespace = ctx.namespace(opts);
      const query: LogQuery = { container: opts.container };
      if (pod) query.podName = pod;
      if (opts.follow) query.follow = true;
      if (opts.grep) query.grep = opts.grep;
      if (opts.tail !== undefined) query.tailLines = opts.tail;
      if (opts.since !== undefined) query.sinceSeconds = opts.since;
      if (opts.sinceTime) {
        const at = Date.parse(opts.sinceTime);
        if (Number.isNaN(at)) throw new CommandError(`--since-time ${opts.sinceTime}: expected an RFC 3339 time`);
        query.sinceTime = Math.floor(at / 1000);
      }
      if (opts.timestamps) query.timestamps = true;
      if (opts.previous) query.previous = true;
      if (opts.selector) query.selector = opts.selector;
      const target = { namespace, name: await resolveWorkflowName(ctx.client, namespace, name) };
      await streamLogs(ctx, target, query, ctx.color(opts));
    }),
  );
}
