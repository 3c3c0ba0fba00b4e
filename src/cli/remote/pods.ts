// `argot pod delete WORKFLOW POD`: lose a pod on purpose, as a spot node reclaimed or a
// `kubectl delete pod` would (argot's own; Argo has no such command). The workflow then decides
// what the loss means: the pod node ends `Error` "pod deleted" and every container node of it
// "container deleted", and a retryStrategy with OnError or Always runs it again.

import type { Command } from 'commander';
import { ApiError } from '../client/index.js';
import { CommandError, type RemoteContext } from './context.js';
import { namespaceOption, nonNegativeInt } from './options.js';
import { resolveWorkflowNames } from './resolve.js';

export function registerPodCommands(program: Command, ctx: RemoteContext): void {
  const pod = program.command('pod').description("Act on a workflow's pods");
  namespaceOption(
    pod
      .command('delete')
      .description('Delete a pod of a running workflow, as losing its node would (abruptly, or with --grace)')
      .argument('<workflow>', 'workflow name, or @latest')
      .argument('<pod>', 'the pod name, or the ID or name of its pod node')
      .option('--grace <seconds>', 'send SIGTERM and give the containers this long before they are killed; their exit states are kept (default: abrupt)', nonNegativeInt),
    ctx,
  ).action(
    ctx.action(async (workflow: string, podName: string, opts: { namespace?: string; grace?: number }) => {
      const namespace = ctx.namespace(opts);
      const [name = workflow] = await resolveWorkflowNames(ctx.client, namespace, [workflow]);
      try {
        await ctx.client.workflows.deletePod(namespace, name, podName, opts.grace ? { graceSeconds: opts.grace } : {});
      } catch (err) {
        // The workflow or the pod: the server's message says which.
        if (err instanceof ApiError && err.notFound) throw new CommandError(err.message);
        throw err;
      }
      ctx.out(`pod "${podName}" of workflow "${name}" deleted${opts.grace ? ` (grace period ${opts.grace}s)` : ''}\n`);
    }),
  );
}
