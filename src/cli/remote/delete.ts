// `argot delete`: by name, or everything a selection matches (argo's --all, --completed, -l…).

import type { Command } from 'commander';
import { ApiError } from '../client/index.js';
import { CommandError, type RemoteContext } from './context.js';
import { describeApiError } from './errors.js';
import { listWorkflows, selectionQuery, type SelectionOptions } from './get.js';
import { namespaceOption } from './options.js';
import { resolveWorkflowNames } from './resolve.js';
import type { Target } from './follow.js';

interface DeleteOptions extends SelectionOptions {
  namespace?: string;
  all?: boolean;
  allNamespaces?: boolean;
  force?: boolean;
  dryRun?: boolean;
}

export function registerDeleteCommand(program: Command, ctx: RemoteContext): void {
  namespaceOption(
    program
      .command('delete')
      .description('Delete workflows by name, or all that match --all, --completed, --status, -l or --prefix')
      .argument('[names...]', 'workflow names, or @latest')
      .option('--all', 'every workflow in the namespace')
      .option('-A, --all-namespaces', 'with --all or a selector: in every namespace')
      .option('--completed', 'finished workflows')
      .option('--running', 'unfinished workflows')
      .option('--status <phases>', 'workflows in these phases, comma-separated')
      .option('-l, --selector <selector>', 'workflows with these labels')
      .option('--field-selector <selector>', 'workflows with these fields')
      .option('--prefix <prefix>', 'workflows whose names start with this')
      .option('--force', 'do not wait for finalizers')
      .option('--dry-run', 'print what would be deleted'),
    ctx,
  ).action(
    ctx.action(async (names: string[], opts: DeleteOptions) => {
      const selecting = Boolean(opts.all || opts.completed || opts.running || opts.status || opts.selector || opts.fieldSelector || opts.prefix);
      if (names.length > 0 && selecting) throw new CommandError('give workflow names or a selection (--all, --completed, -l…), not both');
      if (names.length === 0 && !selecting) throw new CommandError('nothing to delete: give workflow names, --all, --completed, --status, -l or --prefix');
      const namespace = opts.allNamespaces ? '' : ctx.namespace(opts);
      let targets: Target[];
      if (names.length > 0) {
        if (opts.allNamespaces) throw new CommandError('-A applies to --all and selectors, not to names');
        targets = (await resolveWorkflowNames(ctx.client, namespace, names)).map((name) => ({ namespace, name }));
      } else {
        const found = await listWorkflows(ctx, namespace, { ...selectionQuery(opts), fields: 'metadata,items.metadata.name,items.metadata.namespace' });
        targets = found.map((wf) => ({ namespace: wf.metadata.namespace || namespace, name: wf.metadata.name ?? '' }));
        if (targets.length === 0) ctx.err('argot: no workflows matched; nothing deleted\n');
      }
      let failed = false;
      for (const target of targets) {
        if (opts.dryRun) {
          ctx.out(`Workflow '${target.name}' deleted (dry-run)\n`);
          continue;
        }
        try {
          await ctx.client.workflows.delete(target.namespace, target.name, { ...(opts.force && { force: true }) });
          ctx.out(`Workflow '${target.name}' deleted\n`);
        } catch (err) {
          // Carry on with the others: a half-done bulk delete is worse than a complete one with a complaint.
          if (!(err instanceof ApiError)) throw err;
          ctx.err(`argot: ${describeApiError(err)}\n`);
          failed = true;
        }
      }
      return failed ? 1 : 0;
    }),
  );
}
