// `argot watch` and `argot wait`, and the same behaviour after `submit`, `retry` and `resubmit`.

import type { Command } from 'commander';
import type { Workflow } from '../../spec/types.js';
import { ApiError } from '../client/index.js';
import { progressOf, renderProgressLine, renderWorkflow } from '../render/index.js';
import type { RemoteContext } from './context.js';
import { followWorkflow, type Target } from './follow.js';
import { goTime, isFinished } from './format.js';
import { streamLogs } from './logs.js';
import { namespaceOption } from './options.js';
import { resolveWorkflowName, resolveWorkflowNames } from './resolve.js';

export interface ViewOptions {
  utf8?: boolean;
  color?: boolean;
}

// Argo clears with Go's print(), i.e. on stderr, and draws the view on stdout.
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

/**
 * Shows the workflow until it finishes: on a terminal, the `get` view redrawn on every change and
 * every second; otherwise a progress line per change on stderr and the final view on stdout.
 */
export async function watchWorkflow(ctx: RemoteContext, target: Target, opts: ViewOptions): Promise<Workflow | undefined> {
  const render = (wf: Workflow): string => renderWorkflow(wf, { color: ctx.color(opts), utf8: opts.utf8 ?? true, now: new Date() });
  const tty = ctx.stdoutTty;
  let last: Workflow | undefined;
  const draw = (): void => {
    if (!last) return;
    ctx.err(CLEAR_SCREEN);
    ctx.out(render(last));
  };
  let lastKey = '';
  let progressShown = false;
  const progress = (wf: Workflow): void => {
    if (ctx.stderrTty) {
      ctx.err(`\r\x1b[2K${renderProgressLine(wf, new Date())}`);
      progressShown = true;
      return;
    }
    // Without a terminal, a line per real change: the elapsed time alone is not news.
    const running = Object.values(wf.status?.nodes ?? {}).filter((n) => n.phase === 'Running').length;
    const key = `${wf.status?.phase ?? ''}|${progressOf(wf)}|${running}`;
    if (key === lastKey) return;
    lastKey = key;
    ctx.err(`${renderProgressLine(wf, new Date())}\n`);
  };
  const timer = tty ? setInterval(draw, 1000) : undefined;
  let final: Workflow | undefined;
  try {
    final = await ctx.interruptible((signal) =>
      followWorkflow(ctx.client, target.namespace, target.name, {
        signal,
        onUpdate: (wf) => {
          last = wf;
          if (tty) draw();
          else progress(wf);
        },
        onReconnect: (attempt) => {
          if (progressShown) ctx.err('\r\x1b[2K');
          ctx.err(`argot: lost the watch on workflow "${target.name}"; reconnecting (attempt ${attempt})\n`);
        },
      }),
    );
  } finally {
    clearInterval(timer);
    if (progressShown) ctx.err('\r\x1b[2K');
  }
  if (final && !tty) ctx.out(render(final));
  return final;
}

/** Prints `NAME Phase at TIME` as each finishes (unless quiet); 0 only when all Succeeded. */
export async function waitForWorkflows(ctx: RemoteContext, targets: readonly Target[], opts: { quiet?: boolean; ignoreNotFound?: boolean } = {}): Promise<number> {
  return ctx.interruptible(async (signal) => {
    // One failure stops the other watches instead of leaving them to hold the process open.
    const stopAll = new AbortController();
    const combined = AbortSignal.any([signal, stopAll.signal]);
    const outcomes = await Promise.all(
      targets.map(async (target) => {
        try {
          const wf = await followWorkflow(ctx.client, target.namespace, target.name, { signal: combined });
          if (!wf || !isFinished(wf)) return false;
          if (!opts.quiet) ctx.out(`${target.name} ${wf.status?.phase ?? ''} at ${goTime(wf.status?.finishedAt)}\n`);
          return wf.status?.phase === 'Succeeded';
        } catch (err) {
          if (opts.ignoreNotFound && err instanceof ApiError && err.notFound) return true;
          stopAll.abort();
          throw err;
        }
      }),
    );
    return outcomes.every(Boolean) ? 0 : 1;
  });
}

export interface FollowUpOptions extends ViewOptions {
  log?: boolean;
  wait?: boolean;
  watch?: boolean;
  /** `-o name|json|yaml`: the wait lines would spoil the parseable output. */
  quiet?: boolean;
}

/** What `submit`, `retry` and `resubmit` do after the server answered: argo's order is logs, then wait or watch. */
export async function followUp(ctx: RemoteContext, targets: readonly Target[], opts: FollowUpOptions): Promise<number> {
  if (opts.log) {
    for (const target of targets) await streamLogs(ctx, target, { follow: true, container: 'main' }, ctx.color(opts));
  }
  if (opts.wait) return waitForWorkflows(ctx, targets, { quiet: opts.quiet ?? false });
  if (opts.watch) for (const target of targets) await watchWorkflow(ctx, target, opts);
  return 0;
}

export function registerWatchCommands(program: Command, ctx: RemoteContext): void {
  namespaceOption(
    program
      .command('watch')
      .description('Show a workflow, redrawn as it changes, until it finishes (exit 0 whatever the outcome)')
      .argument('<name>', 'workflow name, or @latest')
      .option('--no-utf8', 'ASCII icons and tree lines')
      .option('--no-color', 'no colour'),
    ctx,
  ).action(
    ctx.action(async (name: string, opts: { namespace?: string; utf8: boolean; color: boolean }) => {
      const namespace = ctx.namespace(opts);
      await watchWorkflow(ctx, { namespace, name: await resolveWorkflowName(ctx.client, namespace, name) }, opts);
    }),
  );

  namespaceOption(
    program
      .command('wait')
      .description('Wait for workflows to finish; exit 1 unless all of them Succeeded')
      .argument('<names...>', 'workflow names, or @latest')
      .option('--ignore-not-found', 'a workflow that does not exist counts as done'),
    ctx,
  ).action(
    ctx.action(async (names: string[], opts: { namespace?: string; ignoreNotFound?: boolean }) => {
      const namespace = ctx.namespace(opts);
      const resolved = await resolveWorkflowNames(ctx.client, namespace, names);
      return waitForWorkflows(
        ctx,
        resolved.map((name) => ({ namespace, name })),
        { ignoreNotFound: opts.ignoreNotFound ?? false },
      );
    }),
  );
}
